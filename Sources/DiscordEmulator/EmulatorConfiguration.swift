/// How the emulator behaves; defaults are Discord's documented values.
public struct DiscordEmulatorConfiguration: Sendable {
    /// Address to bind; keep loopback unless you mean to expose it.
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// Milliseconds sent in HELLO.
    public var heartbeatInterval: Int
    /// The initial interaction response must arrive within this.
    public var interactionResponseDeadline: Duration
    /// Interaction tokens serve followups and edits this long.
    public var interactionTokenLifetime: Duration
    /// Client payloads above this many bytes close the gateway with 4002.
    public var maxClientPayloadBytes: Int
    /// Gateway send limit: at most `gatewaySendLimit` payloads per `gatewaySendWindow` (else 4008).
    public var gatewaySendLimit: Int
    public var gatewaySendWindow: Duration
    /// More guilds than this on one shard closes IDENTIFY with 4011 (sharding required).
    public var maxGuildsPerShard: Int
    /// `max_concurrency` reported by GET /gateway/bot.
    public var maxConcurrency: Int
    /// `shards` recommended by GET /gateway/bot; nil: one per 1000 guilds of the bot, as Discord
    /// computes it. Tests of several processes splitting the shards set more.
    public var recommendedShards: Int? = nil
    /// Global REST limit per bot (requests per second); interaction callbacks don't count.
    public var globalRateLimit: Int
    /// Events kept per session for RESUME replay.
    public var resumeBufferSize: Int
    /// When set, each `shard_id % max_concurrency` bucket may IDENTIFY once per this window
    /// (Discord: 5 s); an early IDENTIFY gets INVALID_SESSION (false). Off by default so tests
    /// that start many shards need not wait.
    public var identifyWindow: Duration?
    /// When false, emulated time moves only through `advanceClock(by:)`: tests of rate-limit
    /// windows and deadlines then do not depend on how fast a loaded machine runs them.
    public var clockFollowsRealTime: Bool = true
    /// A connection that sends no heartbeat for this long (real time: clients heartbeat on their
    /// own clocks) is closed with 4009 and its session ended, as Discord does with zombie
    /// connections. nil: twice the heartbeat interval, at least the interval plus 5 s.
    public var zombieTimeout: Duration?
    /// Discord's invalid-request limit: this many 401, 403 and 429 (other than shared-scope 429)
    /// answers to one client within `invalidRequestWindow` ban it for `invalidRequestBan`
    /// (Cloudflare's 403 without a JSON body and without `Via`).
    public var invalidRequestLimit: Int = 10_000
    public var invalidRequestWindow: Duration = .seconds(600)
    public var invalidRequestBan: Duration = .seconds(3600)

    var effectiveZombieTimeout: Duration {
        zombieTimeout ?? max(.milliseconds(2 * heartbeatInterval), .milliseconds(heartbeatInterval) + .seconds(5))
    }

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        heartbeatInterval: Int = 41_250,
        interactionResponseDeadline: Duration = .seconds(3),
        interactionTokenLifetime: Duration = .seconds(15 * 60),
        maxClientPayloadBytes: Int = 4096,
        gatewaySendLimit: Int = 120,
        gatewaySendWindow: Duration = .seconds(60),
        maxGuildsPerShard: Int = 2500,
        maxConcurrency: Int = 1,
        globalRateLimit: Int = 50,
        resumeBufferSize: Int = 5000,
        identifyWindow: Duration? = nil
    ) {
        self.host = host
        self.port = port
        self.heartbeatInterval = heartbeatInterval
        self.interactionResponseDeadline = interactionResponseDeadline
        self.interactionTokenLifetime = interactionTokenLifetime
        self.maxClientPayloadBytes = maxClientPayloadBytes
        self.gatewaySendLimit = gatewaySendLimit
        self.gatewaySendWindow = gatewaySendWindow
        self.maxGuildsPerShard = maxGuildsPerShard
        self.maxConcurrency = maxConcurrency
        self.globalRateLimit = globalRateLimit
        self.resumeBufferSize = resumeBufferSize
        self.identifyWindow = identifyWindow
    }
}
