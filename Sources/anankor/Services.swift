import AnankorCore
import AnankorDistributed
import AnankorEmbedded
import AnankorMaster
import AnankorSettings
import AnankorTelemetry
import AnankorWorker
import ArgumentParser
import DiscordKit
import Foundation
import LavalinkKit
import Logging
import Prometheus
import RedisKit
import ServiceLifecycle

/// `anankor run`: the master and one worker per configured worker token in one process, on the
/// embedded adapters (a SQLite file and the in-process bus), against real Discord and Lavalink.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the master and every worker bot in one process (embedded state in a SQLite file).",
        discussion: AnankorSettings.helpText(for: .run)
    )

    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        let (settings, logger, registry) = try await OperatorStartup.serviceSettings(for: .run, options: operations)
        let tracing = try OperatorStartup.tracing(settings, serviceName: "anankor", logger: logger)
        let state: SQLiteStateStore
        let ledger: SQLiteLedger
        do {
            (state, ledger) = try EmbeddedDatabase.stores(path: settings.statePath)
        } catch {
            FileHandle.standardError.write(Data("anankor: ANANKOR_STATE_PATH: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let bus = InProcessJobBus()
        let master = ServiceWiring.master(settings, bus: bus, state: state, ledger: ledger, logger: logger)
        // One worker per token, each holding just its own: every bot plays, none waits as a spare.
        let workers = settings.workerTokens.enumerated().map { index, token in
            // Nothing takes a token over here: a stop leaves voice.
            ServiceWiring.worker(settings, tokens: [token], name: "worker-\(index + 1)", bus: bus, state: state,
                                 ledger: ledger, handsOverOnStop: false, logger: logger)
        }
        try await ServiceWiring.runServices(tracing: tracing, [master] + workers, settings: settings, registry: registry, checks: [
            ReadinessCheck("gateway") { master.isReady },
            ReadinessCheck("workers") { workers.allSatisfy(\.isReady) },
        ], notes: [
            ServiceWiring.breakerNote(master),
            ReadinessNote("lavalink_player_source_breakers") { workers.flatMap(\.degradedSources) },
        ], logger: logger)
    }
}

/// `anankor master`: a master process of the distributed mode (Redis + DynamoDB).
struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "master", abstract: "Run a master process (distributed mode: Redis + DynamoDB).",
        discussion: AnankorSettings.helpText(for: .master)
    )

    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        let (settings, logger, registry) = try await OperatorStartup.serviceSettings(for: .master, options: operations)
        let tracing = try OperatorStartup.tracing(settings, serviceName: "anankor-master", logger: logger)
        let ports = try await ServiceWiring.distributedPorts(settings, logger: logger)
        let master = ServiceWiring.master(settings, bus: ports.bus, state: ports.state, ledger: ports.ledger,
                                          claims: ports.claims, splitsShards: true, logger: logger)
        try await ServiceWiring.runServices(tracing: tracing, [master], settings: settings, registry: registry, checks: [
            ReadinessCheck("gateway") { master.isReady },
            ReadinessCheck("redis") { (try? await ports.redis.send("PING")) != nil },
        ], notes: [ServiceWiring.breakerNote(master)], logger: logger)
    }
}

/// `anankor worker`: a worker process; it claims one free worker token and waits as a spare when
/// every token is held.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run a worker process (claims one free worker bot token; spares wait).",
        discussion: AnankorSettings.helpText(for: .worker)
    )

    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        let (settings, logger, registry) = try await OperatorStartup.serviceSettings(for: .worker, options: operations)
        let tracing = try OperatorStartup.tracing(settings, serviceName: "anankor-worker", logger: logger)
        let ports = try await ServiceWiring.distributedPorts(settings, logger: logger)
        let worker = ServiceWiring.worker(settings, tokens: settings.workerTokens,
                                          name: "worker-\(ProcessInfo.processInfo.processIdentifier)", bus: ports.bus,
                                          state: ports.state, ledger: ports.ledger, claims: ports.claims, logger: logger)
        try await ServiceWiring.runServices(tracing: tracing, [worker], settings: settings, registry: registry, checks: [
            ReadinessCheck("worker") { worker.isReady },
            ReadinessCheck("redis") { (try? await ports.redis.send("PING")) != nil },
        ], notes: [ReadinessNote("lavalink_player_source_breakers") { worker.degradedSources }], logger: logger)
    }
}

/// Turns settings into services. Only the executable knows the adapters (DESIGN §3).
enum ServiceWiring {
    static func lavalinkNodes(_ settings: AnankorSettings) -> [(name: String, endpoint: NodeEndpoint)] {
        settings.lavalinkNodes.map {
            ($0.name, NodeEndpoint(host: $0.host, port: $0.port, secure: $0.secure, password: $0.password.exposedValue))
        }
    }

    /// `/ready` lists the master's search breakers that are open or half-open (never failing it:
    /// searches go to the other nodes meanwhile).
    static func breakerNote(_ master: MasterService) -> ReadinessNote {
        ReadinessNote("lavalink_search_source_breakers") {
            master.sourceBreakers.reports().filter { !$0.isClosed }.map(\.summary)
        }
    }

