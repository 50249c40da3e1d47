public import DiscordEmulator
public import LavalinkEmulator
import Logging

/// The demo world of the sandbox and the end-to-end tests: both emulators, a master bot, worker
/// bots, and one guild with a text channel, several voice channels and a few members.
public final class SandboxWorld: Sendable {
    public struct Plan: Sendable {
        public var workerBots: Int
        public var voiceChannels: [String]
        public var users: [String]
        /// The Lavalink emulator's clock: 1 = real time, 0 = manual (tests move it), 1000 = fast.
        public var lavalinkSpeed: Double
        /// Ports (0 = any free one); the sandbox uses fixed ones so its printed URLs are stable.
        public var discordPort: Int
        public var lavalinkPort: Int
        public var guildLocale: String
        /// Voice-state and interaction events reach bots quickly; a short heartbeat keeps
        /// connection loss detection quick too.
        public var heartbeatInterval: Int
        /// Discord's 3 seconds to acknowledge an interaction. Tests on a loaded machine may allow
        /// more so that a starved scheduler is not mistaken for a slow bot.
        public var interactionDeadline: Duration
        /// Further Lavalink nodes beside the first (the pool moves players there when a node dies).
        public var extraLavalinkNodes: Int
        /// The Lavalink plugins every emulated node starts with (LavaSrc, SponsorBlock, LavaSearch,
        /// LavaLyrics); none by default, as on a bare Lavalink.
        public var lavalinkPlugins: EmulatedPlugins = .none
        /// The region of each Lavalink node in order (missing or nil: none); workers place
        /// players by it (see `NodeRegion`).
        public var lavalinkRegions: [String?] = []
        /// Shards GET /gateway/bot recommends (nil: Discord's one per 1000 guilds), each in its own
        /// identify bucket, with Discord's 5 s between IDENTIFYs of one bucket enforced.
        public var gatewayShards: Int? = nil

        public init(workerBots: Int = 3,
                    voiceChannels: [String] = ["Lounge", "Gaming", "Study", "Karaoke", "Chill", "Stage"],
                    users: [String] = ["alice", "bob", "carol", "dave", "erin", "frank"], lavalinkSpeed: Double = 1,
                    discordPort: Int = 0, lavalinkPort: Int = 0, guildLocale: String = "en-US",
                    heartbeatInterval: Int = 41_250, interactionDeadline: Duration = .seconds(3),
                    extraLavalinkNodes: Int = 0) {
            self.extraLavalinkNodes = extraLavalinkNodes
            self.interactionDeadline = interactionDeadline
            self.workerBots = workerBots
            self.voiceChannels = voiceChannels
            self.users = users
            self.lavalinkSpeed = lavalinkSpeed
            self.discordPort = discordPort
            self.lavalinkPort = lavalinkPort
            self.guildLocale = guildLocale
            self.heartbeatInterval = heartbeatInterval
        }
    }

