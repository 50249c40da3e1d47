public import AnankorCore
public import AnankorMaster
public import AnankorWorker
import DiscordKit
public import Foundation
public import LavalinkKit
public import Logging
public import ServiceLifecycle

/// The three ports a deployment shares: the embedded adapters in the sandbox and `anankor run`,
/// Redis + DynamoDB for `anankor master` / `anankor worker` (and in the distributed tests).
public struct SandboxPorts: Sendable {
    public var bus: any JobBus
    public var state: any StateStore
    public var ledger: any Ledger
    /// Interaction and job claims: the ledger (embedded) or Redis (distributed).
    public var claims: any IdempotencyStore

    public init(bus: any JobBus, state: any StateStore, ledger: any Ledger, claims: (any IdempotencyStore)? = nil) {
        self.bus = bus
        self.state = state
        self.ledger = ledger
        self.claims = claims ?? ledger
    }
}

/// Timing knobs, shortened in tests so failures show within seconds.
public struct SandboxTuning: Sendable {
    public var guildSessionCap: Int
    public var idleTimeout: Duration
    public var aloneTimeout: Duration
    public var leaseTTL: Duration
    public var heartbeatInterval: Duration
    public var workerGrace: Duration
    public var watchdogInterval: Duration
    /// How often the master compares sessions with their workers' Lavalink players.
    public var reconcileInterval: Duration
    /// Lobby lifetimes (`MasterConfiguration`); tests of hand-over and timeouts shorten them.
    public var lobbyHostGrace: Duration
    public var lobbyMaxDuration: Duration
    public var lobbyOpenExpiry: Duration
    /// The masters' search breakers per Lavalink node and source, and the monotonic clock they
    /// read (nil: real time); tests move it by hand.
    public var sourceBreakerPolicy = SourceBreakerPolicy()
    public var sourceBreakerClock: (@Sendable () -> Duration)?
    /// Masters split the gateway shards through leases this long; nil: each master runs every
    /// shard (the embedded mode's one master).
    public var shardLeaseTTL: Duration? = nil
    /// How many interactions each master works on at once and lets wait.
    public var admission = AdmissionLimits()

    public init(guildSessionCap: Int = Anankor.defaultGuildSessionCap, idleTimeout: Duration = .seconds(600),
                aloneTimeout: Duration = .seconds(120), leaseTTL: Duration = .seconds(3),
                heartbeatInterval: Duration = .seconds(1), workerGrace: Duration = .seconds(1),
                watchdogInterval: Duration = .seconds(1), reconcileInterval: Duration = .seconds(5),
                lobbyHostGrace: Duration = .seconds(300),
                lobbyMaxDuration: Duration = .seconds(12 * 3600), lobbyOpenExpiry: Duration = .seconds(2 * 3600)) {
        self.lobbyHostGrace = lobbyHostGrace
        self.lobbyMaxDuration = lobbyMaxDuration
        self.lobbyOpenExpiry = lobbyOpenExpiry
        self.guildSessionCap = guildSessionCap
        self.idleTimeout = idleTimeout
        self.aloneTimeout = aloneTimeout
        self.leaseTTL = leaseTTL
        self.heartbeatInterval = heartbeatInterval
        self.workerGrace = workerGrace
        self.watchdogInterval = watchdogInterval
        self.reconcileInterval = reconcileInterval
    }

    /// Quick timings for tests: a dead worker is noticed within about five seconds. The lease is
    /// long enough that a machine stalled for a second or two does not look like a dead worker.
    public static let quick = SandboxTuning(idleTimeout: .seconds(600), aloneTimeout: .seconds(600),
                                            leaseTTL: .seconds(4), heartbeatInterval: .milliseconds(500),
                                            workerGrace: .seconds(1), watchdogInterval: .milliseconds(250),
                                            reconcileInterval: .seconds(1))
}

