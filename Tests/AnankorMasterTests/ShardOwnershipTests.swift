import AnankorCore
import Foundation
import Testing

@testable import AnankorMaster

/// The shard ownership rules without I/O: masters decide from one reading of a lease table that
/// follows the `LeaseRegistry` contract, on a clock the test moves.
@Suite("Shard ownership across masters")
struct ShardOwnershipTests {
    static let ttl: Duration = .seconds(5)
    static let round: Duration = .seconds(1)

    /// A lease table with the registry's semantics (free or expired → a new lease; the holder's
    /// own → extended; someone else's unexpired → refused).
    struct LeaseTable {
        var leases: [LeaseName: Lease] = [:]
        var fence: UInt64 = 0

        mutating func acquire(_ name: LeaseName, _ holder: LeaseHolder, now: Date) -> Lease? {
            if let current = leases[name], current.expiresAt > now {
                guard current.holder == holder else { return nil }
                leases[name]?.expiresAt = now + ShardOwnershipTests.ttl.timeInterval
                return leases[name]
            }
            fence += 1
            let lease = Lease(name: name, holder: holder, fencingToken: FencingToken(fence),
                              expiresAt: now + ShardOwnershipTests.ttl.timeInterval)
            leases[name] = lease
            return lease
        }

        mutating func renewAll(of holder: LeaseHolder, now: Date) {
            for (name, lease) in leases where lease.holder == holder && lease.expiresAt > now {
                leases[name]?.expiresAt = now + ShardOwnershipTests.ttl.timeInterval
            }
        }

        mutating func release(_ name: LeaseName, of holder: LeaseHolder) {
            if leases[name]?.holder == holder { leases[name] = nil }
        }

        mutating func releaseAll(of holder: LeaseHolder) {
            leases = leases.filter { $0.value.holder != holder }
        }

        func view(shards: Int) -> ShardOwnership.View {
            var view = ShardOwnership.View()
            for id in 0..<shards {
                view.shards[id] = leases[.shard(id)]
                view.seats[id] = leases[.masterSeat(id)]
            }
            return view
        }

        /// Unexpired shard leases by holder.
        func owners(shards: Int, now: Date) -> [Int: LeaseHolder] {
            var owners: [Int: LeaseHolder] = [:]
            for id in 0..<shards {
                if let lease = leases[.shard(id)], lease.expiresAt > now { owners[id] = lease.holder }
            }
            return owners
        }

        func count(of holder: LeaseHolder, shards: Int, now: Date) -> Int {
            owners(shards: shards, now: now).values.filter { $0 == holder }.count
        }
    }

    /// Masters that run rounds together: each renews, then all decide on the same reading (as
    /// masters whose rounds overlap do), then their decisions are carried out in turn.
    struct Cluster {
        let shards: Int
        var table = LeaseTable()
        var masters: [LeaseHolder: ShardOwnership] = [:]
        var now = Date(timeIntervalSince1970: 1_000_000)

        init(shards: Int, masters names: [String]) {
            self.shards = shards
            for name in names { add(name) }
        }

        mutating func add(_ name: String) {
            masters[LeaseHolder(name)] = ShardOwnership(me: LeaseHolder(name), shardCount: shards,
                                                       orphanGrace: ShardOwnershipTests.ttl / 2)
        }

        /// One round of every living master; the clock moves one round first.
        @discardableResult
        mutating func round() -> [LeaseHolder: [ShardOwnership.Decision]] {
            now += ShardOwnershipTests.round.timeInterval
            for holder in masters.keys { table.renewAll(of: holder, now: now) }
            let view = table.view(shards: shards)
            var all: [LeaseHolder: [ShardOwnership.Decision]] = [:]
            for holder in masters.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                all[holder] = masters[holder]!.decide(view, now: now)
            }
            for (holder, decisions) in all {
                for decision in decisions {
                    switch decision {
                    case .takeSeat(let index): _ = table.acquire(.masterSeat(index), holder, now: now)
                    case .take(let id): _ = table.acquire(.shard(id), holder, now: now)
                    case .giveUp(let id): table.release(.shard(id), of: holder)
                    }
                }
            }
            return all
        }

        mutating func rounds(_ count: Int) { for _ in 0..<count { round() } }

        /// The master stops renewing and deciding, as a killed process does.
        mutating func kill(_ name: String) { masters[LeaseHolder(name)] = nil }

        /// A graceful stop: every lease of the master goes at once.
        mutating func stop(_ name: String) {
            masters[LeaseHolder(name)] = nil
            table.releaseAll(of: LeaseHolder(name))
        }

