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

    @Test("a session record and its indexes share a hash tag, so its script stays on one cluster slot")
    func recordKeysShareATag() async throws {
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        let store = RedisStateStore(redis: client)
        let session = SessionKey(guild: GuildID(77), channel: ChannelID(5))
        var record = SessionRecord(session: session, now: Date(epochMilliseconds: 0))
        record.version = 1
        record.binding = SessionBinding(worker: WorkerID(1), boundAt: Date(epochMilliseconds: 0))
        #expect(try await store.saveSessionRecord(record, due: Date(epochMilliseconds: 1)))
        let keys = try await client.send("KEYS", "anankor:*").array?.compactMap(\.string) ?? []
        #expect(keys.count == 4, "record, guild index, worker index, due set: \(keys)")
        // Redis Cluster hashes only the first {…} of a key.
        let tags = keys.map { key in key.split(separator: "{", maxSplits: 1).last?.split(separator: "}").first }
        #expect(Set(tags) == ["sr"])
    }
}
