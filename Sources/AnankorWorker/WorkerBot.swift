import AnankorCore
import DiscordKit
import Foundation
import LavalinkKit
import Logging
import ServiceLifecycle
import Synchronization

/// Why holding a token ended.
enum HoldEnd: Sendable {
    /// Renewal failed: another process holds the token now. Nothing was touched.
    case leaseLost
    /// Graceful shutdown. Handing over (`handsOverOnStop`): players left playing, the gateway
    /// closed resumably, the resume records saved; `WorkerService` releases the lease once the
    /// Lavalink connections are closed too. Otherwise: voice left, `workerOffline` published,
    /// lease released.
    case shutdown
    /// The token cannot be used (Discord refused it): released; do not take it again.
    case refused(any Error)
    /// Could not run (Discord or the state store unreachable): released; retry later.
    case failed(any Error)
    /// The task was cancelled: stopped at once, the lease left to lapse.
    case cancelled
}

/// What every part of a holding worker shares.
struct WorkerContext: Sendable {
    let configuration: WorkerConfiguration
    let bus: any JobBus
    let state: any StateStore
    let ledger: any Ledger
    /// Job claims (the ledger, or Redis in distributed mode).
    let claims: any IdempotencyStore
    let now: @Sendable () -> Date
    /// What every wait of the worker sleeps on (heartbeats, lease renewal, spare retries, job
    /// timeouts, the reminder runner): the injected `Clock`, so tests drive it by hand.
    let time: DiscordTimeSource
    let metrics: WorkerMetrics
    let board: WorkerStatusBoard
    /// The process's events, with their backlog while the bus is unreachable.
    let events: EventPublisher
}

/// The worker while it holds one token: runs as the last service of a group after its gateway
/// and its Lavalink pool, so a graceful shutdown reaches it first and it can still leave voice
/// through them before they stop. It consumes the token's jobs, turns gateway and Lavalink
/// events into `WorkerEvent`s, and keeps the lease (renewal, registry heartbeat, resume records).
final class WorkerBot: Service, Sendable {
    let worker: WorkerID
    let context: WorkerContext
    let rest: DiscordREST
    let gateway: ShardedGateway
    let pool: LavalinkNodePool
    let voice: VoiceSessions
    /// Voice channel statuses, sent beside the guild's jobs (`VoiceStatusSender`).
    let voiceStatuses: VoiceStatusSender
    let membership: GuildMembership
    let events: EventPublisher
    let logger: Logger
    /// Opened by the first READY/RESUMED of every shard; jobs wait for it.
    let gatewayReady = Latch()
    /// Opened by the first Lavalink `ready`.
    let lavalinkReady = Latch()

    private let poolEvents: AsyncStream<PoolEvent>
    /// Each node's own events: player events are taken from here (see `LavalinkEvents.swift`).
    private let nodeEvents: [(name: String, events: AsyncStream<NodeEvent>)]
    /// Per node, opened once the players of a resumed session were adopted (at once otherwise,
    /// and when the node cannot be reached before its first `ready`).
    let adoptionDone: [String: Latch]
    /// Per node, the player events held while its resumed session's players are adopted.
    let adoptionHolds: [String: AdoptionHold]
    /// Nodes whose Lavalink session this hold resumes (a takeover): jobs wait for their adoption.
    let resumingNodes: Set<String>
    private let lease: Mutex<Lease>
    private let lavalinkSessions: Mutex<[String: String]>
    /// The SponsorBlock categories each guild's player was last given (`applySponsorBlock`).
    let sponsorBlockApplied = Mutex<[GuildID: [String]]>([:])
    /// The categories the master sent with the guild's last join or play job: used instead of
    /// reading the guild's settings (the master read them for the command already).
    let sponsorBlockGiven = Mutex<[GuildID: [String]]>([:])
    /// Nodes whose first `ready` was handled (players of a resumed session adopted).
    private let nodesSeen = Mutex<Set<String>>([])
    private let end = Mutex<HoldEnd?>(nil)
    private let handedOverFlag = Mutex(false)
    /// Music session jobs this hold answered, for copies the bus delivers again.
    let answered = AnsweredJobs()

