public import AnankorCore
public import DiscordKit
public import Foundation
public import LavalinkKit

/// How a master runs. One init with documented defaults; the executable fills it from settings.
public struct MasterConfiguration: Sendable {
    /// The master bot's token (it never joins voice).
    public var token: BotToken
    /// nil means discord.com; the emulator's `restURL` in the sandbox and tests.
    public var discordRESTBaseURL: String?
    /// Nodes the master resolves tracks on (`/v4/loadtracks`); it creates no players.
    public var lavalinkNodes: [(name: String, endpoint: NodeEndpoint)]
    /// The worker bots' user ids (for `/invite` links and to tell bots from humans in voice).
    public var workerBots: [WorkerID]
    /// The operator's per-guild cap on simultaneous sessions; a guild may ask for fewer.
    public var guildSessionCap: Int
    /// A session with nothing queued or playing for this long is left (unless `/stay`).
    public var idleTimeout: Duration
    /// A session whose channel has had no humans for this long is left.
    public var aloneTimeout: Duration
    /// How long after a worker's heartbeat lapsed it counts as dead. Leaves a standby process time
    /// to take the token over before anyone is told playback crashed.
    public var workerGrace: Duration
    /// How often dead workers, idle and lonely sessions are looked for (lobbies: every fifth time).
    public var watchdogInterval: Duration
    /// How often each bound session is compared with the players its worker's Lavalink sessions
    /// hold (a track that ended with no `trackEnd` reaching the master advances after two passes).
    public var reconcileInterval: Duration
    /// A started lobby whose host stays out of its voice channel this long is handed to a member
    /// who is there, or ends when nobody is.
    public var lobbyHostGrace: Duration
    /// A started lobby ends this long after its start.
    public var lobbyMaxDuration: Duration
    /// An open lobby that never starts is cancelled this long after its start time (or after its
    /// creation when it has none).
    public var lobbyOpenExpiry: Duration
    /// Text commands (`!play …`) need the privileged message-content intent.
    public var textCommands: Bool
    /// The default text-command prefix (a guild can set its own).
    public var defaultPrefix: String
    /// Register slash commands at start (skipped when unchanged).
    public var registerCommands: Bool
    /// Names this master in the event consumer group and in leases.
    public var consumer: ConsumerName
    public var gatewayCompression: Bool
    /// Masters split the gateway shards through leases of this length in the `StateStore`; a dead
    /// master's shards go to the others within about 1.2 × this. nil: this master runs every shard
    /// (the embedded mode, where one master runs).
    public var shardLeaseTTL: Duration?
    /// On a graceful shutdown, how long interactions already in flight may take to be answered
    /// before the rest of the master stops (no new ones are taken meanwhile).
    public var shutdownDrainTimeout: Duration
    /// How many interactions are worked on at once and how many wait for a turn beyond that
    /// (`InteractionAdmission`): the master's memory stays bounded under a backlog.
    public var admission: AdmissionLimits

    public init(
        token: BotToken, discordRESTBaseURL: String? = nil, lavalinkNodes: [(name: String, endpoint: NodeEndpoint)],
        workerBots: [WorkerID] = [], guildSessionCap: Int = Anankor.defaultGuildSessionCap,
        idleTimeout: Duration = .seconds(600), aloneTimeout: Duration = .seconds(120),
        workerGrace: Duration = .seconds(1), watchdogInterval: Duration = .seconds(1),
        reconcileInterval: Duration = .seconds(5),
        lobbyHostGrace: Duration = .seconds(300), lobbyMaxDuration: Duration = .seconds(12 * 3600),
        lobbyOpenExpiry: Duration = .seconds(2 * 3600), textCommands: Bool = false,
        defaultPrefix: String = "!", registerCommands: Bool = true,
        consumer: ConsumerName = ConsumerName("master-\(ProcessInfo.processInfo.processIdentifier)"),
        gatewayCompression: Bool = true, shardLeaseTTL: Duration? = nil, shutdownDrainTimeout: Duration = .seconds(10),
        admission: AdmissionLimits = AdmissionLimits()
    ) {
        self.token = token
        self.discordRESTBaseURL = discordRESTBaseURL
        self.lavalinkNodes = lavalinkNodes
        self.workerBots = workerBots
        self.guildSessionCap = min(max(1, guildSessionCap), Anankor.maximumGuildSessionCap)
        self.idleTimeout = idleTimeout
        self.aloneTimeout = aloneTimeout
        self.workerGrace = workerGrace
        self.watchdogInterval = watchdogInterval
        self.reconcileInterval = reconcileInterval
        self.lobbyHostGrace = lobbyHostGrace
        self.lobbyMaxDuration = lobbyMaxDuration
        self.lobbyOpenExpiry = lobbyOpenExpiry
        self.textCommands = textCommands
        self.defaultPrefix = defaultPrefix
        self.registerCommands = registerCommands
        self.consumer = consumer
        self.gatewayCompression = gatewayCompression
        self.shardLeaseTTL = shardLeaseTTL
        self.shutdownDrainTimeout = shutdownDrainTimeout
        self.admission = admission
    }
}
