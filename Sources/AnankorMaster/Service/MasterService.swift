public import AnankorCore
public import DiscordKit
public import Foundation
public import Logging
public import ServiceLifecycle
import AnankorTelemetry
public import LavalinkKit
import Metrics
import Synchronization
import Tracing

/// The master (DESIGN §1): the master bot's gateway, command registration, validation and
/// routing of commands, the authoritative queues, job dispatch, worker events, now-playing
/// messages, dead-worker detection and idle reclaim. It never joins voice. Any number of masters
/// can run side by side: interactions are claimed once in the ledger, events are shared through
/// the bus's consumer group, and every state change is guarded in the `StateStore`.
public final class MasterService: Service, Sendable {
    private let configuration: MasterConfiguration
    private let bus: any JobBus
    private let state: any StateStore
    private let ledger: any Ledger
    private let claims: any IdempotencyStore
    private let now: @Sendable () -> Date
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let status = Mutex(Status())
    /// The breakers of the master's searches, per Lavalink node and source.
    public let sourceBreakers: SourceBreakerBoard
    /// Interactions settled and reconciliation passes completed so far.
    public let progress = MasterProgress()

    private struct Status {
        var shards: MasterShards?
        var botUser: UInt64?
    }

    /// - Parameter claims: where interactions are claimed once; the ledger unless given (distributed
    ///   mode passes Redis: docs/performance.md).
    public init(configuration: MasterConfiguration, bus: any JobBus, state: any StateStore, ledger: any Ledger,
                claims: (any IdempotencyStore)? = nil, now: @escaping @Sendable () -> Date = { Date() },
                sourceBreakers: SourceBreakerBoard? = nil, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.configuration = configuration
        self.bus = bus
        self.state = state
        self.ledger = ledger
        self.claims = claims ?? ledger
        self.now = now
        self.clock = clock
        self.logger = logger
        self.sourceBreakers = sourceBreakers ?? Self.sourceBreakerBoard(logger: logger)
    }

    /// The breakers of a master's searches, logging and counting each opening and closing
    /// (`now`: a monotonic clock, injectable for tests).
    public static func sourceBreakerBoard(
        policy: SourceBreakerPolicy = SourceBreakerPolicy(),
        now: @escaping @Sendable () -> Duration = LavalinkNodePool.processUptime, logger: Logger
    ) -> SourceBreakerBoard {
        SourceBreakerBoard(policy: policy, now: now, onTransition: TrackResolver.reportTransition(logger: logger))
    }

    /// Every shard this master holds has a ready session (for `/ready`); a master holding none is a
    /// ready standby.
    public var isReady: Bool { status.withLock { $0.shards?.isReady ?? false } }

    /// The gateway shards this master runs now.
    public var shardIDs: [Int] { status.withLock { $0.shards?.shardIDs ?? [] } }