    init(worker: WorkerID, lease: Lease, context: WorkerContext, rest: DiscordREST, gateway: ShardedGateway,
         pool: LavalinkNodePool, knownGuilds: Set<GuildID>, lavalinkSessions: [String: String], logger: Logger) {
        self.worker = worker
        self.context = context
        self.rest = rest
        self.gateway = gateway
        self.pool = pool
        self.voice = VoiceSessions(sessionsMeter: context.metrics.sessionsActive)
        self.voiceStatuses = VoiceStatusSender(rest: rest, logger: logger)
        self.membership = GuildMembership(known: knownGuilds)
        self.events = context.events
        self.logger = logger
        self.lease = Mutex(lease)
        self.lavalinkSessions = Mutex(lavalinkSessions)
        self.resumingNodes = Set(lavalinkSessions.keys)
        // Subscribed before the pool runs its nodes, so their first events are not missed.
        self.poolEvents = pool.events()
        self.nodeEvents = pool.nodes.map { ($0.name, $0.events()) }
        self.adoptionDone = Dictionary(pool.nodes.map { ($0.name, Latch()) }, uniquingKeysWith: { first, _ in first })
        let resuming = Set(lavalinkSessions.keys)
        self.adoptionHolds = Dictionary(pool.nodes.map { ($0.name, AdoptionHold(holding: resuming.contains($0.name))) },
                                        uniquingKeysWith: { first, _ in first })
    }

    var currentLease: Lease { lease.withLock { $0 } }
    var fencingToken: FencingToken { currentLease.fencingToken }
    /// How the run ended on its own (lease lost, graceful shutdown); nil while running or when it
    /// was cancelled (by its task, or because the gateway failed).
    var outcome: HoldEnd? { end.withLock { $0 } }
    /// The graceful stop handed the token over (players playing, sessions resumable): the lease
    /// is still to be released, after the Lavalink connections have closed.
    var handedOver: Bool { handedOverFlag.withLock { $0 } }

    func run() async throws {
        let ended = await withTaskGroup(of: HoldEnd?.self) { group in
            group.addTask {
                for await event in self.gateway.events { await self.handle(event) }
                return nil
            }
            group.addTask {
                for await event in self.poolEvents { await self.handle(event) }
                return nil
            }
            for (name, events) in self.nodeEvents {
                group.addTask {
                    for await event in events { await self.handle(event, fromNode: name) }
                    return nil
                }
            }
            // Lease, heartbeat, resume records and reminders: periodic store work (`StoreWork`).
            group.addTask { await StoreWork.periodic { await self.keepLease() } }
            group.addTask { await StoreWork.periodic { await self.keepRegistered() } }
            group.addTask {
                await WorkerSampler(bot: self).run()
                return nil
            }
            group.addTask { await self.consumeJobs() }
            group.addTask {
                await self.voiceStatuses.run()
                return nil
            }
            group.addTask {
                await StoreWork.periodic {
                    await ReminderRunner(worker: self.worker, holder: self.context.configuration.holder, context: self.context,
                                         rest: self.rest, logger: self.logger)
                        .run(every: self.context.configuration.scheduleInterval, on: self.context.time)
                }
                return nil
            }
            var ended: HoldEnd?
            while let result = await group.next() {
                if let result {
                    ended = result
                    break
                }
            }
            group.cancelAll()
            return ended
        }
        if case .shutdown = ended {
            if context.configuration.handsOverOnStop { await handOver() } else { await stepDown(reason: "shutdown") }
        }
        await voice.closeAll()
        end.withLock { $0 = ended }
    }

    // MARK: Lease, heartbeat, resume records

    /// Renews the token lease every `heartbeatInterval`, counted from the start of the previous
    /// renewal and nothing else in the loop: with a store that takes hundreds of milliseconds
    /// a round trip, renewals that also waited for the registry heartbeat and the resume records
    /// came further apart than the lease lives, and a spare took the token from a healthy holder.
    private func keepLease() async -> HoldEnd? {
        // Getting ready (the gateway's URL, the resume records, the nodes) can take seconds on a
        // loaded machine: the lease is renewed at once, not only a heartbeat interval later.
        if await !renewLease() {
            logger.warning("token lease lost while starting; stopping without touching voice")
            return .leaseLost
        }
        var started = context.time.now()
        while true {
            do {
                try await sleepOutTheRound(from: started)
            } catch {
                return nil
            }
            started = context.time.now()
            if await !renewLease() {
                logger.warning("token lease lost; stopping without touching voice")
                return .leaseLost
            }
        }
    }

