@testable import DiscordKit
import Testing

@Suite("Guild cache")
struct GuildCacheTests {
    func loaded() throws -> GuildCache {
        let cache = GuildCache()
        for frame in [DocumentationFixtures.ready, DocumentationFixtures.guildCreate] {
            guard case .dispatch(_, let event) = try GatewayFrameDecoder().decode(frame) else { continue }
            cache.apply(event)
        }
        return cache
    }

    let guild = Snowflake<Guild>(41771983423143937)
    let voiceChannel = Snowflake<Channel>(155101607195836416)

    @Test("GUILD_CREATE fills roles, channels, the bot's roles and voice states")
    func guildCreate() throws {
        let cache = try loaded()
        #expect(cache.guildCount == 1)
        #expect(cache.botUserID == Snowflake(1000))
        #expect(cache.channel(voiceChannel, in: guild)?.type == .guildVoice)
        // The bot holds @everyone (1049600 = VIEW_CHANNEL | CONNECT) and the documented role
        // (66321471, which includes ADMINISTRATOR): everything.
        #expect(cache.botPermissions(in: voiceChannel, guild: guild) == .all)
    }

    @Test("voice state updates track who is where; leaving removes the user")
    func voiceStates() throws {
        let cache = try loaded()
        let user = Snowflake<User>(80351110224678912)
        // GUILD_CREATE's voice states carry no guild_id; they belong to the guild they came in.
        #expect(cache.voiceChannel(of: user, in: guild) == Snowflake(157733188964188161))
        cache.apply(.voiceStateUpdate(VoiceState(guildID: guild, channelID: voiceChannel, userID: user, sessionID: "s")))
        #expect(cache.voiceChannel(of: user, in: guild) == voiceChannel)
        #expect(cache.voiceMembers(of: voiceChannel, in: guild) == [user])
        cache.apply(.voiceStateUpdate(VoiceState(guildID: guild, channelID: nil, userID: user, sessionID: "s")))
        #expect(cache.voiceChannel(of: user, in: guild) == nil)
    }

    @Test("channel overwrites and role changes update permissions")
    func updates() throws {
        let cache = try loaded()
        cache.apply(.guildRoleDelete(GuildRoleDelete(guildID: guild, roleID: Snowflake(41771983423143936))))
        #expect(cache.botPermissions(in: voiceChannel, guild: guild) == Permissions(rawValue: 1049600))
        var channel = Channel(id: voiceChannel, type: .guildVoice, guildID: guild,
                              permissionOverwrites: [.member(Snowflake(1000), deny: .connect)])
        cache.apply(.channelUpdate(channel))
        #expect(cache.botPermissions(in: voiceChannel, guild: guild)?.contains(.connect) == false)
        channel.permissionOverwrites = []
        cache.apply(.channelUpdate(channel))
        #expect(cache.botPermissions(in: voiceChannel, guild: guild)?.contains(.connect) == true)
        cache.apply(.channelDelete(channel))
        #expect(cache.channel(voiceChannel, in: guild) == nil)
        cache.apply(.guildDelete(UnavailableGuild(id: guild, unavailable: nil)))
        #expect(cache.guildCount == 0)
    }
}
