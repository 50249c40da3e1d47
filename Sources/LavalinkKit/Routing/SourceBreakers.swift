/// Every node's breaker for every source, as one pure value. Nodes and sources are named by the
/// caller; a breaker exists once a source was used on a node.
public struct SourceBreakers: Sendable {
    public struct Key: Sendable, Hashable, Comparable {
        public var node: String
        public var source: String

        public init(node: String, source: String) {
            self.node = node
            self.source = source
        }

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.node, lhs.source) < (rhs.node, rhs.source) }
    }

    /// One breaker as operators see it (`/ready`, metrics, logs).
    public struct Report: Sendable, Hashable {
        public var node: String
        public var source: String
        public var state: SourceBreaker.State
        /// Time left before a probe may go (zero when one may go now or the breaker is closed).
        public var retryIn: Duration
        public var openings: Int

        public var isClosed: Bool {
            if case .closed = state { return true }
            return false
        }

        /// One line for operators: `lavalink-eu:2333 youtube open, probe in 28 s (opening 2)`.
        public var summary: String {
            switch stateName {
            case "open":
                let seconds = Int((Double(retryIn.components.seconds) + Double(retryIn.components.attoseconds) / 1e18).rounded(.up))
                return "\(node) \(source) open, probe in \(seconds) s (opening \(openings))"
            case "half-open": return "\(node) \(source) half-open, probing (opening \(openings))"
            default: return "\(node) \(source) closed"
            }
        }

        /// `closed`, `open` or `half-open` (a probe may go, or is out).
        public var stateName: String {
            switch state {
            case .closed: "closed"
            case .open: retryIn > .zero ? "open" : "half-open"
            case .halfOpen: "half-open"
            }
        }
    }

    public var policy: SourceBreakerPolicy
    private var breakers: [Key: SourceBreaker] = [:]

    public init(policy: SourceBreakerPolicy = SourceBreakerPolicy()) {
        self.policy = policy
    }

    public func breaker(node: String, source: String) -> SourceBreaker {
        breakers[Key(node: node, source: source)] ?? SourceBreaker()
    }

    public func admission(node: String, source: String, now: Duration) -> SourceBreaker.Admission {
        breaker(node: node, source: source).admission(now: now, policy: policy)
    }

    /// Admits a request for `source` on `node` (taking the probe when that is what it is).
    public mutating func acquire(node: String, source: String, now: Duration) -> SourceBreaker.Admission {
        let key = Key(node: node, source: source)
        guard breakers[key] != nil else { return .allowed }
        return breakers[key]!.acquire(now: now, policy: policy)
    }

    @discardableResult
    public mutating func recordSuccess(node: String, source: String) -> SourceBreaker.Transition {
        let key = Key(node: node, source: source)
        guard breakers[key] != nil else { return .none }
        return breakers[key]!.recordSuccess()
    }

    @discardableResult
    public mutating func recordFailure(node: String, source: String, now: Duration) -> SourceBreaker.Transition {
        breakers[Key(node: node, source: source), default: SourceBreaker()].recordFailure(now: now, policy: policy)
    }

    /// The order to try `nodes` in for a request for `source`: nodes whose breaker is closed in the
    /// given order (the caller's preference), then nodes whose breaker lets a probe through, then
    /// the open ones, least recently opened first — so while any node may work, one is tried.
    /// With `probesFirst`, a node due for a probe goes first: a request that can fall back to
    /// the next node on failure (a load) carries the probe, so a recovered source is noticed.
    public func order(_ nodes: [String], source: String, now: Duration, probesFirst: Bool) -> [String] {
        var closed: [String] = []
        var probes: [String] = []
        var open: [(String, Duration?)] = []
        for node in nodes {
            let breaker = breaker(node: node, source: source)
            switch breaker.admission(now: now, policy: policy) {
            case .allowed: closed.append(node)
            case .probe: probes.append(node)
            case .refused: open.append((node, breaker.lastOpenedAt))
            }
        }
        let leastRecentlyOpened = open.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element.1 ?? .zero, rhs.element.1 ?? .zero)
            return l == r ? lhs.offset < rhs.offset : l < r
        }.map(\.element.0)
        return (probesFirst ? probes + closed : closed + probes) + leastRecentlyOpened
    }

    /// Every breaker that exists, sorted by node and source.
    public func reports(now: Duration) -> [Report] {
        breakers.keys.sorted().compactMap { key in
            guard let breaker = breakers[key] else { return nil }
            let retryIn: Duration = switch breaker.admission(now: now, policy: policy) {
            case .refused(let retry): retry
            case .allowed, .probe: .zero
            }
            return Report(node: key.node, source: key.source, state: breaker.state, retryIn: retryIn,
                          openings: breaker.openings)
        }
    }
}
