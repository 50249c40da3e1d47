import Synchronization

/// How many interactions a master works on at once, and how many may wait for a turn beyond that.
public struct AdmissionLimits: Sendable, Hashable {
    /// Interactions worked on at once (claimed, run, answered).
    public var running: Int
    /// Interactions claimed and acknowledged ("thinking…") that wait for a turn; beyond this, an
    /// interaction is answered at once that the bot is busy.
    public var waiting: Int

    public init(running: Int = 256, waiting: Int = 4096) {
        self.running = max(1, running)
        self.waiting = max(0, waiting)
    }
}

/// Bounds what a flood of interactions costs the master. Every interaction in the works holds its
/// task, its requests and, for a music command, its job until the worker answers (seconds when
/// workers are paced by Discord's gateway limits); with no bound, a backlog of thousands grew the
/// master without limit. Beyond `limits.running` an interaction waits for a turn, acknowledged so
/// Discord's 3 s pass; beyond `limits.waiting` as well, it is answered that the bot is busy. Turns
/// are handed over in arrival order.
final class InteractionAdmission: Sendable {
    enum Ticket: Sendable, Equatable {
        /// Work on it now; `leave()` when done.
        case run
        /// Acknowledge it, then `turn()`.
        case wait
        /// Answer that the bot is busy.
        case refuse
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var running = 0
        var waiting = 0
        var queue: [Waiter] = []
        var nextID = 0
    }

    let limits: AdmissionLimits
    private let state = Mutex(State())

    init(limits: AdmissionLimits) { self.limits = limits }

    var counts: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting) } }
    /// Waiting interactions that asked for their turn (the others are still being acknowledged).
    var queued: Int { state.withLock { $0.queue.count } }

    func arrive() -> Ticket {
        state.withLock { state in
            if state.running < limits.running {
                state.running += 1
                return .run
            }
            guard state.waiting < limits.waiting else { return .refuse }
            state.waiting += 1
            return .wait
        }
    }

    /// For a `.wait` ticket: true once it is this interaction's turn (`leave()` when done); false
    /// when the task was cancelled first (it has no turn then).
    func turn() async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Bool? = state.withLock { state in
                    if Task.isCancelled {
                        state.waiting -= 1
                        return false
                    }
                    // A turn freed while this one was being acknowledged.
                    if state.running < limits.running {
                        state.running += 1
                        state.waiting -= 1
                        return true
                    }
                    state.queue.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.queue.firstIndex(where: { $0.id == id }) else { return nil }
                state.waiting -= 1
                return state.queue.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// A `.wait` ticket given back unused (the interaction was answered otherwise).
    func withdraw() {
        state.withLock { $0.waiting -= 1 }
    }

    /// The end of a turn: handed to the longest waiting interaction, if any.
    func leave() {
        let next = state.withLock { state -> Waiter? in
            guard !state.queue.isEmpty else {
                state.running -= 1
                return nil
            }
            state.waiting -= 1
            return state.queue.removeFirst()
        }
        next?.continuation.resume(returning: true)
    }
}
