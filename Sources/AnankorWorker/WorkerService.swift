public import AnankorCore
import DiscordKit
public import Foundation
import LavalinkKit
import Metrics
public import Logging
public import ServiceLifecycle

/// The worker process (DESIGN §1): holds one worker-bot token at a time through a lease, plays
/// as that bot — gateway, voice, Lavalink players, game jobs — and reports what happens as
/// `WorkerEvent`s. It never routes and owns no queue; the master sends it jobs.
///
/// Lifecycle:
/// - **Spare**: tries the configured tokens in order (`acquireLease`); when all are held by other
///   processes it retries every `spareRetryInterval`, so it takes a token over within the lease
///   TTL of its holder dying.
/// - **Holding**: renews the lease every `heartbeatInterval` (with a registry heartbeat and the
///   resume records). A lost lease stops everything for that token at once, without touching
///   voice (the new holder plays now), and the process is a spare again.
/// - **Graceful shutdown** (swift-service-lifecycle): stops taking jobs, leaves every voice
///   channel, publishes `workerOffline`, releases the lease and leaves the registry.
/// - **Cancellation** stops at once and releases nothing: the lease lapses and a spare resumes
///   the gateway and Lavalink sessions (what a crash looks like to the others).
public final class WorkerService: Service, Sendable {
    private let configuration: WorkerConfiguration
    private let context: WorkerContext
    private let logger: Logger

    /// - Parameters:
    ///   - claims: where jobs are claimed once; the ledger unless given (distributed mode passes
    ///     Redis). Reminders are always claimed in the ledger (kept a week).
    ///   - now: wall-clock time for leases, claims and event timestamps.
    ///   - clock: what every wait sleeps on (heartbeats and lease renewal, spare retries, job
    ///     timeouts, the reminder runner); tests pass a manual clock.
    public init(configuration: WorkerConfiguration, bus: any JobBus, state: any StateStore, ledger: any Ledger,
                claims: (any IdempotencyStore)? = nil, now: @escaping @Sendable () -> Date = { Date() },
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker.holder"] = "\(configuration.holder)"
        self.logger = logger
        self.context = WorkerContext(configuration: configuration, bus: bus, state: state, ledger: ledger,
                                     claims: claims ?? ledger, now: now, time: DiscordTimeSource(clock: clock),
                                     metrics: WorkerMetrics(), board: WorkerStatusBoard(),
                                     events: EventPublisher(bus: bus, now: now, logger: logger))
    }

    /// The worker bot this process plays as now; nil while it is a spare.
    public var heldWorker: WorkerID? { context.board.heldWorker }

    /// Gateway ready, lease held, at least one Lavalink node connected (`/ready`).
    public var isReady: Bool { context.board.isReady }

    /// The held bot's Lavalink source breakers that are open or half-open, one line each.
    public var degradedSources: [String] { context.board.degradedSources }

