/// `PUT /channels/{channel.id}/voice-status`: the status under a voice channel's name. As on
/// Discord: voice and stage channels only; `status` a string of at most 500 characters or null
/// (null or empty clears it); allowed to a member connected to the channel with
/// SET_VOICE_CHANNEL_STATUS, or to one with MANAGE_CHANNELS; answered 204.
extension EmulatorState {
    static let maxVoiceStatusLength = 500

    func setVoiceStatus(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let (channel, guild) = try visibleChannel(call)
        guard let guild, channel.isVoice else {
            throw .discord(400, 50024, "Cannot execute action on this channel type")
        }
        let status: String?
        switch call.body["status"] {
        case nil, .null?:
            status = nil
        case .string(let text)?:
            guard text.count <= Self.maxVoiceStatusLength else {
                throw .invalidForm([(["status"], "BASE_TYPE_MAX_LENGTH",
                                     "Must be \(Self.maxVoiceStatusLength) or fewer in length.")])
            }
            status = text.isEmpty ? nil : text
        default:
            throw .invalidForm([(["status"], "STRING_TYPE_CONVERT", "Could not interpret the value as a string.")])
        }
        let permissions = world.permissions(userID: call.applicationID, guild: guild, channelID: channel.id)
        let connected = guild.voiceStates[call.applicationID]?.channelID == channel.id
        let mayAsMember = connected && permissions & EmulatedPermission.setVoiceChannelStatus != 0
        guard mayAsMember || permissions & EmulatedPermission.manageChannels != 0 else { throw .missingPermissions }
        world.guilds[guild.id]?.channels[channel.id]?.voiceStatus = status
        record("voice_status_set", application: call.applicationID, [
            "guild_id": .id(guild.id), "channel_id": .id(channel.id), "status": status.map(JSON.string) ?? .null,
        ])
        return .noContent
    }
}
