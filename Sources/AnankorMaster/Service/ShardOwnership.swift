import AnankorCore
import Foundation

/// Which gateway shards one master should hold, decided from what the `StateStore` shows. Pure:
/// the leases and the time are given, the answer is a list of decisions that `MasterShards`
/// carries out. Every master runs the same rules on its own reading of the store, so masters that
/// read the same leases agree on who takes what:
///
/// - A master first takes a seat (`LeaseName.masterSeat`), so that masters starting together
///   count each other before any of them takes a shard.
/// - Free shards are dealt, lowest id first, to the seated master holding the fewest (ties: the
///   smaller name), none beyond its fair share ⌈shards ÷ seated masters⌉; a master takes the
///   ones dealt to it. A shard nobody has taken for `orphanGrace` is taken by whoever sees it,
///   whatever its share: that is the slack that keeps every shard served while the count of
///   masters is briefly wrong (a master died and its seat has not lapsed yet).
/// - When no shard is free, the master holding the most gives one up per round if it holds at
///   least two more than the seated master holding the fewest, so a master that joins gets its
///   share and the spread ends at most one apart.
/// - A shard whose lease lapsed (its master died) is free like any other.
struct ShardOwnership: Sendable {
    /// The store as one round read it. Leases may have expired since they were written; the
    /// decision compares them with `now`.
    struct View: Sendable {
        /// Shard leases by shard id (missing: never taken or released).
        var shards: [Int: Lease]
        /// Master seats by seat index.
        var seats: [Int: Lease]

        init(shards: [Int: Lease] = [:], seats: [Int: Lease] = [:]) {
            self.shards = shards
            self.seats = seats
        }
    }

    enum Decision: Sendable, Hashable {
        case takeSeat(Int)
        case take(Int)
        case giveUp(Int)
    }

    let me: LeaseHolder
    let shardCount: Int
    let orphanGrace: Duration
    /// When each shard was first seen free (forgotten once someone holds it).
    private(set) var freeSince: [Int: Date] = [:]

    init(me: LeaseHolder, shardCount: Int, orphanGrace: Duration) {
        self.me = me
        self.shardCount = max(1, shardCount)
        self.orphanGrace = orphanGrace
    }

    /// The fair share of each of `masters` masters: ⌈shards ÷ masters⌉.
    static func fairShare(shards: Int, masters: Int) -> Int {
        let masters = max(1, masters)
        return (shards + masters - 1) / masters
    }

    mutating func decide(_ view: View, now: Date) -> [Decision] {
        let seats = view.seats.filter { $0.value.expiresAt > now && (0..<shardCount).contains($0.key) }
        let shards = view.shards.filter { $0.value.expiresAt > now && (0..<shardCount).contains($0.key) }
        let free = (0..<shardCount).filter { shards[$0] == nil }
        freeSince = Dictionary(uniqueKeysWithValues: free.map { ($0, freeSince[$0] ?? now) })

        if !seats.values.contains(where: { $0.holder == me }), let open = openSeat(seats) {
            // Seated first, shards from the next round: by then masters that start together see
            // each other. With every seat taken this master is a spare that still takes orphans.
            return [.takeSeat(open)]
        }
        let masters = Set(seats.values.map(\.holder)).union([me])
        let fair = Self.fairShare(shards: shardCount, masters: masters.count)
        var counts = Dictionary(uniqueKeysWithValues: masters.map { ($0, 0) })
        for lease in shards.values where masters.contains(lease.holder) { counts[lease.holder, default: 0] += 1 }
        let mine = shards.filter { $0.value.holder == me }.keys.sorted()

        var decisions: [Decision] = []
        var dealt = counts
        for shard in free {
            let orphaned = now.timeIntervalSince(freeSince[shard] ?? now) >= orphanGrace.timeInterval
            let neediest = dealt.filter { $0.value < fair }
                .min { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }?.key
            if let neediest { dealt[neediest, default: 0] += 1 }
            if neediest == me || orphaned { decisions.append(.take(shard)) }
        }
        // Rebalance only when every shard is held: free ones go to whoever is short first.
        guard free.isEmpty, let last = mine.last else { return decisions }
        let fewest = counts.values.min() ?? 0
        // The master holding the most (ties: the greatest name) gives up; everyone agrees on who.
        let top = counts.max { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }?.key
        if top == me, mine.count - fewest >= 2 { decisions.append(.giveUp(last)) }
        return decisions
    }

    /// The first open seat from a point that depends on this master's name, so that masters
    /// starting together mostly reach for different seats.
    private func openSeat(_ seats: [Int: Lease]) -> Int? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike `Hasher`
        for byte in me.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let start = Int(hash % UInt64(shardCount))
        return (0..<shardCount).map { (start + $0) % shardCount }.first { seats[$0] == nil }
    }
}
