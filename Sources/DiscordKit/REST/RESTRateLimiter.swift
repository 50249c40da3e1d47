import Foundation

/// Discord's REST rate limits, as its docs describe them: per-route buckets learned from the
/// `X-RateLimit-*` headers (the bucket hash is shared by routes, split per major parameter), a
/// global cap per second, and 429s carrying `retry_after`, `global` and a scope.
///
/// Callers of one bucket queue: while a bucket is still unknown only one request probes it, and a
/// bucket with nothing remaining holds its callers until its reset instead of letting them all
/// fire into a 429.
public actor RESTRateLimiter {
    /// Handed out by `acquire`, returned through `complete` or `cancel`.
    public struct Ticket: Sendable {
        let bucketKey: String
        let probing: Bool
    }

    /// What the limiter learned from an answer's headers.
    public struct Headers: Sendable, Equatable {
        var bucket: String?
        var limit: Int?
        var remaining: Int?
        var resetAfter: Double?
        var retryAfter: Double?
        var global: Bool
        var scope: String?

        init(_ response: RESTResponse) {
            bucket = response.header("X-RateLimit-Bucket")
            limit = response.header("X-RateLimit-Limit").flatMap { Int($0) }
            remaining = response.header("X-RateLimit-Remaining").flatMap { Int($0) }
            resetAfter = response.header("X-RateLimit-Reset-After").flatMap { Double($0) }
            global = response.header("X-RateLimit-Global")?.lowercased() == "true"
            scope = response.header("X-RateLimit-Scope")
            retryAfter = response.header("Retry-After").flatMap { Double($0) }
            if response.status == 429, let body = try? JSONDecoder().decode(RateLimitBody.self, from: Data(response.body.readableBytesView)) {
                if let value = body.retryAfter { retryAfter = value }
                if body.global == true { global = true }
            }
        }
    }

    struct RateLimitBody: Decodable {
        var retryAfter: Double?
        var global: Bool?
        enum CodingKeys: String, CodingKey {
            case global
            case retryAfter = "retry_after"
        }
    }

    struct Bucket {
        /// nil until an answer told us; `Int.max` for routes without limits.
        var limit: Int?
        var remaining = 0
        var resetAt: Duration?
        /// A request of a still unknown bucket is in flight; others wait for its headers.
        var probing = false
        /// A caller sleeps until `resetAt`; others wait for it to wake them.
        var sleeping = false
        /// Requests sent and not yet answered.
        var inFlight = 0
        /// Requests waiting for the bucket, by waiter (a cancelled one removes itself).
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var lastUsed: Duration
    }

    private let time: DiscordTimeSource
    private let globalLimit: Int
    private var bucketHashes: [String: String] = [:]
    private var buckets: [String: Bucket] = [:]
    private var globalBlockedUntil = Duration.zero
    private var recentGlobalSends: [Duration] = []
    private var completions = 0
    /// 401, 403 and 429 (except scope shared) answers; Discord bans an IP at 10,000 per 10 minutes.
    public private(set) var invalidRequestCount = 0

    public init(time: DiscordTimeSource, globalLimitPerSecond: Int = 50) {
        self.time = time
        self.globalLimit = max(1, globalLimitPerSecond)
    }

    /// Waits until the bucket wakes its waiters, or the task is cancelled (the caller's loop
    /// then throws `CancellationError`).
    private func waitForBucket(_ key: String) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                guard !Task.isCancelled, buckets[key] != nil else { return continuation.resume() }
                buckets[key]?.waiters[id] = continuation
            }
        } onCancel: {
            Task { await self.stopWaiting(key, id) }
        }
    }

    /// Callers waiting on a bucket (for tests).
    var waiterCount: Int { buckets.values.reduce(0) { $0 + $1.waiters.count } }

    private func stopWaiting(_ key: String, _ id: UUID) {
        buckets[key]?.waiters.removeValue(forKey: id)?.resume()
    }

    private func bucketKey(_ route: RESTRoute) -> String {
        if let hash = bucketHashes[route.template] { return "\(hash)|\(route.majorParameter)" }
        return "\(route.template)|\(route.majorParameter)"
    }

    /// Waits until `route` may be sent.
    public func acquire(_ route: RESTRoute) async throws -> Ticket {
        while true {
            try Task.checkCancellation()
            let now = time.now()
            // Interaction callbacks and their webhooks are not bound by the bot's global limit:
            // a global 429 must not hold a member's answer back.
            if route.countsTowardGlobal, now < globalBlockedUntil {
                try await time.sleep(globalBlockedUntil - now)
                continue
            }
            let key = bucketKey(route)
            var bucket = buckets[key] ?? Bucket(lastUsed: now)
            if bucket.probing || bucket.sleeping {
                buckets[key] = bucket
                await waitForBucket(key)
                continue
            }
            if bucket.limit != nil, bucket.remaining <= 0, bucket.resetAt == nil, bucket.inFlight > 0 {
                // The headers of the current window are still on their way: wait for them.
                buckets[key] = bucket
                await waitForBucket(key)
                continue
            }
            if let limit = bucket.limit, bucket.remaining <= 0 {
                if let resetAt = bucket.resetAt, now < resetAt {
                    bucket.sleeping = true
                    buckets[key] = bucket
                    do {
                        try await time.sleep(resetAt - now)
                    } catch {
                        buckets[key]?.sleeping = false
                        wake(key)
                        throw error
                    }
                    buckets[key]?.sleeping = false
                    if buckets[key]?.resetAt == resetAt {
                        buckets[key]?.remaining = limit
                        buckets[key]?.resetAt = nil
                    }
                    wake(key)
                    continue
                }
                bucket.remaining = limit
                bucket.resetAt = nil
            }
            if route.countsTowardGlobal {
                recentGlobalSends.removeAll { now - $0 >= .seconds(1) }
                if recentGlobalSends.count >= globalLimit, let oldest = recentGlobalSends.first {
                    buckets[key] = bucket
                    try await time.sleep(oldest + .seconds(1) - now)
                    continue
                }
                recentGlobalSends.append(now)
            }
            let probing = bucket.limit == nil
            if probing { bucket.probing = true } else if bucket.remaining != .max { bucket.remaining -= 1 }
            bucket.lastUsed = now
            bucket.inFlight += 1
            buckets[key] = bucket
            return Ticket(bucketKey: key, probing: probing)
        }
    }

    /// A 429 that did not come from Discord's API but from its edge (Cloudflare), which bans an
    /// address after too many invalid requests: no `Via` header and no JSON `retry_after` body.
    static func isEdgeBan(_ response: RESTResponse) -> Bool {
        guard response.status == 429, response.header("Via") == nil else { return false }
        let body = try? JSONDecoder().decode(RateLimitBody.self, from: Data(response.body.readableBytesView))
        return body?.retryAfter == nil
    }

    /// Learns from an answer. Returns how long to wait before retrying when it was a 429.
    @discardableResult
    public func complete(_ ticket: Ticket, route: RESTRoute, response: RESTResponse) -> Duration? {
        let now = time.now()
        let headers = Headers(response)
        if let hash = headers.bucket, !hash.isEmpty { bucketHashes[route.template] = hash }
        let key = bucketKey(route)
        var bucket = buckets[key] ?? Bucket(lastUsed: now)
        if ticket.probing { bucket.probing = false }
        if ticket.bucketKey == key {
            bucket.inFlight = max(0, bucket.inFlight - 1)
        } else if let old = buckets[ticket.bucketKey]?.inFlight {
            buckets[ticket.bucketKey]?.inFlight = max(0, old - 1)
        }

        if let limit = headers.limit, let remaining = headers.remaining, let resetAfter = headers.resetAfter {
            let resetAt = now + .clampedSeconds(resetAfter)
            // Requests still in flight may not be counted in this answer yet: assume they are not.
            let available = max(0, remaining - bucket.inFlight)
            if let known = bucket.resetAt, bucket.limit != nil, abs((known - resetAt).secondsValue) < 1 {
                bucket.remaining = min(bucket.remaining, available)
            } else {
                bucket.remaining = available
            }
            bucket.limit = max(1, limit)
            bucket.resetAt = resetAt
        } else if bucket.limit == nil, response.status != 429 {
            bucket.limit = .max
            bucket.remaining = .max
        }

        var retryAfter: Duration?
        if Self.isEdgeBan(response) {
            // Not a bucket's limit: the whole address is refused; DiscordREST fails the call.
            retryAfter = .clampedSeconds(headers.retryAfter ?? 1)
        } else if response.status == 429 {
            let wait = Duration.clampedSeconds(headers.retryAfter ?? 1)
            retryAfter = wait
            if headers.global || headers.scope == "global" {
                globalBlockedUntil = max(globalBlockedUntil, now + wait)
            } else {
                if bucket.limit == nil || bucket.limit == .max { bucket.limit = 1 }
                bucket.remaining = 0
                bucket.resetAt = now + wait
            }
            if headers.scope != "shared" { invalidRequestCount += 1 }
        } else if response.status == 401 || response.status == 403 {
            invalidRequestCount += 1
        }

        buckets[key] = bucket
        if ticket.bucketKey != key {
            buckets[ticket.bucketKey]?.probing = false
            wake(ticket.bucketKey)
        }
        wake(key)
        completions += 1
        if completions % 1024 == 0 { prune(now: now) }
        return retryAfter
    }

    /// Gives a ticket back when its request got no answer.
    public func cancel(_ ticket: Ticket) {
        if ticket.probing { buckets[ticket.bucketKey]?.probing = false }
        if let old = buckets[ticket.bucketKey]?.inFlight { buckets[ticket.bucketKey]?.inFlight = max(0, old - 1) }
        wake(ticket.bucketKey)
    }

    private func wake(_ key: String) {
        guard let waiters = buckets[key]?.waiters, !waiters.isEmpty else { return }
        buckets[key]?.waiters = [:]
        for waiter in waiters.values { waiter.resume() }
    }

    /// Forgets idle buckets so a bot touching many channels does not grow without bound.
    private func prune(now: Duration) {
        guard buckets.count > 4096 else { return }
        buckets = buckets.filter { _, bucket in
            bucket.probing || bucket.sleeping || bucket.inFlight > 0 || !bucket.waiters.isEmpty || now - bucket.lastUsed < .seconds(60)
                || (bucket.resetAt.map { $0 > now } ?? false)
        }
    }

    /// The number of buckets known, for tests and metrics.
    public var bucketCount: Int { buckets.count }
}
