import AnankorCore
import DiscordKit
import Foundation
import Logging
import Synchronization
import Testing

@testable import AnankorMaster

/// Identify pacing shared by masters through leases: virtual time that jumps to whatever a sleeper
/// waits for, so the test reads when each master was let through.
@Suite("Identify pacing across masters")
struct IdentifyTurnsTests {
    /// A clock whose sleeps end at once by moving the time to their deadline.
    final class JumpClock: Clock, Sendable {
        struct Instant: InstantProtocol {
            typealias Duration = Swift.Duration
            var offset: Duration
            func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
            func duration(to other: Instant) -> Duration { other.offset - offset }
            static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        }

        private let offset = Mutex(Swift.Duration.zero)
        var now: Instant { Instant(offset: offset.withLock { $0 }) }
        var minimumResolution: Swift.Duration { .zero }

        func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            offset.withLock { $0 = max($0, deadline.offset) }
        }

        var date: Date { Date(timeIntervalSince1970: 1_000_000) + offset.withLock { $0 }.timeInterval }
    }

    /// The `LeaseRegistry` contract in memory; `failing` makes every call throw (store down).
    actor Leases: LeaseRegistry {
        var leases: [LeaseName: Lease] = [:]
        var fence: UInt64 = 0
        var failing = false

        struct Down: Error {}

        func setFailing(_ value: Bool) { failing = value }

        func acquireLease(_ name: LeaseName, holder: LeaseHolder, ttl: Duration, now: Date) throws -> LeaseOutcome {
            if failing { throw Down() }
            if let current = leases[name], current.expiresAt > now, current.holder != holder { return .held(current) }
            fence += 1
            let lease = Lease(name: name, holder: holder, fencingToken: FencingToken(fence), expiresAt: now + ttl.timeInterval)
            leases[name] = lease
            return .acquired(lease)
        }

        func renewLease(_ lease: Lease, ttl: Duration, now: Date) throws -> Lease? { nil }
        func releaseLease(_ lease: Lease) throws -> Bool { false }
        func currentLease(_ name: LeaseName, now: Date) throws -> Lease? { leases[name].flatMap { $0.expiresAt > now ? $0 : nil } }
    }

    func turns(_ name: String, _ leases: Leases, _ clock: JumpClock, maxConcurrency: Int = 2) -> IdentifyTurns {
        IdentifyTurns(leases: leases, maxConcurrency: maxConcurrency, holder: LeaseHolder(name), now: { clock.date },
                      time: DiscordTimeSource(clock: clock), logger: Logger(label: "test"))
    }

    @Test("two masters identifying in one bucket are 5 s apart; another bucket does not wait")
    func sharedBucket() async throws {
        let clock = JumpClock()
        let leases = Leases()
        let first = turns("master-a", leases, clock)
        let second = turns("master-b", leases, clock)
        try await first.waitForTurn(shardID: 0)
        #expect(clock.now.offset == .zero)
        try await second.waitForTurn(shardID: 1)
        #expect(clock.now.offset == .zero, "bucket 1 is free")
        try await second.waitForTurn(shardID: 2)
        #expect(clock.now.offset >= .seconds(5), "bucket 0 again, from another master: after master-a's 5 s")
        #expect(clock.now.offset < .seconds(6))
    }

    @Test("without the store a master still paces its own shards, and goes on")
    func storeDown() async throws {
        let clock = JumpClock()
        let leases = Leases()
        await leases.setFailing(true)
        let only = turns("master-a", leases, clock, maxConcurrency: 1)
        try await only.waitForTurn(shardID: 0)
        #expect(clock.now.offset == .zero)
        try await only.waitForTurn(shardID: 1)
        #expect(clock.now.offset == .seconds(5), "its own second shard waits for the bucket locally")
    }
}
