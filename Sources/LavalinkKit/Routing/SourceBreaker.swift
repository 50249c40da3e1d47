import Foundation

/// When a source (youtube, soundcloud, …) counts as failing on a node, and for how long it is
/// avoided. The defaults suit the usual breakage (a node's YouTube source rate-limited or asked to
/// "sign in"): three failures in a row, then 30 s, doubling to at most 10 minutes.
public struct SourceBreakerPolicy: Sendable, Hashable {
    /// Consecutive failures that open the breaker.
    public var failureThreshold: Int
    /// How long the first opening lasts; each opening after a failed probe lasts `multiplier`
    /// times longer, up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    public var multiplier: Double
    /// A probe with no outcome after this long (its request was lost) lets another probe through.
    public var probeTimeout: Duration

    public init(
        failureThreshold: Int = 3, initialBackoff: Duration = .seconds(30), maximumBackoff: Duration = .seconds(600),
        multiplier: Double = 2, probeTimeout: Duration = .seconds(30)
    ) {
        self.failureThreshold = max(1, failureThreshold)
        self.initialBackoff = max(.milliseconds(1), initialBackoff)
        self.maximumBackoff = max(self.initialBackoff, maximumBackoff)
        self.multiplier = max(1, multiplier)
        self.probeTimeout = max(.milliseconds(1), probeTimeout)
    }

    /// The length of opening number `opening` (0 for the first).
    public func backoff(opening: Int) -> Duration {
        let initial = initialBackoff.seconds
        let grown = initial * pow(multiplier, Double(min(max(opening, 0), 64)))
        let capped = min(grown.isFinite ? grown : maximumBackoff.seconds, maximumBackoff.seconds)
        return .milliseconds(Int64((capped * 1000).rounded()))
    }
}

/// A circuit breaker for one source on one node, as a pure value: every input carries the time
/// (a monotonic reading, the caller's injected clock) and says what changed.
///
/// Closed: requests go through; `failureThreshold` failures in a row open it. Open: requests are
/// refused until the backoff has passed. Then the next request is let through as a probe
/// (half-open); its success closes the breaker, its failure opens it again for a longer backoff.
public struct SourceBreaker: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Duration)
        /// A probe went through at `probeSince` and its outcome is awaited.
        case halfOpen(probeSince: Duration)
    }

    /// What a request may do now.
    public enum Admission: Sendable, Hashable {
        case allowed
        /// Allowed as the probe of an open breaker whose backoff has passed.
        case probe
        case refused(retryIn: Duration)

        public var isAdmitted: Bool {
            if case .refused = self { return false }
            return true
        }
    }

    public enum Transition: Sendable, Hashable {
        case none
        case opened(for: Duration)
        case closed
    }

    public private(set) var state: State = .closed(failures: 0)
    /// Openings since the breaker was last closed; sets the next backoff.
    public private(set) var openings = 0
    /// When it last opened (nil: never), to pick the least recently opened when all are open.
    public private(set) var lastOpenedAt: Duration?

    public init() {}

    /// What a request would be told now, without taking the probe.
    public func admission(now: Duration, policy: SourceBreakerPolicy) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            return now >= until ? .probe : .refused(retryIn: until - now)
        case .halfOpen(let since):
            let retry = since + policy.probeTimeout
            return now >= retry ? .probe : .refused(retryIn: retry - now)
        }
    }

    /// Admits a request: a probe marks the breaker half-open so no second probe goes at once.
    public mutating func acquire(now: Duration, policy: SourceBreakerPolicy) -> Admission {
        let admission = admission(now: now, policy: policy)
        if admission == .probe { state = .halfOpen(probeSince: now) }
        return admission
    }

    /// A request for the source worked (a load found something or nothing, a track played):
    /// whatever the state, the source works again.
    public mutating func recordSuccess() -> Transition {
        if case .closed = state {
            state = .closed(failures: 0)
            return .none
        }
        state = .closed(failures: 0)
        openings = 0
        return .closed
    }

    /// A request for the source failed (a load error, a track exception).
    public mutating func recordFailure(now: Duration, policy: SourceBreakerPolicy) -> Transition {
        switch state {
        case .closed(let failures):
            guard failures + 1 >= policy.failureThreshold else {
                state = .closed(failures: failures + 1)
                return .none
            }
            return open(now: now, policy: policy)
        case .halfOpen:
            return open(now: now, policy: policy)
        case .open:
            // A request admitted before the breaker opened: it changes nothing.
            return .none
        }
    }

    private mutating func open(now: Duration, policy: SourceBreakerPolicy) -> Transition {
        let backoff = policy.backoff(opening: openings)
        openings += 1
        lastOpenedAt = now
        state = .open(until: now + backoff)
        return .opened(for: backoff)
    }
}
