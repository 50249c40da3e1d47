import DiscordEmulator
import Foundation
import LavalinkEmulator
import Logging

/// The size of one run: G guilds, each with V voice channels (and a text channel beside each),
/// U members per voice channel.
struct WorkloadShape: Sendable, Codable {
    var guilds: Int
    var channelsPerGuild: Int
    var usersPerChannel: Int
    var workerBots: Int
    /// Seconds the command mix runs.
    var duration: Double
    /// Commands per second over all lanes; nil = as fast as the members get answers.
    var rate: Double?
    /// The Lavalink emulator's clock speed: tracks of 2–5 minutes end within seconds, so
    /// auto-advance happens during the run.
    var lavalinkSpeed: Double
}

/// One voice channel with its members and the text channel they type in: the unit of the
/// workload (each lane is a sequential member session, like a person issuing commands).
struct Lane: Sendable {
    var index: Int
    var guild: UInt64
    var text: UInt64
    var voice: UInt64
    var users: [UInt64]
    /// `g3c1`: guild 3, channel 1 (queries carry it, so tracks map back to lanes).
    var label: String
}

/// Both emulators, the bots of every contender (Anankor's master and workers, the null bot, the
/// Python peer) and the guilds of the workload.
final class BenchWorld: Sendable {
    let discord: DiscordEmulator
    let lavalink: LavalinkEmulator
    let master: EmulatedBot
    let workers: [EmulatedBot]
    let nullBot: EmulatedBot
    let peer: EmulatedBot
    let lanes: [Lane]
    let guilds: [UInt64]

    static let lavalinkPassword = "bench-lavalink"
    /// View, send, embed links, connect, speak, move members, manage channels and roles.
    static let botPermissions: UInt64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 20) | (1 << 21) | (1 << 24)
        | (1 << 4) | (1 << 28)

    private init(discord: DiscordEmulator, lavalink: LavalinkEmulator, master: EmulatedBot, workers: [EmulatedBot],
                 nullBot: EmulatedBot, peer: EmulatedBot, lanes: [Lane], guilds: [UInt64]) {
        self.discord = discord
        self.lavalink = lavalink
        self.master = master
        self.workers = workers
        self.nullBot = nullBot
        self.peer = peer
        self.lanes = lanes
        self.guilds = guilds
    }

    static func start(_ shape: WorkloadShape, logger: Logger) async throws -> BenchWorld {
        var configuration = DiscordEmulatorConfiguration(port: 0, interactionResponseDeadline: .seconds(3))
        configuration.clockFollowsRealTime = true
        let discord = DiscordEmulator(configuration: configuration, logger: logger)
        _ = try await discord.start()
        let lavalink = LavalinkEmulator(configuration: .init(
            port: 0, speed: shape.lavalinkSpeed,
            node: NodeConfiguration(password: lavalinkPassword, playerUpdateIntervalMs: 5_000)), logger: logger)
        do {
            try await lavalink.start()
        } catch {
            await discord.stop()
            throw error
        }
        let master = await discord.createBot(name: "Anankor", username: "anankor")
        var workers: [EmulatedBot] = []
        for index in 1...max(1, shape.workerBots) {
            workers.append(await discord.createBot(name: "Anankor Music \(index)", username: "anankor-music-\(index)"))
        }
        let nullBot = await discord.createBot(name: "Null", username: "null-bot")
        let peer = await discord.createBot(name: "Peer", username: "peer-bot")
        var lanes: [Lane] = []
        var guilds: [UInt64] = []
        for g in 0..<shape.guilds {
            let owner = await discord.createUser(username: "owner\(g)")
            let guild = try await discord.createGuild(name: "Bench \(g)", ownerID: owner)
            guilds.append(guild)
            let role = try await discord.createRole(in: guild, name: "bots", permissions: botPermissions)
            for bot in [master, nullBot, peer] + workers { try await discord.addMember(bot.userID, to: guild, roles: [role]) }
            for c in 0..<shape.channelsPerGuild {
                let text = try await discord.createChannel(in: guild, name: "text-\(c)", type: .text)
                let voice = try await discord.createChannel(in: guild, name: "voice-\(c)", type: .voice)
                var users: [UInt64] = []
                for u in 0..<shape.usersPerChannel {
                    let user = await discord.createUser(username: "m\(g)-\(c)-\(u)")
                    try await discord.addMember(user, to: guild)
                    users.append(user)
                }
                lanes.append(Lane(index: lanes.count, guild: guild, text: text, voice: voice, users: users,
                                  label: "g\(g)c\(c)"))
            }
        }
        return BenchWorld(discord: discord, lavalink: lavalink, master: master, workers: workers, nullBot: nullBot,
                          peer: peer, lanes: lanes, guilds: guilds)
    }

    /// Every lane's members join their voice channel.
    func seatMembers(_ lanes: [Lane]) async throws {
        for lane in lanes {
            for user in lane.users { try await discord.setVoiceChannel(of: user, in: lane.guild, to: lane.voice) }
        }
    }

    /// The environment `anankor` processes read (docs/configuration.md).
    var anankorEnvironment: [String: String] {
        var environment: [String: String] = [
            "DISCORD_API_URL": discord.restURL,
            "DISCORD_MASTER_TOKEN": master.token,
            "LAVALINK_URL": lavalink.baseURL,
            "LAVALINK_PASSWORD": Self.lavalinkPassword,
            // ANANKOR_BENCH_LOG_LEVEL (with ANANKOR_KEEP_CHILD_LOGS) looks into a failing run.
            "ANANKOR_LOG_LEVEL": ProcessInfo.processInfo.environment["ANANKOR_BENCH_LOG_LEVEL"] ?? "warning",
        ]
        for (index, bot) in workers.enumerated() { environment["DISCORD_WORKER_TOKEN_\(index + 1)"] = bot.token }
        return environment
    }

    func stop() async {
        await lavalink.shutdown()
        await discord.stop()
    }
}
