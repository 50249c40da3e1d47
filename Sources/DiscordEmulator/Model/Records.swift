/// The emulator's world as plain values; the `EmulatorState` actor owns one of these.

struct UserRecord: Sendable {
    var id: UInt64
    var username: String
    var globalName: String?
    var bot: Bool
    var locale: String
}

struct ApplicationRecord: Sendable {
    /// Modern applications share their id with their bot user.
    var id: UInt64
    var name: String
    var description: String
    var token: String
    /// Privileged intents the application may request (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT).
    var allowedPrivilegedIntents: UInt64
    var globalCommands: [JSON] = []
    var guildCommands: [UInt64: [JSON]] = [:]
    var botUserID: UInt64 { id }
}

struct RoleRecord: Sendable {
    var id: UInt64
    var name: String
    var permissions: UInt64
    var position: Int
    var color: Int = 0
    var hoist = false
    var managed = false
    var mentionable = false
}

struct OverwriteRecord: Sendable, Equatable {
    var id: UInt64
    /// 0 role, 1 member.
    var type: Int
    var allow: UInt64
    var deny: UInt64
}

struct ChannelRecord: Sendable {
    var id: UInt64
    var guildID: UInt64?
    var type: Int
    var name: String
    var position: Int
    var parentID: UInt64?
    var userLimit: Int = 0
    var bitrate: Int = 64000
    /// Voice channels: the voice region id (`us-east`, `rotterdam`, …); nil is automatic.
    var rtcRegion: String?
    var topic: String?
    var overwrites: [OverwriteRecord] = []
    /// DM channels only.
    var recipientIDs: [UInt64] = []
    /// Voice channels: the status shown under the name (`PUT /channels/{id}/voice-status`).
    var voiceStatus: String?

    var isVoice: Bool { type == 2 || type == 13 }
}

struct MemberRecord: Sendable {
    var userID: UInt64
    var roleIDs: [UInt64]
    var nick: String?
    var joinedAt: String
    var deaf = false
    var mute = false
}

struct VoiceStateRecord: Sendable {
    var userID: UInt64
    var channelID: UInt64
    var sessionID: String
    var selfMute = false
    var selfDeaf = false
    var deaf = false
    var mute = false
}

struct GuildRecord: Sendable {
    var id: UInt64
    var name: String
    var ownerID: UInt64
    var preferredLocale: String
    var roles: [UInt64: RoleRecord] = [:]
    var channels: [UInt64: ChannelRecord] = [:]
    var members: [UInt64: MemberRecord] = [:]
    var voiceStates: [UInt64: VoiceStateRecord] = [:]
}

struct MessageRecord: Sendable {
    var id: UInt64
    var channelID: UInt64
    var guildID: UInt64?
    var authorID: UInt64
    var content: String
    var embeds: [JSON] = []
    var components: [JSON] = []
    var flags: Int = 0
    var timestamp: String
    var editedTimestamp: String?
    var mentionIDs: [UInt64] = []
    var tts = false
    /// Set on interaction responses and followups.
    var webhookID: UInt64?
    var applicationID: UInt64?
    var interactionID: UInt64?
    /// `interaction_metadata` (and, for commands, the deprecated `interaction`) of a message an
    /// interaction caused, as Discord attaches them.
    var interactionMetadata: JSON?
    var interactionSummary: JSON?
    /// 0 default, 19 reply, 20 chat input command.
    var type: Int = 0
}
