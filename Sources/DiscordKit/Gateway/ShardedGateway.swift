public import Logging
public import ServiceLifecycle

/// An event and the shard it came from.
public struct ShardEvent: Sendable, Hashable {
    public var shardID: Int
    public var event: GatewayEvent

    public init(shardID: Int, event: GatewayEvent) {
        self.shardID = shardID
        self.event = event
    }
}

/// Runs N shards of one bot, or a subset of them (several processes can split the shards), with
/// identify concurrency shared by the shards it runs: one IDENTIFY per `max_concurrency` bucket
/// every 5 s. A fatal close on any shard stops all of them with that error.
public final class ShardedGateway: Service, Sendable {
    public struct Configuration: Sendable {
        public var shard: GatewayShard.Configuration
        public var shardCount: Int
        /// The shards this process runs; nil = all of `0..<shardCount`.
        public var shardIDs: [Int]?
        /// `session_start_limit.max_concurrency` of `GET /gateway/bot`.
        public var maxConcurrency: Int
        /// Saved sessions by shard id: those shards RESUME instead of IDENTIFYing. `shard.resume`
        /// is not used (one session cannot serve several shards).
        public var resumeStates: [Int: GatewayResumeState]

        /// `shard`'s id and count are replaced for each shard.
        public init(shard: GatewayShard.Configuration, shardCount: Int, shardIDs: [Int]? = nil, maxConcurrency: Int = 1,
                    resumeStates: [Int: GatewayResumeState] = [:]) {
            self.shard = shard
            self.shardCount = max(1, shardCount)
            self.shardIDs = shardIDs
            self.maxConcurrency = max(1, maxConcurrency)
            self.resumeStates = resumeStates
        }
    }

    public let shards: [GatewayShard]
    public let shardCount: Int
    /// Events of all shards, merged.
    public let events: AsyncStream<ShardEvent>
    private let continuation: AsyncStream<ShardEvent>.Continuation

    public init(configuration: Configuration, time: DiscordTimeSource = .continuous,
                logger: Logger = Logger(label: "discordkit.gateway")) {
        let limiter = IdentifyLimiter(time: time, maxConcurrency: configuration.maxConcurrency)
        let ids = (configuration.shardIDs ?? Array(0..<configuration.shardCount))
            .filter { (0..<configuration.shardCount).contains($0) }
        // Start order follows the identify buckets: bucket 0's shards first.
        let ordered = ids.sorted { ($0 % configuration.maxConcurrency, $0) < ($1 % configuration.maxConcurrency, $1) }
        self.shardCount = configuration.shardCount
        self.shards = ordered.map { id in
            var shardConfiguration = configuration.shard
            shardConfiguration.shardID = id
            shardConfiguration.shardCount = configuration.shardCount
            shardConfiguration.resume = configuration.resumeStates[id]
            return GatewayShard(configuration: shardConfiguration, identifyLimiter: limiter, time: time, logger: logger)
        }
        (self.events, self.continuation) = AsyncStream.makeStream(of: ShardEvent.self)
    }

    /// Configures from `GET /gateway/bot`: its URL, recommended shard count and max concurrency.
    public static func recommended(rest: DiscordREST, shard: GatewayShard.Configuration, shardIDs: [Int]? = nil,
                                   time: DiscordTimeSource = .continuous,
                                   logger: Logger = Logger(label: "discordkit.gateway")) async throws -> ShardedGateway
    {
        let gateway = try await rest.getGatewayBot()
        var shard = shard
        shard.gatewayURL = gateway.url
        return ShardedGateway(configuration: .init(shard: shard, shardCount: gateway.shards, shardIDs: shardIDs,
                                                   maxConcurrency: gateway.sessionStartLimit.maxConcurrency),
                              time: time, logger: logger)
    }

    /// The shard that receives this guild's events, if this process runs it.
    public func shard(for guildID: Snowflake<Guild>) -> GatewayShard? {
        let id = guildID.shard(of: shardCount)
        return shards.first { $0.configuration.shardID == id }
    }

    /// The current session of every shard that has one, by shard id (see `GatewayShard.resumeState`).
    public var resumeStates: [Int: GatewayResumeState] {
        var states: [Int: GatewayResumeState] = [:]
        for shard in shards {
            if let state = shard.resumeState { states[shard.configuration.shardID] = state }
        }
        return states
    }

    /// Hands every shard's session over to another process (`GatewayShard.handOver()`): the
    /// connections are closed resumably and not opened again; returns the states the next holder
    /// resumes from, by shard id.
    public func handOver() async -> [Int: GatewayResumeState] {
        await withTaskGroup(of: (Int, GatewayResumeState?).self) { group in
            for shard in shards {
                group.addTask { (shard.configuration.shardID, await shard.handOver()) }
            }
            var states: [Int: GatewayResumeState] = [:]
            for await (id, state) in group { if let state { states[id] = state } }
            return states
        }
    }

    /// Whether every shard this process runs has a ready session.
    public var isConnected: Bool { shards.allSatisfy(\.isConnected) }

    /// Sends op 4 through the guild's shard.
    public func updateVoiceState(_ update: VoiceStateUpdate) async throws {
        guard let shard = shard(for: update.guildID) else {
            throw GatewayError(code: .notConnected, closeCode: nil,
                               message: "guild \(update.guildID) belongs to a shard this process does not run")
        }
        try await shard.updateVoiceState(update)
    }

    /// Sends op 8 through the guild's shard; the chunks arrive as `.guildMembersChunk` events.
    public func requestGuildMembers(_ request: RequestGuildMembers) async throws {
        guard let shard = shard(for: request.guildID) else {
            throw GatewayError(code: .notConnected, closeCode: nil,
                               message: "guild \(request.guildID) belongs to a shard this process does not run")
        }
        try await shard.requestGuildMembers(request)
    }

    public func run() async throws {
        defer { continuation.finish() }
        try await withThrowingDiscardingTaskGroup { group in
            for shard in shards {
                let id = shard.configuration.shardID
                group.addTask { try await shard.run() }
                group.addTask {
                    for await event in shard.events { self.continuation.yield(ShardEvent(shardID: id, event: event)) }
                }
            }
        }
    }
}
