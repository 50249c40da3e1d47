/// Discord's permission bit set. A decimal string on the wire (it outgrew 53-bit JSON numbers).
public struct Permissions: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    public static let banMembers = Permissions(rawValue: 1 << 2)
    public static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let addReactions = Permissions(rawValue: 1 << 6)
    public static let viewAuditLog = Permissions(rawValue: 1 << 7)
    public static let prioritySpeaker = Permissions(rawValue: 1 << 8)
    public static let stream = Permissions(rawValue: 1 << 9)
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    public static let sendTTSMessages = Permissions(rawValue: 1 << 12)
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    public static let attachFiles = Permissions(rawValue: 1 << 15)
    public static let readMessageHistory = Permissions(rawValue: 1 << 16)
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    public static let useExternalEmojis = Permissions(rawValue: 1 << 18)
    public static let viewGuildInsights = Permissions(rawValue: 1 << 19)
    public static let connect = Permissions(rawValue: 1 << 20)
    public static let speak = Permissions(rawValue: 1 << 21)
    public static let muteMembers = Permissions(rawValue: 1 << 22)
    public static let deafenMembers = Permissions(rawValue: 1 << 23)
    public static let moveMembers = Permissions(rawValue: 1 << 24)
    public static let useVoiceActivity = Permissions(rawValue: 1 << 25)
    public static let changeNickname = Permissions(rawValue: 1 << 26)
    public static let manageNicknames = Permissions(rawValue: 1 << 27)
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    public static let manageWebhooks = Permissions(rawValue: 1 << 29)
    public static let manageGuildExpressions = Permissions(rawValue: 1 << 30)
    public static let useApplicationCommands = Permissions(rawValue: 1 << 31)
    public static let requestToSpeak = Permissions(rawValue: 1 << 32)
    public static let manageEvents = Permissions(rawValue: 1 << 33)
    public static let manageThreads = Permissions(rawValue: 1 << 34)
    public static let sendMessagesInThreads = Permissions(rawValue: 1 << 38)
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
    /// Set the status of a voice channel one is connected to.
    public static let setVoiceChannelStatus = Permissions(rawValue: 1 << 48)

    /// Every bit, what owners and administrators effectively hold.
    public static let all = Permissions(rawValue: .max)

    public var description: String { String(rawValue) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "permissions are not a number")
            }
            self.rawValue = value
        } else {
            self.rawValue = try container.decode(UInt64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }
}

/// What `Permissions.compute` needs to know about a channel's overwrites.
public struct PermissionOverwrite: Codable, Sendable, Hashable {
    public enum Kind: OpenIntEnum {
        case role, member, unknown(Int)
        public init(rawValue: Int) {
            switch rawValue {
            case 0: self = .role
            case 1: self = .member
            default: self = .unknown(rawValue)
            }
        }
        public var rawValue: Int {
            switch self {
            case .role: 0
            case .member: 1
            case .unknown(let value): value
            }
        }
    }

    /// A role id or a user id, depending on `type`.
    public var id: UInt64
    public var type: Kind
    public var allow: Permissions
    public var deny: Permissions

    public init(id: UInt64, type: Kind, allow: Permissions, deny: Permissions) {
        self.id = id
        self.type = type
        self.allow = allow
        self.deny = deny
    }

    public static func role(_ id: Snowflake<Role>, allow: Permissions = [], deny: Permissions = []) -> Self {
        .init(id: id.rawValue, type: .role, allow: allow, deny: deny)
    }

    public static func member(_ id: Snowflake<User>, allow: Permissions = [], deny: Permissions = []) -> Self {
        .init(id: id.rawValue, type: .member, allow: allow, deny: deny)
    }

    enum CodingKeys: String, CodingKey { case id, type, allow, deny }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(Snowflake<Role>.self, forKey: .id).rawValue
        self.type = try container.decode(Kind.self, forKey: .type)
        self.allow = try container.decodeIfPresent(Permissions.self, forKey: .allow) ?? []
        self.deny = try container.decodeIfPresent(Permissions.self, forKey: .deny) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(id), forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(allow, forKey: .allow)
        try container.encode(deny, forKey: .deny)
    }
}

extension Permissions {
    /// A member's base permissions in a guild, per Discord's documented algorithm: the owner holds
    /// everything; otherwise `@everyone` (the role whose id is the guild id) OR'd with the member's
    /// roles, and ADMINISTRATOR grants everything.
    public static func base(
        guildID: Snowflake<Guild>, ownerID: Snowflake<User>?, userID: Snowflake<User>,
        memberRoles: some Sequence<Snowflake<Role>>, rolePermissions: (Snowflake<Role>) -> Permissions?
    ) -> Permissions {
        if let ownerID, ownerID == userID { return .all }
        var permissions = rolePermissions(guildID.cast()) ?? []
        for role in memberRoles {
            permissions.formUnion(rolePermissions(role) ?? [])
        }
        if permissions.contains(.administrator) { return .all }
        return permissions
    }

    /// Applies a channel's overwrites to base permissions, in Discord's order: `@everyone`
    /// overwrite, then all of the member's role overwrites together, then the member's own.
    /// Without VIEW_CHANNEL nothing else in the channel is usable; without SEND_MESSAGES the
    /// permissions that depend on sending are dropped too.
    public static func inChannel(
        base: Permissions, guildID: Snowflake<Guild>, userID: Snowflake<User>,
        memberRoles: some Sequence<Snowflake<Role>>, overwrites: some Sequence<PermissionOverwrite>
    ) -> Permissions {
        if base.contains(.administrator) || base == .all { return .all }
        var permissions = base
        var roleAllow = Permissions()
        var roleDeny = Permissions()
        var memberOverwrite: PermissionOverwrite?
        let roleIDs = Set(memberRoles.map(\.rawValue))
        var everyone: PermissionOverwrite?
        for overwrite in overwrites {
            switch overwrite.type {
            case .role where overwrite.id == guildID.rawValue:
                everyone = overwrite
            case .role where roleIDs.contains(overwrite.id):
                roleAllow.formUnion(overwrite.allow)
                roleDeny.formUnion(overwrite.deny)
            case .member where overwrite.id == userID.rawValue:
                memberOverwrite = overwrite
            default:
                break
            }
        }
        if let everyone {
            permissions.subtract(everyone.deny)
            permissions.formUnion(everyone.allow)
        }
        permissions.subtract(roleDeny)
        permissions.formUnion(roleAllow)
        if let memberOverwrite {
            permissions.subtract(memberOverwrite.deny)
            permissions.formUnion(memberOverwrite.allow)
        }
        if !permissions.contains(.viewChannel) { return [] }
        if !permissions.contains(.sendMessages) {
            permissions.subtract([.sendTTSMessages, .mentionEveryone, .attachFiles, .embedLinks])
        }
        return permissions
    }
}