    /// Runs until graceful shutdown or cancellation. Throws only when no configured token can
    /// ever be used (none given, or Discord refused every one of them).
    public func run() async throws {
        var candidates = configuration.tokens.map { TokenCandidate(token: $0) }
        guard !candidates.isEmpty else {
            throw WorkerError(code: .noTokens, message: "no worker bot token is configured")
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let (index, lease) = await acquireAny(&candidates), let worker = candidates[index].worker {
                switch await hold(lease, worker: worker, token: candidates[index].token) {
                case .leaseLost, .failed:
                    break
                case .shutdown, .cancelled:
                    return
                case .refused(let error):
                    candidates[index].refused = true
                    if candidates.allSatisfy(\.refused) {
                        throw WorkerError(code: .tokensRefused, message: "Discord refused every worker token",
                                          underlying: error)
                    }
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
            }
            await context.events.deliverBacklog()  // what an earlier hold could not publish
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.context.time.sleep(self.configuration.spareRetryInterval)
                }
            } catch {
                return
            }
        }
    }

    // MARK: Spare

    private struct TokenCandidate {
        let token: BotToken
        var worker: WorkerID?
        var refused = false

        init(token: BotToken) {
            self.token = token
            self.worker = BotIdentity.workerID(fromToken: token)
        }
    }

    /// The first token whose lease this process gets, with its index.
    private func acquireAny(_ candidates: inout [TokenCandidate]) async -> (Int, Lease)? {
        for index in candidates.indices where !candidates[index].refused {
            if candidates[index].worker == nil {
                // Not shaped like a Discord token: ask Discord who it is (retried next round on failure).
                candidates[index].worker = try? await BotIdentity.resolve(candidates[index].token, rest: makeREST(candidates[index].token))
            }
            guard let worker = candidates[index].worker else { continue }
            do {
                let outcome = try await context.state.acquireLease(
                    .workerToken(worker), holder: configuration.holder, ttl: configuration.leaseTTL, now: context.now())
                if let lease = outcome.lease { return (index, lease) }
            } catch {
                logger.warning("could not try a token lease", metadata: ["worker.id": "\(worker)", "error": "\(error)"])
            }
        }
        return nil
    }

    // MARK: Holding

    private func hold(_ lease: Lease, worker: WorkerID, token: BotToken) async -> HoldEnd {
        var logger = self.logger
        logger[metadataKey: "worker.id"] = "\(worker)"
        logger.info("token lease acquired", metadata: ["fencing.token": "\(lease.fencingToken)"])
        context.metrics.leaseHeld.increment()
        context.board.holding(worker, gateway: nil)
        defer {
            context.metrics.leaseHeld.decrement()
            context.board.released()
        }
        let rest = makeREST(token)
        let bot: WorkerBot
        do {
            bot = try await prepare(worker: worker, lease: lease, token: token, rest: rest, logger: logger)
        } catch {
            return await giveUp(lease, worker: worker, error: error, logger: logger)
        }
        context.board.holding(worker, gateway: bot.gateway)
        context.board.playing(on: bot.pool)
        var group = ServiceGroupConfiguration(services: [
            .init(service: bot.gateway, serviceName: "gateway"),
            .init(service: bot.pool, serviceName: "lavalink"),
            // Last, so a graceful shutdown reaches it first while gateway and Lavalink still run.
            .init(service: bot, successTerminationBehavior: .cancelGroup, serviceName: "worker"),
        ], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(20)
        var failure: (any Error)?
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            failure = error
        }
        if bot.handedOver {
            // The gateway was closed resumably and the Lavalink nodes have stopped: the spare
            // that takes the lease now resumes both. The resume records are kept for it.
            await WorkerBot.release(worker: worker, lease: bot.currentLease, reason: "shutdown",
                                    shards: bot.gateway.shards.map(\.configuration.shardID), context: context,
                                    events: context.events, forgetResume: false, playersKept: true, logger: logger)
        }
        if let failure {
            if let ended = bot.outcome { return ended }
            if Task.isCancelled { return .cancelled }
            return await giveUp(bot.currentLease, worker: worker, error: failure, logger: logger)
        }
        return bot.outcome ?? .cancelled
    }

    /// Everything a held token needs, before anything runs: the gateway (resuming the saved
    /// session when there is one), the Lavalink nodes (same), the bot.
    private func prepare(worker: WorkerID, lease: Lease, token: BotToken, rest: DiscordREST, logger: Logger) async throws
        -> WorkerBot
    {
        let gatewayBot = try await rest.getGatewayBot()
        let shardCount = max(1, gatewayBot.shards)
        var resumeStates: [Int: GatewayResumeState] = [:]
        var lavalinkSessions: [String: String] = [:]
        for shard in 0..<shardCount {
            let info = try? await context.state.resumeInfo(for: ResumeRecords.key(worker, shard: shard))
            resumeStates[shard] = ResumeRecords.gatewayState(info)
            if shard == 0 {
                lavalinkSessions = ResumeRecords.lavalinkSessions(info, nodeNames: configuration.lavalinkNodes.map(\.name))
            }
        }
        if !resumeStates.isEmpty || !lavalinkSessions.isEmpty {
            logger.info("resuming the previous holder's sessions", metadata: [
                "gateway.shards": "\(resumeStates.keys.sorted())", "lavalink.nodes": "\(lavalinkSessions.keys.sorted())",
            ])
        }
        let gateway = ShardedGateway(configuration: .init(
            shard: GatewayShard.Configuration(token: token, intents: [.guilds, .guildVoiceStates],
                                              gatewayURL: gatewayBot.url, compression: configuration.gatewayCompression,
                                              // The worker reads no untyped dispatch's payload.
                                              otherPayloads: false),
            shardCount: shardCount, maxConcurrency: gatewayBot.sessionStartLimit.maxConcurrency,
            resumeStates: resumeStates), logger: logger)
        let nodes = configuration.lavalinkNodes.map { spec in
            LavalinkNode(configuration: NodeConfiguration(
                name: spec.name, endpoint: NodeEndpoint(host: spec.host, port: spec.port, secure: spec.secure,
                                                        password: spec.password),
                userId: worker.description, clientName: configuration.clientName,
                resumeTimeout: configuration.lavalinkResumeTimeout, resumeSessionId: lavalinkSessions[spec.name],
                region: spec.region),
                logger: logger)
        }
        let known = (try? await context.state.guilds(of: worker)) ?? []
        return WorkerBot(worker: worker, lease: lease, context: context, rest: rest, gateway: gateway,
                         pool: LavalinkNodePool(nodes: nodes, onBreakerTransition: { node, source, transition in
                             guard case .opened = transition else { return }
                             Counter(label: "anankor_lavalink_source_breaker_opened_total",
                                     dimensions: [("node", node), ("source", source), ("role", "worker")]).increment()
                         }, logger: logger), knownGuilds: known,
                         lavalinkSessions: lavalinkSessions, logger: logger)
    }

    /// The token could not be used: give it back and tell the masters (unless cancelled).
    private func giveUp(_ lease: Lease, worker: WorkerID, error: any Error, logger: Logger) async -> HoldEnd {
        if Task.isCancelled { return .cancelled }
        let refused = Self.isRefusal(error)
        logger.error(refused ? "Discord refused the worker token" : "could not run the worker token",
                     metadata: ["error": "\(error)"])
        await WorkerBot.release(worker: worker, lease: lease, reason: refused ? "token refused" : "failed",
                                shards: [0], context: context, events: context.events, forgetResume: refused, logger: logger)
        return refused ? .refused(error) : .failed(error)
    }

    /// Errors no retry can fix: a bad token, intents the application may not use.
    private static func isRefusal(_ error: any Error) -> Bool {
        if let gateway = error as? GatewayError {
            return [.authenticationFailed, .disallowedIntents, .invalidIntents].contains(gateway.code)
        }
        if let rest = error as? DiscordRESTError { return rest.status == 401 }
        return false
    }

    private func makeREST(_ token: BotToken) -> DiscordREST {
        let base = configuration.discordRESTBaseURL ?? DiscordREST.Configuration().baseURL
        return DiscordREST(token: token, configuration: .init(baseURL: base), logger: logger)
    }
}

/// Why `WorkerService.run()` gave up.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case noTokens
        case tokensRefused
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message + (underlying.map { ": \($0)" } ?? "") }
}