        func count(_ name: String) -> Int { table.count(of: LeaseHolder(name), shards: shards, now: now) }
        var owners: [Int: LeaseHolder] { table.owners(shards: shards, now: now) }
        var counts: [Int] { masters.keys.map { table.count(of: $0, shards: shards, now: now) } }
    }

    @Test("a lone master takes a seat first, then every shard")
    func loneMaster() {
        var cluster = Cluster(shards: 4, masters: ["a"])
        let first = cluster.round()[LeaseHolder("a")] ?? []
        #expect(first.count == 1 && first.allSatisfy { if case .takeSeat = $0 { true } else { false } },
                "a seat and no shard before the table was counted: \(first)")
        #expect(cluster.owners.isEmpty)
        cluster.round()
        #expect(cluster.count("a") == 4)
        cluster.rounds(3)
        #expect(cluster.count("a") == 4, "nothing moves once settled")
    }

    @Test("masters starting together give every shard exactly one owner, spread at most one apart",
          arguments: [(4, 2), (4, 3), (7, 3), (2, 3), (16, 5)])
    func startTogether(shards: Int, masters: Int) {
        var cluster = Cluster(shards: shards, masters: (1...masters).map { "m\($0)" })
        cluster.rounds(20)
        #expect(cluster.owners.count == shards, "every shard owned (leases are exclusive, so once)")
        let counts = cluster.counts
        #expect(counts.max()! - counts.min()! <= 1, "spread \(counts)")
        #expect(counts.max()! <= ShardOwnership.fairShare(shards: shards, masters: masters))
        let settled = cluster.owners
        cluster.rounds(5)
        #expect(cluster.owners == settled, "no shard moves once the spread is even")
    }

    @Test("a master that joins gets its share: the busiest gives shards up one per round")
    func joiningMasterGetsShare() {
        var cluster = Cluster(shards: 4, masters: ["a"])
        cluster.rounds(2)
        #expect(cluster.count("a") == 4)
        cluster.add("b")
        cluster.round()  // b takes a seat
        #expect(cluster.count("b") == 0)
        let giving = cluster.round()[LeaseHolder("a")] ?? []
        #expect(giving.count == 1 && giving.allSatisfy { if case .giveUp = $0 { true } else { false } })
        cluster.rounds(6)
        #expect(cluster.count("a") == 2 && cluster.count("b") == 2)
        #expect(cluster.owners.count == 4)
    }

    @Test("a killed master's shards are taken once its leases lapse, not before")
    func takeoverAfterExpiry() {
        var cluster = Cluster(shards: 4, masters: ["a", "b"])
        cluster.rounds(8)
        let before = cluster.owners
        #expect(cluster.count("a") == 2 && cluster.count("b") == 2)
        let killedAt = cluster.now
        cluster.kill("a")
        // Within the lease nobody may take a's shards: they are still a's.
        while cluster.now + Self.round.timeInterval < killedAt + Self.ttl.timeInterval {
            cluster.round()
            #expect(cluster.owners == before)
        }
        cluster.rounds(2)
        #expect(cluster.count("b") == 4, "b holds every shard one round after a's leases lapsed")
        #expect(cluster.now.timeIntervalSince(killedAt) <= Self.ttl.timeInterval + 2 * Self.round.timeInterval)
    }

    @Test("shards whose master still looks seated are taken after the orphan grace, beyond the fair share")
    func orphansBeyondShare() {
        var cluster = Cluster(shards: 4, masters: ["a", "b"])
        cluster.rounds(8)
        // a's shard leases vanish but its seat stays (a master that lost the shards, not the seat).
        for (id, owner) in cluster.owners where owner == LeaseHolder("a") { cluster.table.leases[.shard(id)] = nil }
        cluster.masters[LeaseHolder("a")] = nil
        cluster.table.leases[.masterSeat(0)]?.expiresAt = .distantFuture
        cluster.table.leases[.masterSeat(1)]?.expiresAt = .distantFuture
        let decisions = cluster.round()[LeaseHolder("b")] ?? []
        #expect(decisions.isEmpty, "b is at its fair share (2 of 4 with two seated masters)")
        cluster.rounds(3)
        #expect(cluster.count("b") == 4, "free longer than the grace: taken anyway")
    }

    @Test("a graceful stop hands its shards over at once, well before a lease could lapse")
    func gracefulRelease() {
        var cluster = Cluster(shards: 6, masters: ["a", "b", "c"])
        cluster.rounds(10)
        #expect(cluster.counts == [2, 2, 2])
        cluster.stop("c")
        cluster.round()
        #expect(cluster.owners.count == 6, "c's shards are owned again on the next round (the lease is five)")
        #expect(cluster.count("a") == 3 && cluster.count("b") == 3)
    }

    @Test("fair share is the ceiling of shards over masters")
    func fairShare() {
        #expect(ShardOwnership.fairShare(shards: 4, masters: 3) == 2)
        #expect(ShardOwnership.fairShare(shards: 1, masters: 3) == 1)
        #expect(ShardOwnership.fairShare(shards: 16, masters: 0) == 16)
    }
}
