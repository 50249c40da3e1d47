import AnankorCore
import AnankorDistributed
import AnankorEmbedded
import AnankorMaster
import AnankorSandbox
import AnankorTestSupport
import AnankorTesting
import AnankorWorker
import DiscordEmulator
import Foundation
import LavalinkEmulator
import Logging
import RedisKit
import Synchronization
import Testing

/// The music end-to-end suites, one at a time: each starts a whole system (emulators, masters,
/// workers, redis-server), and several at once on a small machine would measure the scheduler, not
/// Anankor. `LobbyAndProcessEndToEnd` is the one other lane beside it. moto_server runs once for
/// all of them.
@Suite("End to end", .motoServer, .serialized) struct EndToEnd {}

/// Which adapters a stage runs on.
enum Mode: String, CaseIterable, CustomStringConvertible, Sendable {
    /// SQLite state and ledger, the in-process bus (`anankor run`, the sandbox).
    case embedded
    /// A real redis-server (bus and state) and moto's DynamoDB (ledger) (`anankor master/worker`).
    case distributed

    var description: String { rawValue }
}

/// A running system for one test: the sandbox world (both emulators), one or more masters and
/// worker processes on the chosen adapters. Processes are services in their own groups, so a test
/// can stop one gracefully, kill one on the spot, or start another, like processes on a host.
final class MusicStage: Sendable {
    let world: SandboxWorld
    let ports: SandboxPorts
    let tuning: SandboxTuning
    let mode: Mode
    /// What an `anankor master`/`anankor worker` process needs to join this stage (distributed mode).
    let processEnvironment: [String: String]
    /// The redis-server of a distributed stage (tests stop and restart it).
    let redis: RedisServer?
    private let masters = Mutex<[String: RunningService]>([:])
    private let workers = Mutex<[String: RunningService]>([:])
    private let workerServices = Mutex<[String: WorkerService]>([:])
    private let masterServices = Mutex<[String: MasterService]>([:])
    private let teardown: @Sendable () async -> Void
    private let logger: Logger

    private init(world: SandboxWorld, ports: SandboxPorts, tuning: SandboxTuning, mode: Mode, logger: Logger,
                 processEnvironment: [String: String], redis: RedisServer?,
                 teardown: @escaping @Sendable () async -> Void) {
        self.processEnvironment = processEnvironment
        self.redis = redis
        self.world = world
        self.ports = ports
        self.tuning = tuning
        self.mode = mode
        self.logger = logger
        self.teardown = teardown
    }

    /// Starts the world and the processes and waits until every worker bot is online.
    static func start(_ mode: Mode, plan: SandboxWorld.Plan = .testing,
                      tuning: SandboxTuning = .quick, masters: Int = 1, workerProcesses: Int? = nil,
                      durableRedis: Bool = false) async throws
        -> MusicStage
    {
        var logger = Logger(label: "e2e")
        logger.logLevel = ProcessInfo.processInfo.environment["E2E_LOG"] == nil ? .critical : .debug
        let world = try await SandboxWorld.start(plan, logger: logger)
        let (ports, storeEnvironment, redis, teardown) = try await makePorts(mode, durableRedis: durableRedis)
        var environment = storeEnvironment
        environment["DISCORD_API_URL"] = world.discord.restURL
        environment["LAVALINK_URL"] = world.lavalink.baseURL
        environment["LAVALINK_PASSWORD"] = SandboxWorld.lavalinkPassword
        for (index, bot) in world.workers.enumerated() { environment["DISCORD_WORKER_TOKEN_\(index + 1)"] = bot.token }
        environment["DISCORD_MASTER_TOKEN"] = world.master.token
        environment["ANANKOR_LOG_FORMAT"] = "json"
        let stage = MusicStage(world: world, ports: ports, tuning: tuning, mode: mode, logger: logger,
                               processEnvironment: environment, redis: redis) {
            await reportingSlow("emulators") { await world.stop() }
            await reportingSlow("stores") { await teardown() }
        }
        for index in stride(from: 1, through: masters, by: 1) { stage.startMaster("master-\(index)") }
        for index in stride(from: 1, through: workerProcesses ?? plan.workerBots, by: 1) {
            stage.startWorker("worker-\(index)")
        }
        let online = await world.eventually(timeout: .seconds(30)) {
            guard stage.mastersReady else { return false }
            let expected = min(plan.workerBots, workerProcesses ?? plan.workerBots)
            let live = (try? await ports.state.liveWorkers(now: Date()).count) ?? 0
            let members = (try? await ports.state.workers(in: GuildID(world.guild)).count) ?? 0
            return live == expected && members >= expected
        }
        if !online {
            await stage.shutdown()
            throw SandboxError("the worker bots did not come online within 30 s")
        }
        return stage
    }

