import AnankorCore
import DiscordKit
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The gateway shards this master runs. With leases (`MasterConfiguration.shardLeaseTTL`) it keeps
/// a seat and its shard leases in the `StateStore`, renews them every round, takes and gives up
/// shards as `ShardOwnership` decides and runs a gateway shard for each lease it holds; a lease
/// it loses stops its shard at once. Without leases (the embedded mode: one master) it runs every
/// shard. A graceful shutdown stops every shard and releases every lease at once, so the other
/// masters take them over on their next round; a master that dies leaves its leases to lapse.
///
/// A master that takes a shard over IDENTIFYs rather than RESUMEs: the guild state its commands
/// need (channels, roles, who is in which voice channel) comes only with the GUILD_CREATE events of
/// a new session, never with a resumed one.
final class MasterShards: Sendable {
    struct Settings: Sendable {
        /// `shard`'s id and count are replaced for each shard.
        var shard: GatewayShard.Configuration
        var shardCount: Int
        var maxConcurrency: Int
        /// nil: every shard, no leases.
        var leaseTTL: Duration?
        var holder: LeaseHolder
    }

    private struct Running: Sendable {
        let shard: GatewayShard
        let stop: AsyncStream<Void>.Continuation
        let stopped: AsyncStream<Void>
    }

    private struct Status {
        var running: [Int: Running] = [:]
        /// A round that could take shards (or the start without leases) has completed.
        var settled = false
    }