    /// The registry heartbeat (the worker counts as live for routing), the resume records and
    /// the event backlog, on the same cadence as the lease but apart from it, so their round
    /// trips never delay a renewal. Ends with `.leaseLost` when the registry says the fencing
    /// token is stale.
    private func keepRegistered() async -> HoldEnd? {
        while true {
            let started = context.time.now()
            let now = context.now()
            guard await heartbeat(now: now) else {
                logger.warning("the registry has a newer holder of this token; stopping without touching voice")
                return .leaseLost
            }
            await saveResumeRecords(now: now)
            await events.deliverBacklog()
            do {
                try await sleepOutTheRound(from: started)
            } catch {
                return nil
            }
        }
    }

    /// Sleeps until `heartbeatInterval` after `started` (not at all when the round took longer).
    private func sleepOutTheRound(from started: Duration) async throws {
        let left = context.configuration.heartbeatInterval - (context.time.now() - started)
        if left > .zero { try await context.time.sleep(left) } else { try Task.checkCancellation() }
    }

    /// Renews the lease; false when it is lost (or cannot be confirmed before it would have
    /// expired).
    private func renewLease() async -> Bool {
        let now = context.now()
        let current = currentLease
        do {
            guard let renewed = try await context.state.renewLease(current, ttl: context.configuration.leaseTTL, now: now)
            else { return false }
            lease.withLock { $0 = renewed }
            return true
        } catch {
            logger.warning("could not renew the token lease", metadata: ["error": "\(error)"])
            return now < current.expiresAt
        }
    }

    /// False when the registry says the fencing token is stale.
    @discardableResult
    private func heartbeat(now: Date) async -> Bool {
        do {
            try await context.state.heartbeat(worker, fencingToken: fencingToken, load: await voice.count,
                                              ttl: context.configuration.leaseTTL, now: now)
        } catch let error as StateStoreError where error.code == .staleFence {
            return false
        } catch {
            logger.warning("registry heartbeat failed", metadata: ["error": "\(error)"])
        }
        return true
    }

    /// - Parameter gatewayStates: the sessions to record (a hand-over passes what its closing
    ///   gateway returned); the gateway's current ones when nil.
    func saveResumeRecords(now: Date, gatewayStates: [Int: GatewayResumeState]? = nil) async {
        // A hold being torn down (cancelled, as when the process dies) must not overwrite the last
        // good records with the empty state of a gateway that is already closing: the next holder
        // resumes from them.
        guard !Task.isCancelled else { return }
        let states = gatewayStates ?? gateway.resumeStates
        let lavalink = ResumeRecords.encodeLavalink(lavalinkSessions.withLock { $0 })
        for shard in gateway.shards.map(\.configuration.shardID) {
            var gatewayState = states[shard]
            if gatewayState == nil {
                // Not connected right now: keep what was saved, but shard 0 still records a new
                // Lavalink session.
                guard shard == 0, lavalink != nil else { continue }
                let saved = try? await context.state.resumeInfo(for: ResumeRecords.key(worker, shard: shard))
                guard saved?.lavalinkSessionID != lavalink else { continue }
                gatewayState = ResumeRecords.gatewayState(saved)
            }
            let info = ResumeRecords.info(gateway: gatewayState, lavalink: shard == 0 ? lavalink : nil, now: now)
            do {
                try await context.state.saveResumeInfo(info, for: ResumeRecords.key(worker, shard: shard))
            } catch {
                logger.debug("could not save resume information", metadata: ["error": "\(error)"])
            }
        }
    }

    func noteLavalinkSession(node: String, sessionId: String) {
        lavalinkSessions.withLock { $0[node] = sessionId }
    }

    /// True the first time a node's `ready` is seen in this hold.
    func firstReady(of node: String) -> Bool {
        nodesSeen.withLock { $0.insert(node).inserted }
    }

    /// Whether a node's `ready` was seen in this hold.
    func hasBeenReady(_ node: String) -> Bool {
        nodesSeen.withLock { $0.contains(node) }
    }

    // MARK: Graceful shutdown

    /// The first half of a hand-over, while jobs and events are no longer taken: the gateway is
    /// closed with a code that keeps its sessions resumable and not opened again, and the resume
    /// records get those sessions and the Lavalink ones, so a spare resumes where this process
    /// stopped. Voice and players are left as they are: the music plays on meanwhile. The lease
    /// is released by `WorkerService` after the group has stopped the Lavalink nodes: Lavalink
    /// lets a session be resumed only once its previous connection has closed.
    private func handOver() async {
        let states = await gateway.handOver()
        await saveResumeRecords(now: context.now(), gatewayStates: states)
        handedOverFlag.withLock { $0 = true }
        let playing = await voice.count
        logger.info("handing the token over", metadata: ["voice.sessions": "\(playing)"])
    }

