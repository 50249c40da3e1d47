import Synchronization

/// How far a master has got, as counts that only grow: a supervisor (or a test) that saw a count
/// move knows that work finished, instead of waiting a while and hoping it had.
public final class MasterProgress: Sendable {
    private let settled = Atomic<Int>(0)
    private let passes = Atomic<Int>(0)

    public init() {}

    /// Interactions this master has finished with: answered, left to the master that claimed
    /// them, or answered as unavailable.
    public var interactionsSettled: Int { settled.load(ordering: .acquiring) }
    /// Reconciliation passes this master has completed (timers, lost workers, players).
    public var reconciliationPasses: Int { passes.load(ordering: .acquiring) }

    func interactionSettled() { settled.add(1, ordering: .releasing) }
    func passCompleted() { passes.add(1, ordering: .releasing) }
}
