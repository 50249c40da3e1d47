import Synchronization

/// A `Clock` that moves only when a test advances it; sleepers wake in deadline order, and a
/// cancelled sleeper wakes at once with `CancellationError`. Lets tests of timeouts, retries and
/// heartbeats run without waiting in real time, and prove that something did not happen before
/// a deadline without a fixed sleep.
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public typealias Duration = Swift.Duration
        /// Time since the clock was made.
        public var offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Duration.zero
        var nextID = 0
        var sleepers: [Sleeper] = []
        /// Sleepers cancelled before they registered.
        var cancelled: Set<Int> = []
        var requested: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { Instant(offset: state.withLock { $0.now }) }
    public var minimumResolution: Duration { .zero }
    /// Tasks sleeping on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }
    /// The earliest deadline anyone sleeps until, if anyone sleeps.
    public var nextDeadline: Instant? { deadlines.first }
    /// The deadlines of everyone sleeping now, earliest first.
    public var deadlines: [Instant] { state.withLock { $0.sleepers.map(\.deadline).sorted().map(Instant.init) } }
    /// How long each sleep so far asked for, in order.
    public var requestedSleeps: [Duration] { state.withLock { $0.requested } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.requested.append(deadline.offset - state.now)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let wake = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline.offset <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline.offset, continuation: continuation))
                    return nil
                }
                if let wake { continuation.resume(with: wake) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)  // not registered yet: it must not register
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `duration` and wakes everyone whose deadline came.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (in real time, at most `timeout`) until at least `count` tasks sleep on this clock,
    /// so that an `advance` is not lost on a sleeper that has not started yet.
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            if ContinuousClock.now > deadline { throw ManualClockTimeout(sleepers: count) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// `ManualClock.waitForSleepers` gave up.
public struct ManualClockTimeout: Error, CustomStringConvertible {
    public let sleepers: Int
    public var description: String { "timed out waiting for \(sleepers) sleepers on the manual clock" }
}
