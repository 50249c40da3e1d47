import AnankorTesting
@testable import DiscordKit
import Synchronization
import Testing

/// A server-side bucket as Discord runs one: `limit` requests per `window`, 429 past that.
final class EmulatedBucket: Sendable {
    struct State {
        var windowStart = Duration.zero
        var used = 0
        var rejected = 0
    }

    let limit: Int
    let window: Duration
    let hash: String
    let state = Mutex(State())

    init(limit: Int, window: Duration, hash: String = "abcd1234") {
        self.limit = limit
        self.window = window
        self.hash = hash
    }

    var rejected: Int { state.withLock { $0.rejected } }

    func answer(at now: Duration) -> RESTResponse {
        state.withLock { state in
            if now >= state.windowStart + window {
                state.windowStart = now
                state.used = 0
            }
            let resetAfter = (state.windowStart + window - now).secondsValue
            if state.used >= limit {
                state.rejected += 1
                return jsonResponse(429, #"{"message": "You are being rate limited.", "retry_after": \#(resetAfter), "global": false}"#,
                                    headers: [("X-RateLimit-Scope", "user"), ("Retry-After", "\(Int(resetAfter.rounded(.up)))"),
                                              ("Via", "1.1 google")])
            }
            state.used += 1
            return jsonResponse(200, #"{"id": "1", "channel_id": "2"}"#, headers: [
                ("X-RateLimit-Limit", "\(limit)"), ("X-RateLimit-Remaining", "\(limit - state.used)"),
                ("X-RateLimit-Reset-After", "\(resetAfter)"), ("X-RateLimit-Bucket", hash),
            ])
        }
    }
}

