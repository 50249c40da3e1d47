import AnankorCore
import AnankorDistributed
import AnankorTesting
import Foundation
import RedisKit
import Testing

/// Redis-only traps the contract suite cannot express.
@Suite("JobBus on Redis Streams")
struct JobBusRedisTests {
    @Test("a pending job trimmed away is dead-lettered as such, never handed out as an empty job")
    func trimmedWhilePending() async throws {
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        let bus = RedisJobBus(redis: client, policy: JobBusPolicy(reclaimIdle: .milliseconds(100), maxDeliveries: 5))
        let worker = WorkerID(9)
        try await bus.send(BusFixtures.job(1), to: worker)
        try await bus.send(BusFixtures.job(2), to: worker)
        let first = try await bus.receiveJobs(for: worker, as: "dead", limit: 1, waitingUpTo: .seconds(5))
        #expect(first.map(\.envelope) == [BusFixtures.job(1)])
        // Exact trimming to one entry drops job 1 while it is still pending (XAUTOCLAIM then lists
        // its id in the third reply element, Redis ≥ 7).
        _ = try await client.xtrim("anankor:{bus:jobs:9}:stream", .maxLength(1, approximate: false))
        let next = try await BusFixtures.collect(1) {
            try await bus.receiveJobs(for: worker, as: "live", limit: 10, waitingUpTo: .seconds(1))
        }
        #expect(next.map(\.envelope) == [BusFixtures.job(2)])
        for delivery in next { try await bus.acknowledge(delivery) }
        // Once job 1 is idle long enough, the next receive reclaims: its id comes back as deleted.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while clock.now < deadline, try await bus.deadLetters(in: .jobs(worker), limit: 1).isEmpty {
            #expect(try await bus.receiveJobs(for: worker, as: "live", limit: 10, waitingUpTo: .milliseconds(200)).isEmpty)
        }
        let dead = try await bus.deadLetters(in: .jobs(worker), limit: 10)
        #expect(dead.map(\.id) == [first[0].receipt.id])
        #expect(dead.first?.reason == "trimmed from the stream while pending")
        #expect(try await bus.pendingCounts(in: .jobs(worker)).values.reduce(0, +) == 0)
    }

    @Test("state keys of one guild share a hash tag, so each script stays on one cluster slot")
    func guildKeysShareATag() async throws {
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        let store = RedisStateStore(redis: client)
        let session = SessionKey(guild: GuildID(77), channel: ChannelID(5))
        _ = try await store.bind(session, to: WorkerID(1), cap: 5, now: Date(epochMilliseconds: 0))
        try await store.enqueue([Fixed.entry(1)], in: session, at: .end)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Date(epochMilliseconds: 0))
        let keys = try await client.send("KEYS", "anankor:{g:77}*").array?.compactMap(\.string) ?? []
        #expect(Set(keys) == ["anankor:{g:77}:bindings", "anankor:{g:77}:bound-workers", "anankor:{g:77}:s:5"])
        // Redis Cluster hashes only the first {…} of a key.
        let tags = keys.map { key in key.split(separator: "{", maxSplits: 1).last?.split(separator: "}").first }
        #expect(Set(tags) == ["g:77"])
    }
}