    let settings: Settings
    /// Events of every shard this master runs, merged. Ends when `run()` ends.
    let events: AsyncStream<ShardEvent>
    private let continuation: AsyncStream<ShardEvent>.Continuation
    private let leases: any LeaseRegistry
    private let cache: GuildCache
    private let pacing: any IdentifyPacing
    private let now: @Sendable () -> Date
    private let time: DiscordTimeSource
    private let logger: Logger
    private let status = Mutex(Status())
    private let owned = Gauge(label: "anankor_master_shards_owned")
    /// Finished when `run()` has ended.
    private let ended: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)

    init(settings: Settings, leases: any LeaseRegistry, cache: GuildCache, now: @escaping @Sendable () -> Date,
         time: DiscordTimeSource = .continuous, logger: Logger) {
        self.settings = settings
        self.leases = leases
        self.cache = cache
        self.now = now
        self.time = time
        self.logger = logger
        if settings.leaseTTL == nil {
            self.pacing = IdentifyLimiter(time: time, maxConcurrency: settings.maxConcurrency)
        } else {
            self.pacing = IdentifyTurns(leases: leases, maxConcurrency: settings.maxConcurrency, holder: settings.holder,
                                        now: now, time: time, logger: logger)
        }
        (events, continuation) = AsyncStream.makeStream(of: ShardEvent.self)
        ended = AsyncStream.makeStream(of: Void.self)
    }

    /// The shards running now, by id.
    var shards: [GatewayShard] {
        status.withLock { $0.running.sorted { $0.key < $1.key }.map(\.value.shard) }
    }

    var shardIDs: [Int] { status.withLock { $0.running.keys.sorted() } }

    /// The first round is done and every shard this master runs has a ready session (a master
    /// holding no shard is a ready standby).
    var isReady: Bool {
        status.withLock { $0.settled && $0.running.values.allSatisfy(\.shard.isConnected) }
    }

    /// How often leases are renewed and decisions made: a fifth of the lease, so a lease survives
    /// a few failed renewals and a dead master's shards are free within one lease and one round.
    static func round(ttl: Duration) -> Duration { max(.milliseconds(50), ttl / 5) }

    func run() async throws {
        defer {
            continuation.finish()
            ended.continuation.finish()
        }
        owned.record(0)
        try await withThrowingDiscardingTaskGroup { group in
            if let ttl = settings.leaseTTL {
                try await keepLeases(ttl: ttl, group: &group)
            } else {
                for id in 0..<settings.shardCount { start(id, in: &group) }
                status.withLock { $0.settled = true }
                owned.record(settings.shardCount)
                try await gracefulShutdown()
                await stopAll()
            }
        }
    }

    /// Waits until `run()` has ended (after a graceful shutdown: shards stopped, leases released),
    /// or `limit` passed.
    func waitUntilStopped(atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in self.ended.stream {} }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: Leases

    private func keepLeases(ttl: Duration, group: inout ThrowingDiscardingTaskGroup<any Error>) async throws {
        var ownership = ShardOwnership(me: settings.holder, shardCount: settings.shardCount, orphanGrace: ttl / 2)
        var held: [Int: Lease] = [:]
        var seat: Lease?
        while true {
            // Rounds keep their cadence however long the store takes to answer: with slow round
            // trips, a round that also waited for all of them would stretch past the lease's life.
            let started = ContinuousClock.now
            await renew(&held, seat: &seat, ttl: ttl)
            if let view = await read() {
                let decisions = ownership.decide(view, now: now())
                for decision in decisions {
                    await carry(decision, held: &held, seat: &seat, ttl: ttl, group: &group)
                }
                // Ready once it has had a round to take shards in (a round spent taking a seat
                // does not count), so a lone master is not ready before its shards are up.
                if !decisions.contains(where: { if case .takeSeat = $0 { true } else { false } }) {
                    status.withLock { $0.settled = true }
                }
            }
            owned.record(held.count)
            do {
                let left = Self.round(ttl: ttl) - (ContinuousClock.now - started)
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: max(left, .zero)) }
            } catch where Task.isShuttingDownGracefully && !Task.isCancelled {
                break
            }
        }
        // Graceful shutdown: the shards stop, then every lease goes at once.
        await stopAll()
        for lease in Array(held.values) + [seat].compactMap({ $0 }) {
            do {
                try await leases.releaseLease(lease)
            } catch {
                logger.warning("could not release a lease; it lapses on its own", metadata: [
                    "lease": "\(lease.name)", "error": "\(error)"])
            }
        }
        owned.record(0)
        logger.info("shards released", metadata: ["shards": "\(held.keys.sorted())"])
    }

    /// Renews every lease held. One the store says is gone is taken again when it is free (it
    /// lapsed while the store was down: no master could take it meanwhile, and stopping the shard
    /// would drop the interactions sent until it reconnects); one another master holds stops its
    /// shard at once. One the store cannot confirm is kept, since no master can take it without
    /// the store either.
    private func renew(_ held: inout [Int: Lease], seat: inout Lease?, ttl: Duration) async {
        // All at once, the seat too: one round trip for every lease, not one after another.
        let seatID = -1
        let renewals = await withTaskGroup(of: (Int, Result<Lease?, any Error>).self) { group in
            for (id, lease) in held.map({ ($0.key, $0.value) }) + [seat].compactMap({ $0 }).map({ (seatID, $0) }) {
                group.addTask { [leases, now] in
                    do { return (id, .success(try await leases.renewLease(lease, ttl: ttl, now: now()))) } catch {
                        return (id, .failure(error))
                    }
                }
            }
            var all: [Int: Result<Lease?, any Error>] = [:]
            for await (id, result) in group { all[id] = result }
            return all
        }
        for (id, lease) in held {
            do {
                if let renewed = try renewals[id]?.get() {
                    held[id] = renewed
                } else if case .acquired(let retaken) = try await leases.acquireLease(
                    lease.name, holder: settings.holder, ttl: ttl, now: now())
                {
                    held[id] = retaken
                    logger.notice("shard lease lapsed while the store was down; taken again, shard kept",
                                  metadata: ["shard.id": "\(id)"])
                } else {
                    held[id] = nil
                    logger.warning("shard lease lost; shard stopped", metadata: ["shard.id": "\(id)"])
                    MasterMetrics.shardChange("lost")
                    await stop(id)
                }
            } catch {
                logger.warning("could not renew a shard lease; keeping the shard", metadata: [
                    "shard.id": "\(id)", "error": "\(error)"])
            }
        }
        if let current = seat {
            do {
                seat = try renewals[seatID]?.get()  // nil: taken again next round
            } catch {
                if current.expiresAt <= now() { seat = nil }
            }
        }
    }

    /// Every shard lease and seat as the store has them now; nil when it cannot be read.
    private func read() async -> ShardOwnership.View? {
        var view = ShardOwnership.View()
        let at = now()
        do {
            // All at once: one round trip, however many shards.
            try await withThrowingTaskGroup(of: (Int, Lease?, Lease?).self) { group in
                for id in 0..<settings.shardCount {
                    group.addTask { [leases] in
                        async let shard = leases.currentLease(.shard(id), now: at)
                        async let seat = leases.currentLease(.masterSeat(id), now: at)
                        return (id, try await shard, try await seat)
                    }
                }
                for try await (id, shard, seat) in group {
                    view.shards[id] = shard
                    view.seats[id] = seat
                }
            }
        } catch {
            logger.warning("could not read the shard leases; nothing changes this round", metadata: ["error": "\(error)"])
            return nil
        }
        return view
    }

    private func carry(_ decision: ShardOwnership.Decision, held: inout [Int: Lease], seat: inout Lease?, ttl: Duration,
                       group: inout ThrowingDiscardingTaskGroup<any Error>) async {
        do {
            switch decision {
            case .takeSeat(let index):
                seat = try await leases.acquireLease(.masterSeat(index), holder: settings.holder, ttl: ttl, now: now()).lease
            case .take(let id):
                guard let lease = try await leases.acquireLease(.shard(id), holder: settings.holder, ttl: ttl, now: now()).lease
                else { return }  // another master was quicker
                held[id] = lease
                logger.info("shard taken", metadata: ["shard.id": "\(id)"])
                MasterMetrics.shardChange("taken")
                start(id, in: &group)
            case .giveUp(let id):
                guard let lease = held.removeValue(forKey: id) else { return }
                await stop(id)
                try await leases.releaseLease(lease)
                logger.info("shard given up to balance the masters", metadata: ["shard.id": "\(id)"])
                MasterMetrics.shardChange("given_up")
            }
        } catch {
            logger.warning("shard lease change failed", metadata: ["decision": "\(decision)", "error": "\(error)"])
        }
    }

    // MARK: Shards

    private func start(_ id: Int, in group: inout ThrowingDiscardingTaskGroup<any Error>) {
        var configuration = settings.shard
        configuration.shardID = id
        configuration.shardCount = settings.shardCount
        configuration.resume = nil
        let shard = GatewayShard(configuration: configuration, identifyLimiter: pacing, time: time, logger: logger)
        let (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
        let (stopped, stoppedContinuation) = AsyncStream.makeStream(of: Void.self)
        status.withLock { $0.running[id] = Running(shard: shard, stop: stopContinuation, stopped: stopped) }
        let events = continuation
        group.addTask {
            defer { stoppedContinuation.finish() }
            try await withThrowingTaskGroup(of: Void.self) { lanes in
                lanes.addTask { try await shard.run() }
                lanes.addTask { for await event in shard.events { events.yield(ShardEvent(shardID: id, event: event)) } }
                lanes.addTask { for await _ in stop {} }
                // The first to end (the shard, a stop, or a fatal close that throws) ends the others.
                _ = try await lanes.next()
                lanes.cancelAll()
            }
        }
    }

    /// Stops a shard and waits until its connection is closed; its guilds leave the cache.
    private func stop(_ id: Int) async {
        guard let running = status.withLock({ $0.running.removeValue(forKey: id) }) else { return }
        running.stop.finish()
        for await _ in running.stopped {}
        cache.removeGuilds(ofShard: id, shardCount: settings.shardCount)
        Gauge(label: "anankor_guilds_cached").record(cache.guildCount)  // stops are rare: no cached handle
    }

    private func stopAll() async {
        await withDiscardingTaskGroup { group in
            for id in shardIDs { group.addTask { await self.stop(id) } }
        }
    }
}
