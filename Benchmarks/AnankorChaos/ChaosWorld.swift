import AnankorTesting
import DiscordEmulator
import Foundation
import Logging

/// One voice channel of the chaos world: the members who listen there and the text channel they
/// type in. Every track a lane queues carries the lane's label, so the checker maps Lavalink's
/// records back to the lane that asked for them.
struct ChaosLane: Sendable {
    var index: Int
    var guild: UInt64
    var text: UInt64
    var voice: UInt64
    var member: UInt64
    var label: String
}

/// The Discord side of a run: the emulator (in this process, so the checker reads everything the
/// bots did without polling HTTP), the master and worker bots, and the guilds with their lanes.
final class ChaosWorld: Sendable {
    let discord: DiscordEmulator
    let master: EmulatedBot
    let workers: [EmulatedBot]
    let lanes: [ChaosLane]

    /// View, send, embed links, connect, speak, move members, manage channels and roles.
    static let botPermissions: UInt64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 20) | (1 << 21) | (1 << 24)
        | (1 << 4) | (1 << 28)

    private init(discord: DiscordEmulator, master: EmulatedBot, workers: [EmulatedBot], lanes: [ChaosLane]) {
        self.discord = discord
        self.master = master
        self.workers = workers
        self.lanes = lanes
    }

    /// `guilds` guilds with `channels` voice channels each (one lane per channel) and `bots` worker
    /// bots in every guild (one more than lanes leaves a bot free for a member's `/play` after a
    /// crash notice).
    static func start(guilds: Int, channels: Int, bots: Int, logger: Logger) async throws -> ChaosWorld {
        var configuration = DiscordEmulatorConfiguration(port: 0, interactionResponseDeadline: .seconds(3))
        configuration.clockFollowsRealTime = true
        let discord = DiscordEmulator(configuration: configuration, logger: logger)
        _ = try await discord.start()
        let master = await discord.createBot(name: "Anankor", username: "anankor")
        var workers: [EmulatedBot] = []
        for index in 1...max(1, bots) {
            workers.append(await discord.createBot(name: "Anankor Music \(index)", username: "anankor-music-\(index)"))
        }
        var lanes: [ChaosLane] = []
        for g in 0..<guilds {
            let owner = await discord.createUser(username: "owner\(g)")
            let guild = try await discord.createGuild(name: "Chaos \(g)", ownerID: owner)
            let role = try await discord.createRole(in: guild, name: "bots", permissions: botPermissions)
            for bot in [master] + workers { try await discord.addMember(bot.userID, to: guild, roles: [role]) }
            for c in 0..<channels {
                let text = try await discord.createChannel(in: guild, name: "text-\(c)", type: .text)
                let voice = try await discord.createChannel(in: guild, name: "voice-\(c)", type: .voice)
                let member = await discord.createUser(username: "listener-\(g)-\(c)")
                try await discord.addMember(member, to: guild)
                lanes.append(ChaosLane(index: lanes.count, guild: guild, text: text, voice: voice, member: member,
                                       label: "g\(g)c\(c)"))
            }
        }
        return ChaosWorld(discord: discord, master: master, workers: workers, lanes: lanes)
    }

    /// The bot user id → its index among the workers (the token number minus one).
    func workerIndex(ofUser user: UInt64) -> Int? { workers.firstIndex { $0.userID == user } }

    func stop() async { await discord.stop() }
}