    static var processTag: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
    }

    /// - Parameter splitsShards: masters of the distributed mode split the shards through leases;
    ///   the one master of `anankor run` runs them all.
    static func master(_ settings: AnankorSettings, bus: any JobBus, state: any StateStore, ledger: any Ledger,
                       claims: (any IdempotencyStore)? = nil, splitsShards: Bool = false, logger: Logger) -> MasterService {
        let workerBots = settings.workerTokens.compactMap { BotToken($0.exposedValue).userID }
            .map { WorkerID($0.rawValue) }
        let configuration = MasterConfiguration(
            token: BotToken(settings.masterToken?.exposedValue ?? ""),
            discordRESTBaseURL: settings.discordAPIURL, lavalinkNodes: lavalinkNodes(settings),
            workerBots: workerBots, guildSessionCap: settings.guildSessionCap, idleTimeout: settings.idleTimeout,
            lobbyHostGrace: settings.lobbyHostGrace, lobbyMaxDuration: settings.lobbyMaxDuration,
            lobbyOpenExpiry: settings.lobbyOpenExpiry, consumer: ConsumerName("master-\(processTag)"),
            shardLeaseTTL: splitsShards ? settings.shardLeaseTTL : nil,
            shutdownDrainTimeout: settings.shutdownDrainTimeout,
            admission: AdmissionLimits(running: settings.interactionsRunning, waiting: settings.interactionsWaiting))
        return MasterService(configuration: configuration, bus: bus, state: state, ledger: ledger, claims: claims,
                             logger: logger)
    }

    static func worker(_ settings: AnankorSettings, tokens: [Secret], name: String, bus: any JobBus,
                       state: any StateStore, ledger: any Ledger, claims: (any IdempotencyStore)? = nil,
                       handsOverOnStop: Bool = true, logger: Logger) -> WorkerService {
        var configuration = WorkerConfiguration(
            tokens: tokens.map { BotToken($0.exposedValue) }, discordRESTBaseURL: settings.discordAPIURL,
            lavalinkNodes: settings.lavalinkNodes.map {
                LavalinkNodeSpec(name: $0.name, host: $0.host, port: $0.port, secure: $0.secure,
                                 password: $0.password.exposedValue, region: $0.region)
            },
            holder: LeaseHolder("\(name)-\(processTag)"), consumer: ConsumerName(name))
        configuration.handsOverOnStop = handsOverOnStop
        var logger = logger
        logger[metadataKey: "process"] = "\(name)"
        return WorkerService(configuration: configuration, bus: bus, state: state, ledger: ledger, claims: claims,
                             logger: logger)
    }

    struct DistributedPorts {
        var redis: RedisClient
        var bus: RedisJobBus
        var state: RedisStateStore
        var ledger: DynamoLedger
        /// Interaction and job claims: Redis, not DynamoDB (docs/performance.md).
        var claims: RedisIdempotencyStore
    }

    static func distributedPorts(_ settings: AnankorSettings, logger: Logger) async throws -> DistributedPorts {
        let redis: RedisClient
        do {
            redis = try RedisClient(url: settings.redisURL?.exposedValue ?? "")
        } catch {
            FileHandle.standardError.write(Data("anankor: REDIS_URL: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let ledger: DynamoLedger
        do {
            ledger = try DynamoLedger.fromEnvironment(ProcessInfo.processInfo.environment, logger: logger)
            try await ledger.bootstrap()
        } catch {
            FileHandle.standardError.write(Data("anankor: DynamoDB: \(error)\n".utf8))
            throw ExitCode(78)
        }
        return DistributedPorts(redis: redis, bus: RedisJobBus(redis: redis), state: RedisStateStore(redis: redis),
                                ledger: ledger, claims: RedisIdempotencyStore(redis: redis))
    }

    /// Runs the services with `/health`, `/ready` and `/metrics`, until SIGTERM or SIGINT.
    /// `tracing`, when set, runs first so it stops last and exports the spans of everything else.
    static func runServices(tracing: (any Service)? = nil, _ services: [any Service], settings: AnankorSettings,
                            registry: PrometheusCollectorRegistry, checks: [ReadinessCheck], notes: [ReadinessNote] = [],
                            logger: Logger) async throws {
        // The HTTP server logs its own start and a harmless "Already closed" at error level on every
        // normal shutdown; it gets a logger that only passes critical lines, and the start is
        // announced here. A port it cannot take was already reported by `serviceSettings`.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let endpoints = OperationsEndpoints.application(host: settings.httpHost, port: settings.httpPort, registry: registry,
                                                        checks: checks, notes: notes, logger: serverLogger)
        let group = ServiceGroup(configuration: .init(
            services: ([tracing].compactMap { $0 } + services).map { .init(service: $0) } + [.init(service: endpoints)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("serving /health, /ready and /metrics", metadata: ["http.address": "\(settings.httpHost):\(settings.httpPort)"])
        do {
            try await group.run()
        } catch is CancellationError {
            // What a service throws when SIGTERM/SIGINT cancelled it mid-wait: a normal stop.
        }
        logger.info("stopped")
    }
}
