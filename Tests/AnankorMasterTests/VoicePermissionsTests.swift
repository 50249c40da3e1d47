@testable import AnankorMaster
import DiscordKit
import Testing

/// A worker is routed to a voice channel only when Discord would let it connect and speak there.
@Suite("Voice permissions for routing")
struct VoicePermissionsTests {
    let guild = Snowflake<Guild>(100)
    let musicRole = Snowflake<Role>(200)
    let worker = Snowflake<User>(300)
    let open = Snowflake<Channel>(400)
    let muted = Snowflake<Channel>(401)
    let locked = Snowflake<Channel>(402)
    let hidden = Snowflake<Channel>(403)
    let category = Snowflake<Channel>(404)

    func cache() -> GuildCache {
        let cache = GuildCache()
        let everyone = Role(id: guild.cast(), name: "@everyone", permissions: [.viewChannel, .sendMessages])
        let music = Role(id: musicRole, name: "Music", permissions: [.connect, .speak])
        cache.apply(.guildCreate(Guild(id: guild, ownerID: Snowflake(1), roles: [everyone, music], channels: [
            Channel(id: open, type: .guildVoice, guildID: guild),
            // Speak denied to the bots' role in one channel, Connect to everyone in another.
            Channel(id: muted, type: .guildVoice, guildID: guild,
                    permissionOverwrites: [.role(musicRole, deny: .speak)]),
            Channel(id: locked, type: .guildVoice, guildID: guild,
                    permissionOverwrites: [.role(guild.cast(), deny: .connect)]),
            Channel(id: hidden, type: .guildVoice, guildID: guild,
                    permissionOverwrites: [.role(guild.cast(), deny: .viewChannel), .member(worker, allow: .connect)]),
        ])))
        return cache
    }

    @Test func aBotWithTheRoleMayPlayWhereNothingDeniesIt() {
        let cache = cache()
        #expect(VoicePermissions.verdict(bot: worker, roles: [musicRole], channel: open, in: guild, cache: cache) == .allowed)
        #expect(VoicePermissions.canPlay(bot: worker, roles: [musicRole], channel: open, in: guild, cache: cache))
    }

    @Test func theMissingPermissionsAreNamed() {
        let cache = cache()
        #expect(VoicePermissions.verdict(bot: worker, roles: [], channel: open, in: guild, cache: cache)
            == .missing(["Connect", "Speak"]), "without the role @everyone grants neither")
        #expect(VoicePermissions.verdict(bot: worker, roles: [musicRole], channel: muted, in: guild, cache: cache)
            == .missing(["Speak"]))
        #expect(VoicePermissions.verdict(bot: worker, roles: [musicRole], channel: hidden, in: guild, cache: cache)
            == .missing(["View Channel", "Connect", "Speak"]), "a channel the bot cannot see grants nothing")
        #expect(!VoicePermissions.canPlay(bot: worker, roles: [musicRole], channel: muted, in: guild, cache: cache))
    }

    @Test func anEveryoneOverwriteDenyRemovesWhatTheRolesGrant() {
        let cache = cache()
        // @everyone's Connect deny applies first; the Music role's guild-level Connect is part of
        // the base, which the @everyone overwrite removes: Discord refuses the bot.
        #expect(VoicePermissions.verdict(bot: worker, roles: [musicRole], channel: locked, in: guild, cache: cache)
            == .missing(["Connect"]))
    }

    @Test func anUncachedChannelIsNotRefusedOnAGuess() {
        #expect(VoicePermissions.verdict(bot: worker, roles: [musicRole], channel: category, in: guild, cache: cache())
            == .unknown)
        #expect(VoicePermissions.canPlay(bot: worker, roles: [musicRole], channel: category, in: guild, cache: cache()))
    }
}