    public func run() async throws {
        let rest = DiscordREST(token: configuration.token,
                               configuration: configuration.discordRESTBaseURL.map { .init(baseURL: $0) } ?? .init(),
                               logger: logger)
        let application = try await rest.getCurrentApplication()
        if configuration.registerCommands {
            let registry = GlobalCommandRegistry(rest: rest, applicationID: application.id)
            _ = try await CommandRegistration(registry: registry).sync(logger: logger)
        }
        var intents: GatewayIntents = [.guilds, .guildVoiceStates]
        if configuration.textCommands { intents.formUnion([.guildMessages, .messageContent]) }
        let gatewayBot = try await rest.getGatewayBot()
        let cache = GuildCache()
        let gateway = MasterShards(
            settings: .init(shard: GatewayShard.Configuration(token: configuration.token, intents: intents,
                                                              gatewayURL: gatewayBot.url,
                                                              compression: configuration.gatewayCompression,
                                                              // The master reads no untyped dispatch's payload.
                                                              otherPayloads: false),
                            shardCount: max(1, gatewayBot.shards),
                            maxConcurrency: gatewayBot.sessionStartLimit.maxConcurrency,
                            leaseTTL: configuration.shardLeaseTTL, holder: LeaseHolder(configuration.consumer.description)),
            leases: state, cache: cache, now: now, logger: logger)
        status.withLock { $0.shards = gateway }
        let context = MasterContext(configuration: configuration, rest: rest, cache: cache, bus: bus, state: state,
                                    ledger: ledger, claims: claims, settings: GuildSettingsCache(ledger: ledger),
                                    tracks: TrackResolver(nodes: configuration.lavalinkNodes, logger: logger,
                                                          breakers: sourceBreakers),
                                    catalog: .standard, now: now, clock: clock, logger: logger,
                                    workerRoles: WorkerRoles(rest: rest, registry: state, now: now), progress: progress)
        let driver = SessionDriver(context: context, applicationID: application.id)
        let voiceChecks = CoalescedWork<GuildID>()
        let music = MusicCommands(context: context, driver: driver)
        let lobbyRefresher = CoalescedWork<LobbyKey>()
        let games = GameCommands(context: context, board: LobbyBoard(context: context), refresher: lobbyRefresher,
                                 music: music)
        let dispatcher = InteractionDispatcher(context: context, music: music, games: games,
                                               applicationID: application.id)
        let admission = InteractionAdmission(limits: configuration.admission)
        let events = WorkerEventHandler(context: context, driver: driver, games: games)
        let reconciler = SessionReconciler(context: context, driver: driver, music: music)
        MasterMetrics.prepare()
        logger.notice("master starting", metadata: [
            "shards": "\(gateway.settings.shardCount)", "shard.leases": "\(configuration.shardLeaseTTL != nil)"])
        defer { status.withLock { $0.shards = nil } }

        // Finished once the dispatch loop has stopped (graceful shutdown) and every interaction it
        // started has been answered.
        let (dispatchDrained, drainedSignal) = AsyncStream<Void>.makeStream()
        try await withThrowingDiscardingTaskGroup { group in
            // Shard leases: periodic store work (`StoreWork`), apart from what commands cost.
            group.addTask { try await StoreWork.periodic { try await gateway.run() } }
            group.addTask {
                defer { drainedSignal.finish() }
                await withDiscardingTaskGroup { handlers in
                    // Created here, after the metrics backend is bootstrapped; counted per dispatch
                    // so operators (and the dispatch benchmark) see what the gateway delivers.
                    let dispatches = Counter(label: "anankor_gateway_dispatches_total")
                    let guilds = Gauge(label: "anankor_guilds_cached")
                    for await shardEvent in gateway.events.cancelOnGracefulShutdown() {
                        cache.apply(shardEvent.event)
                        context.workerRoles.apply(shardEvent.event)
                        dispatches.increment()
                        switch shardEvent.event {
                        case .guildCreate, .guildDelete: guilds.record(cache.guildCount)
                        default: break
                        }
                        self.route(shardEvent.event, dispatcher: dispatcher, admission: admission,
                                   voiceChecks: voiceChecks, driver: driver, into: &handlers)
                    }
                }
            }
            group.addTask { try await self.consumeEvents(events) }
            group.addTask { try? await StoreWork.periodic { try await reconciler.run() } }
            group.addTask { await driver.run() }
            group.addTask { await MasterSampler(bus: self.bus, shards: { gateway.shards }, admission: admission,
                                                       workers: self.configuration.workerBots, logger: self.logger,
                                                       clock: self.clock).run() }
            group.addTask { try? await StoreWork.periodic { try await games.watch() } }
            group.addTask { await voiceChecks.run { await reconciler.voiceChanged(in: $0) } }
            group.addTask { await lobbyRefresher.run { await games.board.refresh($0) } }
            try await gracefulShutdown()
            // Members who asked just before the shutdown still get their answer: no new
            // interactions are taken, those in flight finish (bounded), then the rest stops.
            await withTaskGroup(of: Void.self) { drain in
                drain.addTask { for await _ in dispatchDrained {} }
                drain.addTask { [limit = configuration.shutdownDrainTimeout] in try? await self.clock.sleep(for: limit) }
                await drain.next()
                drain.cancelAll()
            }
            // The shards stop and their leases go (so other masters take them at once) before
            // cancelling could cut that short.
            await gateway.waitUntilStopped(atMost: .seconds(5))
            driver.finish()
            lobbyRefresher.finish()
            voiceChecks.finish()
            group.cancelAll()
        }
    }

    private func route(_ event: GatewayEvent, dispatcher: InteractionDispatcher, admission: InteractionAdmission,
                       voiceChecks: CoalescedWork<GuildID>,
                       driver: SessionDriver,
                       into handlers: inout DiscardingTaskGroup) {
        switch event {
        case .ready(let ready):
            status.withLock { $0.botUser = ready.user.id.rawValue }
        case .interactionCreate(let interaction):
            handlers.addTask { await dispatcher.handle(interaction, admission: admission) }
        case .messageCreate(let message):
            handlers.addTask { await dispatcher.handle(message) }
        case .voiceStateUpdate(let voice):
            guard let guild = voice.guildID else { return }
            if Self.isBoundBotInItsChannel(voice, driver: driver) { return }
            voiceChecks.request(GuildID(guild.rawValue))
        default:
            break
        }
    }

