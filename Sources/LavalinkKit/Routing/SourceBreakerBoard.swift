import Synchronization

/// `SourceBreakers` shared between tasks, with its own monotonic clock, and loads that fail over
/// from node to node in breaker order. Used by the pool, and by a process that resolves searches
/// over REST without a pool.
public final class SourceBreakerBoard: Sendable {
    /// Called (outside any lock) whenever a breaker opens or closes.
    public typealias TransitionHandler = @Sendable (_ node: String, _ source: String, _ transition: SourceBreaker.Transition) -> Void

    private let breakers: Mutex<SourceBreakers>
    /// Monotonic time, injectable so tests move it by hand.
    public let now: @Sendable () -> Duration
    private let onTransition: TransitionHandler

    public init(policy: SourceBreakerPolicy = SourceBreakerPolicy(),
                now: @escaping @Sendable () -> Duration = LavalinkNodePool.processUptime,
                onTransition: @escaping TransitionHandler = { _, _, _ in }) {
        self.breakers = Mutex(SourceBreakers(policy: policy))
        self.now = now
        self.onTransition = onTransition
    }

    public var policy: SourceBreakerPolicy { breakers.withLock { $0.policy } }

    /// See `SourceBreakers.order`.
    public func order(_ nodes: [String], source: String, probesFirst: Bool) -> [String] {
        let now = now()
        return breakers.withLock { $0.order(nodes, source: source, now: now, probesFirst: probesFirst) }
    }

    public func admission(node: String, source: String) -> SourceBreaker.Admission {
        let now = now()
        return breakers.withLock { $0.admission(node: node, source: source, now: now) }
    }

    @discardableResult
    public func acquire(node: String, source: String) -> SourceBreaker.Admission {
        let now = now()
        return breakers.withLock { $0.acquire(node: node, source: source, now: now) }
    }

    public func recordSuccess(node: String, source: String) {
        let transition = breakers.withLock { $0.recordSuccess(node: node, source: source) }
        if transition != .none { onTransition(node, source, transition) }
    }

    public func recordFailure(node: String, source: String) {
        let now = now()
        let transition = breakers.withLock { $0.recordFailure(node: node, source: source, now: now) }
        if transition != .none { onTransition(node, source, transition) }
    }

    public func reports() -> [SourceBreakers.Report] {
        let now = now()
        return breakers.withLock { $0.reports(now: now) }
    }

    /// Loads `identifier` on `nodes` (the caller's preference order), reordered by the breakers
    /// of its source: a node due for a probe first, then closed ones, then open ones least
    /// recently opened first. An error answer or no answer moves on to the next node, so the
    /// caller gets an error only when every node failed.
    ///
    /// What counts against a node's source: no answer (a request that never left this client,
    /// `clientBusy`, is no answer of the node's); an error answer when another node found
    /// the identifier (the source is broken there, not the item); an error of severity other
    /// than `common` ("something is wrong with the source"). An error every node gives with
    /// `common` severity is about the item (a deleted video) and counts against nobody.
    public func load(
        _ identifier: String, on nodes: [String], using load: @Sendable (String) async throws -> LoadResult
    ) async throws -> LoadResult {
        let source = TrackSource.of(identifier: identifier)
        var itemErrors: [String] = []
        var lastError: (any Error)?
        var lastErrorResult: LoadResult?
        for node in order(nodes, source: source, probesFirst: true) {
            acquire(node: node, source: source)
            let result: LoadResult
            do {
                result = try await load(node)
            } catch let error as LavalinkError where error.code == .clientBusy {
                // Never asked: says nothing of the node's source.
                lastError = error
                continue
            } catch {
                recordFailure(node: node, source: source)
                lastError = error
                continue
            }
            if case .error(let exception) = result {
                if exception.severity == .common {
                    itemErrors.append(node)
                } else {
                    recordFailure(node: node, source: source)
                }
                lastErrorResult = result
                continue
            }
            // Found (or found nothing, which is an answer too): the nodes that said "error" for
            // what this one answered have a broken source.
            for failed in itemErrors { recordFailure(node: failed, source: source) }
            recordSuccess(node: node, source: source)
            return result
        }
        if let lastErrorResult { return lastErrorResult }
        throw lastError ?? LavalinkError(.noNodeAvailable, "no Lavalink node is connected; players will start once one is")
    }
}