    private static func makePorts(_ mode: Mode, durableRedis: Bool) async throws
        -> (SandboxPorts, [String: String], RedisServer?, @Sendable () async -> Void)
    {
        switch mode {
        case .embedded:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let ports = SandboxPorts(
                bus: InProcessJobBus(policy: JobBusPolicy(reclaimIdle: .seconds(3))),
                state: try SQLiteStateStore(path: directory.appendingPathComponent("state.sqlite").path),
                ledger: try SQLiteLedger(path: directory.appendingPathComponent("ledger.sqlite").path))
            return (ports, ["ANANKOR_STATE_PATH": directory.appendingPathComponent("run.sqlite").path], nil,
                    { try? FileManager.default.removeItem(at: directory) })
        case .distributed:
            // AOF when a test stops and restarts the server: nothing acknowledged may be lost.
            let redis = try await RedisServer(options: RedisServer.Options(appendOnly: durableRedis))
            let client = try RedisClient(url: redis.url)
            var environment = try MotoServerTrait.server().environment
            environment["DYNAMODB_TABLE"] = "e2e-\(UUID().uuidString.prefix(8))"
            let ledger = try DynamoLedger.fromEnvironment(environment)
            try await ledger.bootstrap(timeout: .seconds(30))
            let ports = SandboxPorts(bus: RedisJobBus(redis: client, policy: JobBusPolicy(reclaimIdle: .seconds(3))),
                                     state: RedisStateStore(redis: client), ledger: ledger,
                                     claims: RedisIdempotencyStore(redis: client))
            environment["REDIS_URL"] = redis.url
            return (ports, environment, redis, { redis.kill() })
        }
    }

    /// Every running master has registered the commands and is connected to the gateway.
    var mastersReady: Bool { masterServices.withLock { $0.values.allSatisfy(\.isReady) } }

    func startMaster(_ name: String) {
        let service = SandboxCluster.master(world: world, ports: ports, tuning: tuning, name: name, logger: logger)
        masterServices.withLock { $0[name] = service }
        masters.withLock { $0[name] = RunningService(service, logger: logger) }
    }

    func startWorker(_ name: String, tokens: [String]? = nil) {
        let service = SandboxCluster.worker(world: world, ports: ports, tuning: tuning, tokens: tokens, name: name,
                                            logger: logger)
        workerServices.withLock { $0[name] = service }
        workers.withLock { $0[name] = RunningService(service, logger: logger) }
    }

    /// The worker process currently playing as `bot`.
    func workerProcess(holding bot: UInt64) -> String? {
        workerServices.withLock { services in
            services.first { $0.value.heldWorker?.rawValue == bot }?.key
        }
    }

    func stopMaster(_ name: String) async {
        guard let service = masters.withLock({ $0.removeValue(forKey: name) }) else { return }
        masterServices.withLock { _ = $0.removeValue(forKey: name) }
        await service.stop()
    }

    /// Ends a master without any goodbye: its shard leases lapse instead of being released.
    func killMaster(_ name: String) async {
        guard let service = masters.withLock({ $0.removeValue(forKey: name) }) else { return }
        masterServices.withLock { _ = $0.removeValue(forKey: name) }
        await service.kill()
    }

    /// How far each running master has got (interactions settled, reconciliation passes).
    var masterProgress: [MasterProgress] { masterServices.withLock { $0.values.map(\.progress) } }

