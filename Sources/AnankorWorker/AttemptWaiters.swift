import DiscordKit
import Synchronization

/// One-shot results of numbered attempts (a voice join), awaited with a timeout. A result that
/// arrives before anyone waits is kept until it is awaited or discarded, so "start the attempt,
/// then wait" never misses a fast answer. Lock-protected rather than an actor: a cancelled or
/// timed-out waiter must be resumed from a synchronous cancellation handler.
final class AttemptWaiters<Value: Sendable>: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        /// Results that arrived before their waiter.
        var results: [UInt64: Value] = [:]
        /// Attempts whose waiter gave up before it registered.
        var abandoned: Set<UInt64> = []
        /// Attempts made and not yet waited out (results for others are dropped).
        var open: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// A fresh attempt number.
    func makeAttempt() -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            state.open.insert(state.nextID)
            return state.nextID
        }
    }

    /// Delivers the result of `attempt` (at most once; later results are ignored).
    func resolve(_ attempt: UInt64, with value: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            if let waiter = state.waiting.removeValue(forKey: attempt) { return waiter }
            if state.open.contains(attempt), !state.abandoned.contains(attempt), state.results[attempt] == nil {
                state.results[attempt] = value
            }
            return nil
        }
        continuation?.resume(returning: value)
    }

    /// The result of `attempt`, or nil when none arrives within `timeout` of `time` or the task
    /// is cancelled.
    func wait(for attempt: UInt64, timeout: Duration, on time: DiscordTimeSource) async -> Value? {
        await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.waitUntilResolved(attempt) }
            group.addTask {
                try? await time.sleep(timeout)
                self.abandon(attempt)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            await group.waitForAll()
            self.discard(attempt)
            return first
        }
    }

    /// Gives up waiting: a registered waiter gets nil; one that registers later gets nil at once.
    private func abandon(_ attempt: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            guard let waiter = state.waiting.removeValue(forKey: attempt) else {
                state.abandoned.insert(attempt)
                return nil
            }
            return waiter
        }
        continuation?.resume(returning: nil)
    }

    /// Forgets an attempt that will not be awaited (or whatever is left of a finished wait).
    func discard(_ attempt: UInt64) {
        state.withLock { state in
            state.results[attempt] = nil
            state.abandoned.remove(attempt)
            state.open.remove(attempt)
        }
    }

    private func waitUntilResolved(_ attempt: UInt64) async -> Value? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate = state.withLock { state -> Value?? in
                    if let value = state.results.removeValue(forKey: attempt) { return .some(value) }
                    if state.abandoned.remove(attempt) != nil { return .some(nil) }
                    state.waiting[attempt] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            abandon(attempt)
        }
    }
}
