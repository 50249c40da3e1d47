public struct Channel: Codable, Sendable, Hashable {
    public enum Kind: OpenIntEnum {
        case guildText, dm, guildVoice, groupDM, guildCategory, guildAnnouncement
        case announcementThread, publicThread, privateThread, guildStageVoice, guildDirectory, guildForum, guildMedia
        case unknown(Int)

        public init(rawValue: Int) {
            switch rawValue {
            case 0: self = .guildText
            case 1: self = .dm
            case 2: self = .guildVoice
            case 3: self = .groupDM
            case 4: self = .guildCategory
            case 5: self = .guildAnnouncement
            case 10: self = .announcementThread
            case 11: self = .publicThread
            case 12: self = .privateThread
            case 13: self = .guildStageVoice
            case 14: self = .guildDirectory
            case 15: self = .guildForum
            case 16: self = .guildMedia
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: Int {
            switch self {
            case .guildText: 0
            case .dm: 1
            case .guildVoice: 2
            case .groupDM: 3
            case .guildCategory: 4
            case .guildAnnouncement: 5
            case .announcementThread: 10
            case .publicThread: 11
            case .privateThread: 12
            case .guildStageVoice: 13
            case .guildDirectory: 14
            case .guildForum: 15
            case .guildMedia: 16
            case .unknown(let value): value
            }
        }

        /// Voice and stage channels: the ones a bot can join.
        public var isVoice: Bool {
            switch self {
            case .guildVoice, .guildStageVoice: true
            default: false
            }
        }
    }

    public var id: Snowflake<Channel>
    public var type: Kind
    public var guildID: Snowflake<Guild>?
    public var name: String?
    public var position: Int?
    public var parentID: Snowflake<Channel>?
    public var permissionOverwrites: [PermissionOverwrite]?
    public var topic: String?
    public var nsfw: Bool?
    public var bitrate: Int?
    public var userLimit: Int?
    public var rtcRegion: String?
    public var lastMessageID: Snowflake<Message>?
    public var recipients: [User]?

    public init(id: Snowflake<Channel>, type: Kind, guildID: Snowflake<Guild>? = nil, name: String? = nil,
                position: Int? = nil, parentID: Snowflake<Channel>? = nil,
                permissionOverwrites: [PermissionOverwrite]? = nil, userLimit: Int? = nil) {
        self.id = id
        self.type = type
        self.guildID = guildID
        self.name = name
        self.position = position
        self.parentID = parentID
        self.permissionOverwrites = permissionOverwrites
        self.userLimit = userLimit
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, position, topic, nsfw, bitrate, recipients
        case guildID = "guild_id"
        case parentID = "parent_id"
        case permissionOverwrites = "permission_overwrites"
        case userLimit = "user_limit"
        case rtcRegion = "rtc_region"
        case lastMessageID = "last_message_id"
    }
}

/// `POST /guilds/{guild.id}/channels`.
public struct ChannelCreate: Codable, Sendable, Hashable {
    public var name: String
    public var type: Channel.Kind?
    public var topic: String?
    public var bitrate: Int?
    public var userLimit: Int?
    public var position: Int?
    public var parentID: Snowflake<Channel>?
    public var permissionOverwrites: [PermissionOverwrite]?

    public init(name: String, type: Channel.Kind? = nil, topic: String? = nil, bitrate: Int? = nil,
                userLimit: Int? = nil, position: Int? = nil, parentID: Snowflake<Channel>? = nil,
                permissionOverwrites: [PermissionOverwrite]? = nil) {
        self.name = name
        self.type = type
        self.topic = topic
        self.bitrate = bitrate
        self.userLimit = userLimit
        self.position = position
        self.parentID = parentID
        self.permissionOverwrites = permissionOverwrites
    }

    /// A voice channel holding at most `userLimit` users (0 = unlimited).
    public static func voice(name: String, userLimit: Int, parentID: Snowflake<Channel>? = nil,
                             permissionOverwrites: [PermissionOverwrite]? = nil) -> Self {
        .init(name: name, type: .guildVoice, userLimit: userLimit, parentID: parentID,
              permissionOverwrites: permissionOverwrites)
    }

    enum CodingKeys: String, CodingKey {
        case name, type, topic, bitrate, position
        case userLimit = "user_limit"
        case parentID = "parent_id"
        case permissionOverwrites = "permission_overwrites"
    }
}

public struct VoiceState: Codable, Sendable, Hashable {
    /// Absent inside GUILD_CREATE's `voice_states`.
    public var guildID: Snowflake<Guild>?
    /// `nil` when the user left voice.
    public var channelID: Snowflake<Channel>?
    public var userID: Snowflake<User>
    public var member: GuildMember?
    public var sessionID: String
    public var deaf: Bool
    public var mute: Bool
    public var selfDeaf: Bool
    public var selfMute: Bool
    public var selfStream: Bool?
    public var selfVideo: Bool?
    public var suppress: Bool
    public var requestToSpeakTimestamp: String?

    public init(guildID: Snowflake<Guild>?, channelID: Snowflake<Channel>?, userID: Snowflake<User>, sessionID: String,
                deaf: Bool = false, mute: Bool = false, selfDeaf: Bool = false, selfMute: Bool = false,
                suppress: Bool = false) {
        self.guildID = guildID
        self.channelID = channelID
        self.userID = userID
        self.sessionID = sessionID
        self.deaf = deaf
        self.mute = mute
        self.selfDeaf = selfDeaf
        self.selfMute = selfMute
        self.suppress = suppress
    }

    enum CodingKeys: String, CodingKey {
        case member, deaf, mute, suppress
        case guildID = "guild_id"
        case channelID = "channel_id"
        case userID = "user_id"
        case sessionID = "session_id"
        case selfDeaf = "self_deaf"
        case selfMute = "self_mute"
        case selfStream = "self_stream"
        case selfVideo = "self_video"
        case requestToSpeakTimestamp = "request_to_speak_timestamp"
    }
}

/// VOICE_SERVER_UPDATE: what a voice connection (Lavalink) needs. `endpoint` nil = the voice
/// server is being reallocated; wait for the next update.
public struct VoiceServerUpdate: Codable, Sendable, Hashable {
    public var token: String
    public var guildID: Snowflake<Guild>
    public var endpoint: String?

    public init(token: String, guildID: Snowflake<Guild>, endpoint: String?) {
        self.token = token
        self.guildID = guildID
        self.endpoint = endpoint
    }

    enum CodingKeys: String, CodingKey {
        case token, endpoint
        case guildID = "guild_id"
    }
}