    /// Waits until every running master has completed `passes` more reconciliation passes: what a
    /// master was going to decide about the state before that has been decided and carried out.
    func reconciliationPasses(_ passes: Int = 2) async throws {
        let start = masterProgress.map { ($0, $0.reconciliationPasses) }
        #expect(await world.eventually(timeout: .seconds(30)) {
            start.allSatisfy { $0.0.reconciliationPasses >= $0.1 + passes }
        }, "every master completes \(passes) reconciliation passes")
    }

    /// The gateway shards each running master runs now, by master name.
    var masterShards: [String: [Int]] { masterServices.withLock { $0.mapValues(\.shardIDs) } }

    /// Ends a worker process without any goodbye (its lease and heartbeat simply lapse).
    func killWorker(_ name: String) async {
        guard let service = workers.withLock({ $0.removeValue(forKey: name) }) else { return }
        workerServices.withLock { _ = $0.removeValue(forKey: name) }
        await service.kill()
    }

    /// Stops a worker process the way SIGTERM does: a graceful shutdown (it leaves voice, says
    /// `workerOffline` and releases its token).
    func stopWorker(_ name: String) async {
        guard let service = workers.withLock({ $0.removeValue(forKey: name) }) else { return }
        workerServices.withLock { _ = $0.removeValue(forKey: name) }
        await service.stop()
    }

    func member(_ name: String) -> SandboxMember { SandboxMember(name, in: world)! }

    func voice(_ name: String) -> UInt64 { world.voiceChannel(name)! }

    func session(_ channel: String) -> SessionKey {
        SessionKey(guild: GuildID(world.guild), channel: ChannelID(voice(channel)))
    }

    /// The worker bot bound to a session, if any.
    func boundBot(_ channel: String) async -> UInt64? {
        try? await ports.state.sessionRecord(session(channel))?.binding?.worker.rawValue
    }

    /// The Lavalink player a bot has in the sandbox guild, on whichever node holds it.
    func player(of bot: UInt64) async -> PlayerSnapshot? {
        await playerAndNode(of: bot)?.player
    }

    func playerAndNode(of bot: UInt64) async -> (player: PlayerSnapshot, node: LavalinkEmulator)? {
        for node in world.lavalinkNodes where node.isListening {
            if let player = await node.players().first(where: { $0.userId == "\(bot)" && $0.guildId == "\(world.guild)" }) {
                return (player, node)
            }
        }
        return nil
    }

    /// The player of whichever bot plays in `channel`.
    func player(in channel: String) async -> PlayerSnapshot? {
        guard let bot = await boundBot(channel) else { return nil }
        return await player(of: bot)
    }

    func shutdown() async {
        let running = masters.withLock { $0.map { ($0.key, $0.value) } } + workers.withLock { $0.map { ($0.key, $0.value) } }
        // Like processes on a host told to stop together.
        await withDiscardingTaskGroup { group in
            for (name, service) in running { group.addTask { await Self.reportingSlow("stop \(name)") { await service.stop() } } }
        }
        await Self.reportingSlow("teardown") { await teardown() }
    }

    /// Runs a step of a stage's stop and prints its name and length when it takes long: every
    /// step is bounded, and one that is near its bound is what to look at in a slow run.
    static func reportingSlow(_ step: String, _ body: () async -> Void) async {
        let clock = ContinuousClock()
        let began = clock.now
        await body()
        let took = clock.now - began
        if took > .seconds(5) {
            FileHandle.standardError.write(Data("e2e stage: \(step) took \(took.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))\n".utf8))
        }
    }
}

/// Runs `body` with a stage and always shuts it down.
func withStage(_ mode: Mode, plan: SandboxWorld.Plan = .testing, tuning: SandboxTuning = .quick,
               masters: Int = 1, workerProcesses: Int? = nil, durableRedis: Bool = false,
               _ body: (MusicStage) async throws -> Void) async throws {
    let stage = try await MusicStage.start(mode, plan: plan, tuning: tuning, masters: masters,
                                           workerProcesses: workerProcesses, durableRedis: durableRedis)
    do {
        try await body(stage)
    } catch {
        await stage.shutdown()
        throw error
    }
    await stage.shutdown()
}

extension SandboxWorld.Plan {
    /// Lavalink's clock moved by hand; 10 s to acknowledge interactions (see `interactionDeadline`).
    static var testing: Self { Self(lavalinkSpeed: 0, interactionDeadline: .seconds(10)) }

    static func testing(workerBots: Int) -> Self {
        var plan = testing
        plan.workerBots = workerBots
        return plan
    }
}
