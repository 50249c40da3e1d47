public struct Message: Codable, Sendable, Hashable {
    public var id: Snowflake<Message>
    public var channelID: Snowflake<Channel>
    public var guildID: Snowflake<Guild>?
    public var author: User?
    public var member: GuildMember?
    public var content: String?
    public var timestamp: String?
    public var editedTimestamp: String?
    public var embeds: [Embed]?
    public var components: [Component]?
    public var flags: MessageFlags?
    public var type: Int?
    public var webhookID: Snowflake<Application>?
    public var applicationID: Snowflake<Application>?

    enum CodingKeys: String, CodingKey {
        case id, author, member, content, timestamp, embeds, components, flags, type
        case channelID = "channel_id"
        case guildID = "guild_id"
        case editedTimestamp = "edited_timestamp"
        case webhookID = "webhook_id"
        case applicationID = "application_id"
    }
}

public struct MessageFlags: OptionSet, Codable, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let suppressEmbeds = MessageFlags(rawValue: 1 << 2)
    public static let ephemeral = MessageFlags(rawValue: 1 << 6)
    public static let loading = MessageFlags(rawValue: 1 << 7)
    public static let suppressNotifications = MessageFlags(rawValue: 1 << 12)
}

public struct AllowedMentions: Codable, Sendable, Hashable {
    public var parse: [String]
    public var roles: [Snowflake<Role>]?
    public var users: [Snowflake<User>]?
    public var repliedUser: Bool?

    public init(parse: [String] = [], roles: [Snowflake<Role>]? = nil, users: [Snowflake<User>]? = nil) {
        self.parse = parse
        self.roles = roles
        self.users = users
    }

    /// Mentions nobody: what a bot echoing user text should send.
    public static let none = AllowedMentions()

    enum CodingKeys: String, CodingKey {
        case parse, roles, users
        case repliedUser = "replied_user"
    }
}

/// The body of a new message (channel messages, interaction responses, followups) or of an edit.
/// Fields left `nil` are not sent.
public struct MessageCreate: Codable, Sendable, Hashable {
    public var content: String?
    public var embeds: [Embed]?
    public var components: [Component]?
    public var allowedMentions: AllowedMentions?
    public var flags: MessageFlags?
    public var tts: Bool?

    public init(content: String? = nil, embeds: [Embed]? = nil, components: [Component]? = nil,
                allowedMentions: AllowedMentions? = nil, flags: MessageFlags? = nil) {
        self.content = content
        self.embeds = embeds
        self.components = components
        self.allowedMentions = allowedMentions
        self.flags = flags
    }

    enum CodingKeys: String, CodingKey {
        case content, embeds, components, flags, tts
        case allowedMentions = "allowed_mentions"
    }
}

/// The body of a message edit: the same fields as a new message; those left `nil` are not sent
/// and stay as they are.
public typealias MessageEdit = MessageCreate

public struct Embed: Codable, Sendable, Hashable {
    public struct Footer: Codable, Sendable, Hashable {
        public var text: String
        public var iconURL: String?
        public init(text: String, iconURL: String? = nil) {
            self.text = text
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case text
            case iconURL = "icon_url"
        }
    }

    public struct Media: Codable, Sendable, Hashable {
        public var url: String
        public var width: Int?
        public var height: Int?
        public init(url: String) { self.url = url }
    }

    public struct Author: Codable, Sendable, Hashable {
        public var name: String
        public var url: String?
        public var iconURL: String?
        public init(name: String, url: String? = nil, iconURL: String? = nil) {
            self.name = name
            self.url = url
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case name, url
            case iconURL = "icon_url"
        }
    }

    public struct Field: Codable, Sendable, Hashable {
        public var name: String
        public var value: String
        public var inline: Bool?
        public init(name: String, value: String, inline: Bool? = nil) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    public var title: String?
    public var type: String?
    public var description: String?
    public var url: String?
    public var timestamp: String?
    public var color: Int?
    public var footer: Footer?
    public var image: Media?
    public var thumbnail: Media?
    public var author: Author?
    public var fields: [Field]?

    public init(title: String? = nil, description: String? = nil, url: String? = nil, color: Int? = nil,
                footer: Footer? = nil, image: Media? = nil, thumbnail: Media? = nil, author: Author? = nil,
                fields: [Field]? = nil, timestamp: String? = nil) {
        self.title = title
        self.description = description
        self.url = url
        self.color = color
        self.footer = footer
        self.image = image
        self.thumbnail = thumbnail
        self.author = author
        self.fields = fields
        self.timestamp = timestamp
    }
}
