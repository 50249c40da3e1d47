import AnankorCore
import DiscordKit
import Foundation

extension MusicCommands {
    /// Before a game lobby moves `movers` into `lobby`: the music they all listen to follows them
    /// there when the lobby channel has none of its own (`MusicFollowing`: same bot, queue and
    /// position); the rest of what they leave ends at once rather than pausing for the alone
    /// timeout (and frees its bot for the lobby's own music).
    func gatherMusic(into lobby: SessionKey, movers: Set<UserID>, lobbyBringsMusic: Bool) async throws {
        let guild = lobby.guild
        let sessions = try await context.state.guildSessions(in: guild, record: nil)
        let bots = botIDs(among: sessions.workers)
        var listeners: [ChannelID: Set<UserID>] = [:]
        for binding in sessions.bindings {
            let humans = context.cache.voiceMembers(of: Snowflake(binding.session.channel.rawValue),
                                                    in: Snowflake(guild.rawValue))
                .filter { !bots.contains($0.rawValue) }
            listeners[binding.session.channel] = Set(humans.map { UserID($0.rawValue) })
        }
        let here = try await driver.record(lobby)
        let lobbyHasMusic = lobbyBringsMusic || here.map { $0.binding != nil || !$0.entries.isEmpty } == true
        let plan = MusicFollowing.plan(into: lobby.channel, movers: movers, listeners: listeners, lobbyHasMusic: lobbyHasMusic)
        if let follows = plan.follows {
            let session = SessionKey(guild: guild, channel: follows)
            context.logger.info("music follows its listeners into a lobby channel",
                                metadata: ["session.key": "\(session)", "channel.id": "\(lobby.channel)"])
            try await driver.handle(.handOver(to: lobby.channel), in: session)
        }
        try await releaseAbandoned(in: guild, for: lobby, leftBy: movers)
    }
}
