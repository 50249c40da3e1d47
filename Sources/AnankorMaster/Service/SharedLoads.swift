import Synchronization

/// Loads of one key that overlap are one load: the first caller loads, the callers that come
/// while it does wait for its answer. Nothing is kept once it is given (callers cache). A waiter
/// that is cancelled stops waiting at once with nil; the load goes on for the others.
final class SharedLoads<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Outcome: Sendable {
        case loaded(Value?)
        /// The load ended between joining it and waiting: try again.
        case missed
    }

    private struct State {
        var loading: [Key: [UInt64: CheckedContinuation<Outcome, Never>]] = [:]
        var next: UInt64 = 0
    }

    private let state = Mutex(State())

    func value(for key: Key, load: () async -> Value?) async -> Value? {
        while true {
            let waiter = state.withLock { state -> UInt64? in
                guard state.loading[key] != nil else {
                    state.loading[key] = [:]
                    return nil
                }
                state.next += 1
                return state.next
            }
            guard let waiter else {
                let value = await load()
                let waiting = state.withLock { $0.loading.removeValue(forKey: key) } ?? [:]
                for continuation in waiting.values { continuation.resume(returning: .loaded(value)) }
                return value
            }
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                    let now = state.withLock { state -> Outcome? in
                        if Task.isCancelled { return .loaded(nil) }
                        guard state.loading[key] != nil else { return .missed }
                        state.loading[key]?[waiter] = continuation
                        return nil
                    }
                    if let now { continuation.resume(returning: now) }
                }
            } onCancel: {
                state.withLock { $0.loading[key]?.removeValue(forKey: waiter) }?.resume(returning: .loaded(nil))
            }
            switch outcome {
            case .loaded(let value): return value
            case .missed: continue
            }
        }
    }
}
