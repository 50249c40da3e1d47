/// Voice: op 4 from bots, users joining through the control API, moves by REST.
extension EmulatorState {
    /// Host:port sent as VOICE_SERVER_UPDATE `endpoint` (no scheme, like Discord's): a server of
    /// the channel's `rtc_region` (`rotterdam1234.discord.media:443`) when it has one.
    func voiceEndpoint(guildID: UInt64, botID: UInt64) -> String {
        guard let channelID = world.guilds[guildID]?.voiceStates[botID]?.channelID,
            let region = world.guilds[guildID]?.channels[channelID]?.rtcRegion
        else { return "emulated-voice.discord.media:443" }
        return "\(region)\(1000 + channelID % 9000).discord.media:443"
    }

    /// Sets a voice channel's `rtc_region` (CHANNEL_UPDATE to the guild's bots); later voice
    /// server updates for it name a server of that region.
    func setVoiceRegion(_ region: String?, channelID: UInt64, guildID: UInt64) throws(DiscordEmulatorError) {
        guard var channel = world.guilds[guildID]?.channels[channelID], channel.isVoice else { throw .unknownChannel }
        channel.rtcRegion = region
        world.guilds[guildID]?.channels[channelID] = channel
        dispatchToGuildBots(guildID, "CHANNEL_UPDATE", world.channelJSON(channel), intent: Intent.guilds)
    }

    /// Op 4: join, move or leave. Like Discord, a request the bot may not make (no CONNECT, full
    /// channel without MOVE_MEMBERS, unknown channel) gets no answer at all.
    func voiceStateUpdate(_ data: JSON, session: GatewaySession) {
        let botID = session.applicationID
        guard let guildID = data["guild_id"]?.snowflakeValue, let guild = world.guilds[guildID],
            guild.members[botID] != nil
        else { return }
        let selfMute = data["self_mute"]?.boolValue ?? false
        let selfDeaf = data["self_deaf"]?.boolValue ?? false
        let target = data["channel_id"]?.snowflakeValue
        if let target {
            guard let channel = guild.channels[target], channel.isVoice else { return }
            let permissions = world.permissions(userID: botID, guild: guild, channelID: target)
            let needed = EmulatedPermission.viewChannel | EmulatedPermission.connect
            guard permissions & needed == needed else { return }
            let alreadyThere = guild.voiceStates[botID]?.channelID == target
            let occupancy = world.voiceChannelOccupancy(guildID: guildID, channelID: target) - (alreadyThere ? 1 : 0)
            if channel.userLimit > 0, occupancy >= channel.userLimit,
                permissions & EmulatedPermission.moveMembers == 0
            {
                return
            }
        } else if guild.voiceStates[botID] == nil {
            return
        }
        let previous = guild.voiceStates[botID]?.channelID
        applyVoiceState(guildID: guildID, userID: botID, channelID: target, selfMute: selfMute, selfDeaf: selfDeaf,
                        sessionID: session.id)
        if let target {
            sendVoiceServerUpdate(guildID: guildID, botID: botID)
            record("voice_joined", application: botID, [
                "guild_id": .id(guildID), "channel_id": .id(target), "previous_channel_id": .id(previous),
            ])
        } else {
            record("voice_left", application: botID, ["guild_id": .id(guildID), "channel_id": .id(previous)])
        }
    }

    func sendVoiceServerUpdate(guildID: UInt64, botID: UInt64) {
        dispatch(to: botID, guildID: guildID, "VOICE_SERVER_UPDATE", [
            "token": .string(Self.randomHex(8)), "guild_id": .id(guildID), "endpoint": .string(voiceEndpoint(guildID: guildID, botID: botID)),
        ], intent: nil)
    }

    /// Sets (or clears) a voice state and tells every bot in the guild with GUILD_VOICE_STATES.
    func applyVoiceState(
        guildID: UInt64, userID: UInt64, channelID: UInt64?, selfMute: Bool? = nil, selfDeaf: Bool? = nil,
        sessionID: String? = nil
    ) {
        guard let guild = world.guilds[guildID] else { return }
        var state: VoiceStateRecord?
        if let channelID {
            var updated = guild.voiceStates[userID]
                ?? VoiceStateRecord(userID: userID, channelID: channelID, sessionID: sessionID ?? Self.randomHex(16))
            updated.channelID = channelID
            if let selfMute { updated.selfMute = selfMute }
            if let selfDeaf { updated.selfDeaf = selfDeaf }
            if let sessionID { updated.sessionID = sessionID }
            updated.mute = guild.members[userID]?.mute ?? false
            updated.deaf = guild.members[userID]?.deaf ?? false
            state = updated
        }
        let sessionForLeave = guild.voiceStates[userID]?.sessionID
        world.guilds[guildID]?.voiceStates[userID] = state
        guard let current = world.guilds[guildID] else { return }
        var json = world.voiceStateJSON(state, userID: userID, guild: current, includeGuild: true)
        if state == nil, let sessionForLeave { json["session_id"] = .string(sessionForLeave) }
        dispatchToGuildBots(guildID, "VOICE_STATE_UPDATE", json, intent: Intent.guildVoiceStates)
    }

    /// Control API: a user joins, moves or leaves voice (the user's own client does this, so no
    /// permission or limit checks apply).
    func setUserVoice(guildID: UInt64, userID: UInt64, channelID: UInt64?, selfMute: Bool = false,
                      selfDeaf: Bool = false) throws(DiscordEmulatorError) {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        guard guild.members[userID] != nil else { throw .unknownMember }
        if let channelID {
            guard let channel = guild.channels[channelID], channel.isVoice else { throw .unknownChannel }
        }
        applyVoiceState(guildID: guildID, userID: userID, channelID: channelID, selfMute: selfMute, selfDeaf: selfDeaf)
    }
}