    /// Leaves every voice channel (players destroyed), then tells the masters and frees the token.
    private func stepDown(reason: String) async {
        for session in await voice.sessions {
            await voice.forget(session.guild)
            await pool.destroy(guildId: session.guild.description)
            do {
                try await gateway.updateVoiceState(VoiceStateUpdate(
                    guildID: Snowflake(session.guild.rawValue), channelID: nil, selfMute: false, selfDeaf: false))
            } catch {
                logger.debug("could not leave voice", metadata: ["session.key": "\(session)", "error": "\(error)"])
            }
        }
        await WorkerBot.release(worker: worker, lease: currentLease, reason: reason,
                                shards: gateway.shards.map(\.configuration.shardID), context: context, events: events,
                                logger: logger)
    }

    /// Publishes `workerOffline`, releases the lease, leaves the registry and, when the sessions
    /// they name were ended (`forgetResume`), forgets the resume records. A hold that failed for a
    /// passing reason keeps them, so whoever holds the token next still resumes.
    static func release(worker: WorkerID, lease: Lease, reason: String, shards: [Int], context: WorkerContext,
                        events: EventPublisher, forgetResume: Bool = true, playersKept: Bool = false,
                        logger: Logger) async {
        await events.publish(.workerOffline(WorkerOfflineEvent(worker: worker, reason: reason,
                                                               playersKept: playersKept ? true : nil)))
        do {
            try await context.state.releaseLease(lease)
            try await context.state.removeWorker(worker)
            for shard in Set(shards + [0]) where forgetResume {
                try await context.state.clearResumeInfo(for: ResumeRecords.key(worker, shard: shard))
            }
        } catch {
            logger.warning("could not release the token cleanly; the lease will lapse", metadata: ["error": "\(error)"])
        }
        logger.info("token released", metadata: ["reason": "\(reason)"])
    }
}

/// The guilds the worker bot is in, kept in the registry (`setGuilds` / `setMembership`).
actor GuildMembership {
    private var guilds: Set<GuildID>
    private var readyShards: Set<Int> = []
    /// Shards whose READY listed their guilds in this hold. A resumed shard gets no READY, so
    /// for its guilds only what the registry had is known.
    private var listedShards: Set<Int> = []
    private var shardCount = 1
    private var announced = false

    init(known: Set<GuildID>) {
        guilds = known
    }

    var count: Int { guilds.count }

    /// False only when the bot is known not to be in the guild (its shard listed its guilds and
    /// this one was not among them, nor joined since).
    func mayBeMember(_ guild: GuildID) -> Bool {
        guilds.contains(guild) || !listedShards.contains(Snowflake<Guild>(guild.rawValue).shard(of: shardCount))
    }

    /// READY on `shard`: its guilds replace what was known for that shard. Returns every guild
    /// and whether all shards are now ready for the first time.
    func ready(shard: Int, shardCount: Int, guilds shardGuilds: [GuildID]) -> (all: Set<GuildID>, firstOnline: Bool) {
        self.shardCount = shardCount
        listedShards.insert(shard)
        guilds = guilds.filter { Snowflake<Guild>($0.rawValue).shard(of: shardCount) != shard }.union(shardGuilds)
        return (guilds, markReady(shard: shard, shardCount: shardCount))
    }

    /// RESUMED on `shard`: whether all shards are now ready for the first time.
    func resumed(shard: Int, shardCount: Int) -> Bool {
        self.shardCount = shardCount
        return markReady(shard: shard, shardCount: shardCount)
    }

    /// True when the guild is new.
    func joined(_ guild: GuildID) -> Bool { guilds.insert(guild).inserted }

    /// True when the guild was known.
    func left(_ guild: GuildID) -> Bool {
        recordedRoles[guild] = nil
        return guilds.remove(guild) != nil
    }

    /// The bot's roles per guild as last recorded in the registry.
    private var recordedRoles: [GuildID: [RoleID]] = [:]

    /// True when `roles` differ from what was last recorded for `guild` (they are then taken as
    /// recorded; `unrecorded` undoes that when the write failed).
    func rolesChanged(_ roles: [RoleID], in guild: GuildID) -> Bool {
        guard recordedRoles[guild] != roles else { return false }
        recordedRoles[guild] = roles
        return true
    }

    func unrecorded(_ guild: GuildID) { recordedRoles[guild] = nil }

    private func markReady(shard: Int, shardCount: Int) -> Bool {
        readyShards.insert(shard)
        guard !announced, readyShards.count >= shardCount else { return false }
        announced = true
        return true
    }
}