    public let discord: DiscordEmulator
    /// The first Lavalink node.
    public let lavalink: LavalinkEmulator
    /// Every Lavalink node, the first one first.
    public let lavalinkNodes: [LavalinkEmulator]
    public let master: EmulatedBot
    public let workers: [EmulatedBot]
    public let guild: UInt64
    public let textChannel: UInt64
    /// Voice channels in plan order.
    public let voiceChannels: [(name: String, id: UInt64)]
    public let users: [(name: String, id: UInt64)]
    /// A role with Manage Server, for DJ-role tests and scripts.
    public let moderatorRole: UInt64
    /// A role without permissions below the bots' role, for lobbies (`/game create lobby_role:`).
    public let playersRole: UInt64
    /// The role that gives the bots their permissions (tests take some away).
    public let botRole: UInt64
    /// What `botRole` grants: view, send, embed links, connect, speak, move members, manage channels and roles.
    public static let botPermissions: UInt64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 20) | (1 << 21) | (1 << 24)
        | (1 << 4) | (1 << 28)

    public static let lavalinkPassword = "sandbox"

    private init(discord: DiscordEmulator, lavalinkNodes: [LavalinkEmulator], master: EmulatedBot, workers: [EmulatedBot],
                 guild: UInt64, textChannel: UInt64, voiceChannels: [(name: String, id: UInt64)],
                 users: [(name: String, id: UInt64)], moderatorRole: UInt64, botRole: UInt64, playersRole: UInt64) {
        self.botRole = botRole
        self.playersRole = playersRole
        self.discord = discord
        self.lavalink = lavalinkNodes[0]
        self.lavalinkNodes = lavalinkNodes
        self.master = master
        self.workers = workers
        self.guild = guild
        self.textChannel = textChannel
        self.voiceChannels = voiceChannels
        self.users = users
        self.moderatorRole = moderatorRole
    }

    /// Starts both emulators and builds the world.
    public static func start(_ plan: Plan = Plan(), logger: Logger = Logger(label: "anankor.sandbox")) async throws
        -> SandboxWorld
    {
        var discordConfiguration = DiscordEmulatorConfiguration(port: plan.discordPort,
                                                                heartbeatInterval: plan.heartbeatInterval,
                                                                interactionResponseDeadline: plan.interactionDeadline)
        discordConfiguration.clockFollowsRealTime = true
        if let shards = plan.gatewayShards {
            discordConfiguration.recommendedShards = shards
            discordConfiguration.maxConcurrency = shards
            discordConfiguration.identifyWindow = .seconds(5)
        }
        let discord = DiscordEmulator(configuration: discordConfiguration, logger: logger)
        _ = try await discord.start()
        var nodes: [LavalinkEmulator] = []
        do {
            for index in 0...max(0, plan.extraLavalinkNodes) {
                let node = LavalinkEmulator(configuration: .init(
                    port: index == 0 ? plan.lavalinkPort : 0, speed: plan.lavalinkSpeed,
                    // A manual clock (speed 0, tests) never reaches a voice-ready delay nobody
                    // advances: voice is then ready on the node's next tick.
                    node: NodeConfiguration(password: lavalinkPassword, playerUpdateIntervalMs: 5_000,
                                            voiceReadyDelayMs: plan.lavalinkSpeed == 0 ? 0 : 5,
                                            plugins: plan.lavalinkPlugins,
                                            region: index < plan.lavalinkRegions.count ? plan.lavalinkRegions[index] : nil)),
                    logger: logger)
                nodes.append(node)
                try await node.start()
            }
            return try await populate(plan, discord: discord, lavalinkNodes: nodes)
        } catch {
            for node in nodes { await node.shutdown() }
            await discord.stop()
            throw error
        }
    }

    private static func populate(_ plan: Plan, discord: DiscordEmulator, lavalinkNodes: [LavalinkEmulator]) async throws
        -> SandboxWorld
    {
        let master = await discord.createBot(name: "Anankor", username: "anankor")
        var workers: [EmulatedBot] = []
        for index in 1...max(1, plan.workerBots) {
            workers.append(await discord.createBot(name: "Anankor Music \(index)", username: "anankor-music-\(index)"))
        }
        var users: [(name: String, id: UInt64)] = []
        for name in plan.users { users.append((name, await discord.createUser(username: name, locale: plan.guildLocale))) }
        let guild = try await discord.createGuild(name: "Anankor Sandbox", ownerID: users.first?.id,
                                                  preferredLocale: plan.guildLocale)
        let textChannel = try await discord.createChannel(in: guild, name: "general", type: .text)
        var voiceChannels: [(name: String, id: UInt64)] = []
        for name in plan.voiceChannels {
            voiceChannels.append((name, try await discord.createChannel(in: guild, name: name, type: .voice)))
        }
        // Created first, so it sits below the bots' role and they may give it.
        let playersRole = try await discord.createRole(in: guild, name: "Players", permissions: 0)
        let botRole = try await discord.createRole(in: guild, name: "Anankor bots", permissions: botPermissions)
        let moderatorRole = try await discord.createRole(in: guild, name: "Moderators", permissions: 1 << 5)
        try await discord.addMember(master.userID, to: guild, roles: [botRole])
        for worker in workers { try await discord.addMember(worker.userID, to: guild, roles: [botRole]) }
        for user in users { try await discord.addMember(user.id, to: guild) }
        return SandboxWorld(discord: discord, lavalinkNodes: lavalinkNodes, master: master, workers: workers, guild: guild,
                            textChannel: textChannel, voiceChannels: voiceChannels, users: users,
                            moderatorRole: moderatorRole, botRole: botRole, playersRole: playersRole)
    }

    public func user(_ name: String) -> UInt64? { users.first { $0.name.lowercased() == name.lowercased() }?.id }

    public func voiceChannel(_ name: String) -> UInt64? {
        voiceChannels.first { $0.name.lowercased() == name.lowercased() }?.id
    }

    public func name(ofVoiceChannel id: UInt64) -> String? { voiceChannels.first { $0.id == id }?.name }

    private var namedRoles: [(id: UInt64, name: String)] {
        [(playersRole, "Players"), (moderatorRole, "Moderators"), (botRole, "Anankor bots")]
    }

    /// A world role's name, for transcripts.
    public func name(ofRole id: UInt64) -> String? { namedRoles.first { $0.id == id }?.name }

    /// A world role by name, ignoring case (scripts write `lobby_role:@Players`).
    public func role(named name: String) -> UInt64? { namedRoles.first { $0.name.lowercased() == name.lowercased() }?.id }

    public func name(ofUser id: UInt64) -> String? {
        if let user = users.first(where: { $0.id == id }) { return user.name }
        if id == master.userID { return master.name }
        return workers.first { $0.userID == id }?.name
    }

    /// Stops the emulators, all at once: each waits out its own grace period for its connections.
    public func stop() async {
        await withDiscardingTaskGroup { group in
            for node in lavalinkNodes { group.addTask { await node.shutdown() } }
            group.addTask { await self.discord.stop() }
        }
    }
}
