import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: leases and workers")
struct StateStoreLeaseContractTests {
    let token = LeaseName.workerToken(WorkerID(100))
    let alpha = LeaseHolder("host-a:1")
    let beta = LeaseHolder("host-b:2")

    @Test("a lease is exclusive until it expires; the next holder gets a higher fencing token", arguments: StateStoreAdapter.all)
    func exclusiveAndFenced(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let first = try #require(try await store.acquireLease(token, holder: alpha, ttl: .seconds(10), now: Fixed.t0).lease)
        let refused = try await store.acquireLease(token, holder: beta, ttl: .seconds(10), now: Fixed.at(5))
        #expect(refused == .held(first))
        // Re-acquiring by the same holder extends it with the same token.
        let again = try #require(try await store.acquireLease(token, holder: alpha, ttl: .seconds(10), now: Fixed.at(5)).lease)
        #expect(again.fencingToken == first.fencingToken && again.expiresAt == Fixed.at(15))
        let second = try #require(try await store.acquireLease(token, holder: beta, ttl: .seconds(10), now: Fixed.at(15)).lease)
        #expect(second.fencingToken > first.fencingToken)
        // The stale holder can neither renew nor release.
        #expect(try await store.renewLease(again, ttl: .seconds(10), now: Fixed.at(16)) == nil)
        #expect(try await !store.releaseLease(again))
        #expect(try await store.currentLease(token, now: Fixed.at(16)) == second)
    }

    @Test("renew extends, release frees, and tokens keep rising after a release", arguments: StateStoreAdapter.all)
    func renewRelease(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let lease = try #require(try await store.acquireLease(.shard(0), holder: alpha, ttl: .seconds(10), now: Fixed.t0).lease)
        let renewed = try #require(try await store.renewLease(lease, ttl: .seconds(30), now: Fixed.at(9)))
        #expect(renewed.expiresAt == Fixed.at(39))
        #expect(try await store.renewLease(renewed, ttl: .seconds(30), now: Fixed.at(40)) == nil, "expired leases are lost")
        let fresh = try #require(try await store.acquireLease(.shard(0), holder: alpha, ttl: .seconds(10), now: Fixed.at(41)).lease)
        #expect(fresh.fencingToken > lease.fencingToken)
        #expect(try await store.releaseLease(fresh))
        #expect(try await store.currentLease(.shard(0), now: Fixed.at(42)) == nil)
        let next = try #require(try await store.acquireLease(.shard(0), holder: beta, ttl: .seconds(10), now: Fixed.at(42)).lease)
        #expect(next.fencingToken > fresh.fencingToken)
    }

    @Test("concurrent acquirers: exactly one wins", arguments: StateStoreAdapter.all)
    func concurrentAcquire(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let winners = try await withThrowingTaskGroup(of: Lease?.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await store.acquireLease(.shard(3), holder: LeaseHolder("p\(index)"), ttl: .seconds(10), now: Fixed.t0).lease
                }
            }
            return try await group.reduce(into: [Lease]()) { if let lease = $1 { $0.append(lease) } }
        }
        #expect(winners.count == 1)
    }

    @Test("heartbeats need the current token lease; expiry marks a worker dead", arguments: StateStoreAdapter.all)
    func heartbeatLiveness(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let worker = WorkerID(100)
        let lease = try #require(try await store.acquireLease(token, holder: alpha, ttl: .seconds(30), now: Fixed.t0).lease)
        try await store.heartbeat(worker, fencingToken: lease.fencingToken, load: 2, ttl: .seconds(10), now: Fixed.t0)
        let live = try await store.liveWorkers(now: Fixed.at(5))
        #expect(live == [WorkerStatus(worker: worker, fencingToken: lease.fencingToken, load: 2, lastSeen: Fixed.t0,
                                      expiresAt: Fixed.at(10))])
        #expect(try await store.expiredWorkers(now: Fixed.at(5)).isEmpty)
        #expect(try await store.liveWorkers(now: Fixed.at(10)).isEmpty)
        #expect(try await store.expiredWorkers(now: Fixed.at(10)).map(\.worker) == [worker])
        let stale = FencingToken(lease.fencingToken.rawValue + 7)
        await #expect { try await store.heartbeat(worker, fencingToken: stale, load: 0, ttl: .seconds(10), now: Fixed.at(11)) }
            throws: { ($0 as? StateStoreError)?.code == .staleFence }
        try await store.removeWorker(worker)
        #expect(try await store.expiredWorkers(now: Fixed.at(60)).isEmpty)
    }

    @Test("guild membership per worker and per guild", arguments: StateStoreAdapter.all)
    func membership(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.setGuilds([GuildID(1), GuildID(2)], of: WorkerID(100))
        try await store.setGuilds([GuildID(2)], of: WorkerID(200))
        try await store.setMembership(true, of: WorkerID(200), in: GuildID(3))
        try await store.setMembership(false, of: WorkerID(100), in: GuildID(1))
        #expect(try await store.guilds(of: WorkerID(100)) == [GuildID(2)])
        #expect(try await store.workers(in: GuildID(2)) == [WorkerID(100), WorkerID(200)])
        #expect(try await store.workers(in: GuildID(3)) == [WorkerID(200)])
        try await store.setGuilds([], of: WorkerID(200))
        #expect(try await store.workers(in: GuildID(3)).isEmpty)
        #expect(try await store.workers(in: GuildID(2)) == [WorkerID(100)])
    }

    @Test("each worker's roles per guild, read for the whole guild at once; leaving the guild forgets them",
          arguments: StateStoreAdapter.all)
    func workerRoles(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.setGuilds([GuildID(1), GuildID(2)], of: WorkerID(100))
        try await store.setGuilds([GuildID(1)], of: WorkerID(200))
        #expect(try await store.workerRoles(in: GuildID(1)).isEmpty, "nothing reported yet")
        try await store.setRoles([RoleID(10), RoleID(11)], of: WorkerID(100), in: GuildID(1))
        try await store.setRoles([], of: WorkerID(200), in: GuildID(1))
        try await store.setRoles([RoleID(12)], of: WorkerID(100), in: GuildID(2))
        #expect(try await store.workerRoles(in: GuildID(1)) == [WorkerID(100): [RoleID(10), RoleID(11)], WorkerID(200): []],
                "no roles (only @everyone) is an entry of its own")
        try await store.setRoles([RoleID(13)], of: WorkerID(100), in: GuildID(1))
        #expect(try await store.workerRoles(in: GuildID(1))[WorkerID(100)] == [RoleID(13)], "replaced")
        try await store.setMembership(false, of: WorkerID(200), in: GuildID(1))
        try await store.setGuilds([GuildID(1)], of: WorkerID(100))
        #expect(try await store.workerRoles(in: GuildID(1)) == [WorkerID(100): [RoleID(13)]])
        #expect(try await store.workerRoles(in: GuildID(2)).isEmpty, "the guild it left forgets its roles")
    }

    @Test("resume info is kept per bot and shard", arguments: StateStoreAdapter.all)
    func resumeInfo(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let key = ResumeKey(bot: UserID(100), shard: 1)
        let info = ResumeInfo(gatewaySessionID: "abc", sequence: 42, resumeGatewayURL: "wss://resume.example",
                              lavalinkSessionID: "ll-1", updatedAt: Fixed.t0)
        try await store.saveResumeInfo(info, for: key)
        #expect(try await store.resumeInfo(for: key) == info)
        #expect(try await store.resumeInfo(for: ResumeKey(bot: UserID(100), shard: 0)) == nil)
        try await store.clearResumeInfo(for: key)
        #expect(try await store.resumeInfo(for: key) == nil)
    }
}