    /// Whether `voice` is a worker bot's own state in the channel its session (as this master
    /// last saved or read it) is bound to: its join after a bind, a mute change. The voice check
    /// counts humans only, so it would find nothing new, and it reads the guild's sessions
    /// (docs/performance.md). Everything else is checked: humans, a bot leaving or moved
    /// elsewhere (a dead worker's bot being taken out), a bot this master has no record for.
    static func isBoundBotInItsChannel(_ voice: DiscordKit.VoiceState, driver: SessionDriver) -> Bool {
        guard let guild = voice.guildID, let channel = voice.channelID else { return false }
        let session = SessionKey(guild: GuildID(guild.rawValue), channel: ChannelID(channel.rawValue))
        return driver.cachedRecord(session)?.binding?.worker.rawValue == voice.userID.rawValue
    }

    /// Worker events, shared with other masters through the consumer group. A handler failure
    /// leaves the event unacknowledged so it comes back (at-least-once); the handlers are written
    /// to be safe to repeat (stale advances change nothing).
    private func consumeEvents(_ handler: WorkerEventHandler) async throws {
        while !Task.isCancelled {
            let deliveries: [Delivery<WorkerEvent>]
            do {
                deliveries = try await bus.receiveEvents(as: configuration.consumer, limit: 32, waitingUpTo: .seconds(1))
            } catch {
                if Task.isCancelled { return }
                if InteractionDispatcher.isUnavailable(error) {
                    handler.context.outage.began("reading worker events", error: "\(error)", logger: logger)
                } else {
                    logger.warning("could not read worker events", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: .seconds(1))
                continue
            }
            // One session's events stay in order; different sessions do not wait for each other
            // (handled one by one, a busy master let a track end wait seconds behind others'
            // position reports: docs/performance.md).
            for segment in WorkerEventBatch.segments(deliveries) {
                await withDiscardingTaskGroup { group in
                    for lane in segment {
                        group.addTask {
                            for delivery in lane { await self.handle(delivery, with: handler) }
                        }
                    }
                }
            }
        }
    }

    private func handle(_ delivery: Delivery<WorkerEvent>, with handler: WorkerEventHandler) async {
        MasterMetrics.event(kind: delivery.envelope.kind)
        if delivery.isRedelivery { MasterMetrics.eventRedelivered() }
        // Traced only when the event carries a trace (one a job caused); position reports and
        // other background events would each start a trace of their own.
        guard let trace = delivery.envelope.trace else { return await process(delivery, with: handler) }
        await withSpan("handle \(delivery.envelope.kind)", context: trace.serviceContext, ofKind: .consumer) { span in
            span.attributes[SpanAttributeName.eventKind] = delivery.envelope.kind
            await process(delivery, with: handler)
        }
    }

    private func process(_ delivery: Delivery<WorkerEvent>, with handler: WorkerEventHandler) async {
        do {
            try await handler.handle(delivery.envelope.body)
            try await bus.acknowledge(delivery)
        } catch {
            logger.warning("worker event failed; it will be redelivered",
                           metadata: ["event.kind": "\(delivery.envelope.kind)", "error": "\(error)"])
        }
    }
}

/// Splits a batch of worker events into segments handled one after another; within a segment,
/// lanes (one per session, in publication order) run concurrently. An event about a whole worker
/// or lobby is a segment of its own, so it sees everything published before it handled.
enum WorkerEventBatch {
    static func segments<Item>(_ items: [Item], session: (Item) -> SessionKey?) -> [[[Item]]] {
        var segments: [[[Item]]] = []
        var lanes: [SessionKey: Int] = [:]
        var current: [[Item]] = []
        for item in items {
            guard let key = session(item) else {
                if !current.isEmpty { segments.append(current) }
                segments.append([[item]])
                current = []
                lanes = [:]
                continue
            }
            if let index = lanes[key] {
                current[index].append(item)
            } else {
                lanes[key] = current.count
                current.append([item])
            }
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    static func segments(_ deliveries: [Delivery<WorkerEvent>]) -> [[[Delivery<WorkerEvent>]]] {
        segments(deliveries) { $0.envelope.body.session }
    }
}
