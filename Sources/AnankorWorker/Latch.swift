import DiscordKit
import Synchronization

/// A one-way gate: closed until `open()`, then every waiter passes. Waiting ends early when the
/// waiting task is cancelled. Lock-protected so cancellation can resume a waiter synchronously.
final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    var isOpen: Bool { state.withLock { $0.isOpen } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the latch is open or the task is cancelled (check `isOpen`).
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let passNow = state.withLock { state -> Bool in
                    if state.isOpen || state.cancelled.remove(id) != nil { return true }
                    state.waiting[id] = continuation
                    return false
                }
                if passNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let continuation = state.waiting.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return continuation
            }
            continuation?.resume()
        }
    }

    /// Waits at most `timeout` of `time`; returns whether the latch is open.
    func wait(upTo timeout: Duration, on time: DiscordTimeSource) async -> Bool {
        guard !isOpen else { return true }
        guard timeout > .zero else { return false }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await time.sleep(timeout) }
            await group.next()
            group.cancelAll()
            return isOpen
        }
    }
}
