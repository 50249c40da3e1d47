/// A guild as GUILD_CREATE / GUILD_UPDATE send it. GUILD_CREATE adds `channels`, `members`,
/// `voice_states` (without `guild_id`), `member_count` and `large`.
public struct Guild: Codable, Sendable, Hashable {
    public var id: Snowflake<Guild>
    public var name: String?
    public var icon: String?
    public var ownerID: Snowflake<User>?
    public var roles: [Role]?
    public var preferredLocale: DiscordLocale?
    public var unavailable: Bool?
    public var memberCount: Int?
    public var large: Bool?
    public var channels: [Channel]?
    public var members: [GuildMember]?
    public var voiceStates: [VoiceState]?

    public init(id: Snowflake<Guild>, name: String? = nil, ownerID: Snowflake<User>? = nil, roles: [Role]? = nil,
                channels: [Channel]? = nil, members: [GuildMember]? = nil, voiceStates: [VoiceState]? = nil) {
        self.id = id
        self.name = name
        self.ownerID = ownerID
        self.roles = roles
        self.channels = channels
        self.members = members
        self.voiceStates = voiceStates
    }

    enum CodingKeys: String, CodingKey {
        case id, name, icon, roles, unavailable, large, channels, members
        case ownerID = "owner_id"
        case preferredLocale = "preferred_locale"
        case memberCount = "member_count"
        case voiceStates = "voice_states"
    }
}

/// A guild in READY's list or GUILD_DELETE (`unavailable` absent = the bot was removed).
public struct UnavailableGuild: Codable, Sendable, Hashable {
    public var id: Snowflake<Guild>
    public var unavailable: Bool?

    public init(id: Snowflake<Guild>, unavailable: Bool? = true) {
        self.id = id
        self.unavailable = unavailable
    }
}

public struct Role: Codable, Sendable, Hashable {
    public var id: Snowflake<Role>
    public var name: String
    public var color: Int?
    public var hoist: Bool?
    public var position: Int?
    public var permissions: Permissions
    public var managed: Bool?
    public var mentionable: Bool?

    public init(id: Snowflake<Role>, name: String, position: Int = 0, permissions: Permissions) {
        self.id = id
        self.name = name
        self.position = position
        self.permissions = permissions
    }
}

public struct GuildMember: Codable, Sendable, Hashable {
    public var user: User?
    public var nick: String?
    public var roles: [Snowflake<Role>]
    public var joinedAt: String?
    public var deaf: Bool?
    public var mute: Bool?
    public var flags: Int?
    public var pending: Bool?
    /// Only in interactions: the member's permissions in the interaction's channel.
    public var permissions: Permissions?
    public var communicationDisabledUntil: String?

    public init(user: User?, nick: String? = nil, roles: [Snowflake<Role>] = [], permissions: Permissions? = nil) {
        self.user = user
        self.nick = nick
        self.roles = roles
        self.permissions = permissions
    }

    enum CodingKeys: String, CodingKey {
        case user, nick, roles, deaf, mute, flags, pending, permissions
        case joinedAt = "joined_at"
        case communicationDisabledUntil = "communication_disabled_until"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.user = try container.decodeIfPresent(User.self, forKey: .user)
        self.nick = try container.decodeIfPresent(String.self, forKey: .nick)
        self.roles = try container.decodeIfPresent([Snowflake<Role>].self, forKey: .roles) ?? []
        self.joinedAt = try container.decodeIfPresent(String.self, forKey: .joinedAt)
        self.deaf = try container.decodeIfPresent(Bool.self, forKey: .deaf)
        self.mute = try container.decodeIfPresent(Bool.self, forKey: .mute)
        self.flags = try container.decodeIfPresent(Int.self, forKey: .flags)
        self.pending = try container.decodeIfPresent(Bool.self, forKey: .pending)
        self.permissions = try container.decodeIfPresent(Permissions.self, forKey: .permissions)
        self.communicationDisabledUntil = try container.decodeIfPresent(String.self, forKey: .communicationDisabledUntil)
    }
}

/// GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE: a member plus its `guild_id`.
public struct GuildMemberEvent: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var member: GuildMember

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.guildID = try container.decode(Snowflake<Guild>.self, forKey: .guildID)
        self.member = try GuildMember(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try member.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guildID, forKey: .guildID)
    }

    enum CodingKeys: String, CodingKey { case guildID = "guild_id" }
}

/// GUILD_MEMBER_REMOVE.
public struct GuildMemberRemove: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var user: User

    enum CodingKeys: String, CodingKey {
        case user
        case guildID = "guild_id"
    }
}

/// GUILD_ROLE_CREATE / GUILD_ROLE_UPDATE.
public struct GuildRoleEvent: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var role: Role

    enum CodingKeys: String, CodingKey {
        case role
        case guildID = "guild_id"
    }
}

/// GUILD_ROLE_DELETE.
public struct GuildRoleDelete: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var roleID: Snowflake<Role>

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case roleID = "role_id"
    }
}