/// Advances the manual clock whenever something sleeps on it, until `task` finishes.
func drive<T: Sendable>(_ clock: ManualClock, step: Duration = .milliseconds(250), _ task: Task<T, any Error>)
    async throws -> T
{
    let done = Mutex(false)
    let driver = Task {
        let deadline = ContinuousClock.now + .seconds(10)
        while !done.withLock({ $0 }) && ContinuousClock.now < deadline {
            if clock.sleeperCount > 0 { clock.advance(by: step) }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
    defer {
        done.withLock { $0 = true }
        driver.cancel()
    }
    return try await task.value
}

@Suite("REST rate limiter")
struct RESTRateLimiterTests {
    let clock: ManualClock
    let time: DiscordTimeSource

    init() {
        let clock = ManualClock()
        self.clock = clock
        self.time = DiscordTimeSource(clock: clock)
    }

    @Test("a bucket learned from headers holds the next caller until its reset")
    func bucketFromHeaders() async throws {
        let limiter = RESTRateLimiter(time: time)
        let route = RESTRoute(.post, "/channels/1/messages", template: "/channels/:channel/messages", major: "channel:1")
        let first = try await limiter.acquire(route)
        await limiter.complete(first, route: route, response: RESTResponse(status: 200, headers: [
            ("X-RateLimit-Limit", "2"), ("X-RateLimit-Remaining", "1"), ("X-RateLimit-Reset-After", "2.5"),
            ("X-RateLimit-Bucket", "hash"),
        ]))
        _ = try await limiter.acquire(route)
        let third = Task { try await limiter.acquire(route) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        #expect(clock.sleeperCount == 1, "still waiting before the reset")
        clock.advance(by: .milliseconds(500))
        _ = try await third.value
    }

    @Test("routes sharing a bucket hash share its limit, but a different channel does not")
    func sharedBucketsSplitByMajorParameter() async throws {
        let limiter = RESTRateLimiter(time: time)
        let edit = RESTRoute(.patch, "/channels/1/messages/5", template: "/channels/:channel/messages/:message",
                             major: "channel:1")
        let headers = [("X-RateLimit-Limit", "1"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "3"),
                       ("X-RateLimit-Bucket", "shared")]
        let ticket = try await limiter.acquire(edit)
        await limiter.complete(ticket, route: edit, response: RESTResponse(status: 200, headers: headers))
        // Another channel, same route: its own bucket, goes at once.
        let other = RESTRoute(.patch, "/channels/2/messages/5", template: "/channels/:channel/messages/:message",
                              major: "channel:2")
        _ = try await limiter.acquire(other)
        // Same channel again: waits for the reset.
        let waiting = Task { try await limiter.acquire(edit) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        _ = try await waiting.value
    }

    @Test("concurrent callers on one bucket queue instead of firing into a 429")
    func concurrentCallersQueue() async throws {
        let bucket = EmulatedBucket(limit: 2, window: .seconds(1))
        let transport = FakeTransport(time: time) { _, now in bucket.answer(at: now) }
        let rest = DiscordREST(token: BotToken("secret-token"), transport: transport, time: time)
        let calls = Task {
            try await withThrowingTaskGroup(of: Message.self) { group in
                for index in 0..<7 {
                    group.addTask { try await rest.createMessage(channelID: Snowflake(42), MessageCreate(content: "\(index)")) }
                }
                return try await group.reduce(into: 0) { count, _ in count += 1 }
            }
        }
        let sent = try await drive(clock, calls)
        #expect(sent == 7)
        #expect(bucket.rejected == 0, "no request hit a 429")
        #expect(transport.requests.count == 7)
        // 7 requests at 2 per second need at least three further windows.
        #expect((transport.requests.last?.at ?? .zero) >= .seconds(3))
    }

    @Test("a caller waiting behind a probe stops waiting when its task is cancelled")
    func waiterCancelled() async throws {
        let limiter = RESTRateLimiter(time: time)
        let route = RESTRoute(.post, "/channels/1/messages", template: "/channels/:channel/messages", major: "channel:1")
        let probe = try await limiter.acquire(route)  // in flight, its headers not back yet
        let waiter = Task { try await limiter.acquire(route) }
        try await eventually("the second caller waits behind the probe") { await limiter.waiterCount == 1 }
        waiter.cancel()
        let outcome = Recorded<Bool>()
        Task {
            do {
                _ = try await waiter.value
                outcome.append(false)
            } catch {
                outcome.append(error is CancellationError)
            }
        }
        try await eventually("the cancelled caller ends") { !outcome.all.isEmpty }
        let ended = outcome.all.first
        #expect(ended == true, "the cancelled caller ends with CancellationError while the probe is still out")
        await limiter.complete(probe, route: route, response: RESTResponse(status: 200, headers: []))
    }

    @Test("the first request of an unknown bucket goes alone")
    func unknownBucketProbesAlone() async throws {
        let bucket = EmulatedBucket(limit: 5, window: .seconds(1))
        let transport = FakeTransport(time: time) { _, now in
            try await Task.sleep(for: .milliseconds(20))
            return bucket.answer(at: now)
        }
        let rest = DiscordREST(token: BotToken("t"), transport: transport, time: time)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask { _ = try await rest.createMessage(channelID: Snowflake(7), MessageCreate(content: "x")) }
            }
            try await group.waitForAll()
        }
        #expect(transport.maxInFlight.withLock { $0 } <= 2)
        #expect(bucket.rejected == 0)
    }

    @Test("a 429 is waited out for retry_after and retried")
    func recoversFrom429() async throws {
        let answered = Mutex(0)
        let transport = FakeTransport(time: time) { _, _ in
            let count = answered.withLock { value -> Int in
                value += 1
                return value
            }
            if count == 1 {
                return jsonResponse(429, #"{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}"#,
                                    headers: [("X-RateLimit-Scope", "user"), ("Via", "1.1 google")])
            }
            return jsonResponse(200, #"{"id": "80351110224678912", "username": "Nelly"}"#)
        }
        let rest = DiscordREST(token: BotToken("t"), transport: transport, time: time)
        let user = try await drive(clock, Task { try await rest.getCurrentUser() })
        #expect(user.username == "Nelly")
        let times = transport.requests.map(\.at)
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= .milliseconds(1500))
    }

    @Test("a global 429 holds every route bound by the global limit, but not a member's interaction answer")
    func global429HoldsAllRoutes() async throws {
        let limiter = RESTRateLimiter(time: time)
        let a = RESTRoute(.get, "/users/@me", template: "/users/@me")
        let b = RESTRoute(.get, "/guilds/1/roles", template: "/guilds/:guild/roles", major: "guild:1")
        let ticket = try await limiter.acquire(a)
        let wait = await limiter.complete(ticket, route: a, response: jsonResponse(
            429, #"{"message": "You are being rate limited.", "retry_after": 2, "global": true}"#,
            headers: [("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")]))
        #expect(wait == .seconds(2))
        let other = Task { try await limiter.acquire(b) }
        try await clock.waitForSleepers(1)
        // Interaction endpoints are exempt from the global limit: the answer goes at once, while
        // the other route still waits.
        let callback = RESTRoute(.post, "/interactions/1/x/callback", template: "/interactions/:i/:t/callback",
                                 major: "webhook:1", countsTowardGlobal: false, authenticated: false)
        _ = try await limiter.acquire(callback)
        #expect(clock.sleeperCount == 1, "only the global route is held")
        clock.advance(by: .seconds(2))
        _ = try await other.value
    }

    @Test("more than 50 requests in a second wait for the global window; interaction callbacks are exempt")
    func globalLimitPerSecond() async throws {
        let limiter = RESTRateLimiter(time: time)
        for channel in 0..<50 {
            let route = RESTRoute(.get, "/channels/\(channel)", template: "/channels/:channel", major: "channel:\(channel)")
            let ticket = try await limiter.acquire(route)
            await limiter.complete(ticket, route: route, response: RESTResponse(status: 200))
        }
        let callback = RESTRoute(.post, "/interactions/1/x/callback", template: "/interactions/:i/:t/callback",
                                 major: "webhook:1", countsTowardGlobal: false, authenticated: false)
        _ = try await limiter.acquire(callback)
        let fiftyFirst = Task {
            try await limiter.acquire(RESTRoute(.get, "/channels/99", template: "/channels/:channel", major: "channel:99"))
        }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        _ = try await fiftyFirst.value
    }

    @Test("401, 403 and 429 count toward the invalid-request budget, except 429s of scope shared")
    func invalidRequestCount() async throws {
        let limiter = RESTRateLimiter(time: time)
        let route = RESTRoute(.get, "/guilds/1/roles", template: "/guilds/:guild/roles", major: "guild:1")
        for (status, scope) in [(403, nil), (429, "shared"), (429, "user"), (200, nil)] as [(Int, String?)] {
            let ticket = try await limiter.acquire(route)
            let headers = scope.map { [("X-RateLimit-Scope", $0)] } ?? []
            await limiter.complete(ticket, route: route, response: jsonResponse(
                status, status == 429 ? #"{"message": "limited", "retry_after": 0.001, "global": false}"# : "{}",
                headers: headers))
            clock.advance(by: .seconds(1))
        }
        #expect(await limiter.invalidRequestCount == 2)
    }
}