/// Builds masters and workers wired to a sandbox world's emulators.
public enum SandboxCluster {
    public static func master(world: SandboxWorld, ports: SandboxPorts, tuning: SandboxTuning,
                              name: String = "master-1", logger: Logger) -> MasterService {
        let configuration = MasterConfiguration(
            token: BotToken(world.master.token), discordRESTBaseURL: world.discord.restURL,
            lavalinkNodes: lavalinkNodes(world), workerBots: world.workers.map { WorkerID($0.userID) },
            guildSessionCap: tuning.guildSessionCap, idleTimeout: tuning.idleTimeout, aloneTimeout: tuning.aloneTimeout,
            workerGrace: tuning.workerGrace, watchdogInterval: tuning.watchdogInterval,
            reconcileInterval: tuning.reconcileInterval,
            lobbyHostGrace: tuning.lobbyHostGrace, lobbyMaxDuration: tuning.lobbyMaxDuration,
            lobbyOpenExpiry: tuning.lobbyOpenExpiry, textCommands: true,
            consumer: ConsumerName(name), shardLeaseTTL: tuning.shardLeaseTTL, admission: tuning.admission)
        var logger = logger
        logger[metadataKey: "process"] = "\(name)"
        let breakers = MasterService.sourceBreakerBoard(
            policy: tuning.sourceBreakerPolicy, now: tuning.sourceBreakerClock ?? LavalinkNodePool.processUptime, logger: logger)
        return MasterService(configuration: configuration, bus: ports.bus, state: ports.state, ledger: ports.ledger,
                             claims: ports.claims, sourceBreakers: breakers,
                             logger: logger)
    }

    /// A worker process; by default it may hold any of the world's worker tokens (spares wait).
    public static func worker(world: SandboxWorld, ports: SandboxPorts, tuning: SandboxTuning,
                              tokens: [String]? = nil, name: String, logger: Logger) -> WorkerService {
        let configuration = WorkerConfiguration(
            tokens: (tokens ?? world.workers.map(\.token)).map(BotToken.init),
            discordRESTBaseURL: world.discord.restURL,
            lavalinkNodes: zip(lavalinkNodes(world), world.lavalinkNodes).map { node, emulator in
                LavalinkNodeSpec(name: node.name, host: node.endpoint.host, port: node.endpoint.port, secure: false,
                                 password: SandboxWorld.lavalinkPassword, region: emulator.configuration.node.region)
            },
            holder: LeaseHolder("\(name)-\(UUID().uuidString.prefix(8))"), consumer: ConsumerName(name),
            leaseTTL: tuning.leaseTTL, heartbeatInterval: tuning.heartbeatInterval)
        var logger = logger
        logger[metadataKey: "process"] = "\(name)"
        return WorkerService(configuration: configuration, bus: ports.bus, state: ports.state, ledger: ports.ledger,
                             claims: ports.claims,
                             logger: logger)
    }

    /// The name and endpoint under which masters and workers know each of the world's Lavalink nodes.
    public static func lavalinkNodes(_ world: SandboxWorld) -> [(name: String, endpoint: NodeEndpoint)] {
        world.lavalinkNodes.enumerated().map { index, node in
            ("sandbox-\(index + 1)", NodeEndpoint(host: node.configuration.host, port: node.port,
                                                  password: SandboxWorld.lavalinkPassword))
        }
    }
}

/// One service running in its own service group, the way a separate process would: `stop()` is a
/// graceful shutdown, `kill()` cancels it on the spot (no goodbye, leases left to lapse).
public final class RunningService: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    public init(_ service: any Service, logger: Logger) {
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        self.group = group
        self.task = Task {
            do { try await group.run() } catch { logger.warning("service ended", metadata: ["error": "\(error)"]) }
        }
    }

    /// A graceful shutdown, waited for to the end. Every part of a service ends once it is
    /// cancelled, so a caller that is cancelled meanwhile cancels the service and still waits only
    /// as long as that takes.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await ended()
    }

    /// A crashed process waits for nothing: the service is cancelled on the spot.
    public func kill() async {
        task.cancel()
        await ended()
    }

    private func ended() async {
        let task = self.task
        await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }
}
