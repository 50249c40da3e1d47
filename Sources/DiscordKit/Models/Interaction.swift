/// An interaction token. Secret for 15 minutes: never printed.
public struct InteractionToken: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "InteractionToken(redacted)" }
    public var debugDescription: String { description }

    public init(from decoder: any Decoder) throws { self.value = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

public struct Interaction: Codable, Sendable, Hashable {
    public enum Kind: OpenIntEnum {
        case ping, applicationCommand, messageComponent, autocomplete, modalSubmit, unknown(Int)
        public init(rawValue: Int) {
            switch rawValue {
            case 1: self = .ping
            case 2: self = .applicationCommand
            case 3: self = .messageComponent
            case 4: self = .autocomplete
            case 5: self = .modalSubmit
            default: self = .unknown(rawValue)
            }
        }
        public var rawValue: Int {
            switch self {
            case .ping: 1
            case .applicationCommand: 2
            case .messageComponent: 3
            case .autocomplete: 4
            case .modalSubmit: 5
            case .unknown(let value): value
            }
        }
    }

    /// `data`, typed by the interaction's kind.
    public enum Payload: Sendable, Hashable {
        /// Slash commands and autocomplete (one option has `focused`).
        case command(ApplicationCommandData)
        case component(ComponentData)
        case modalSubmit(ModalSubmitData)
        case unknown(JSONValue)
    }

    public var id: Snowflake<Interaction>
    public var applicationID: Snowflake<Application>
    public var type: Kind
    public var data: Payload?
    public var guildID: Snowflake<Guild>?
    public var channelID: Snowflake<Channel>?
    public var channel: Channel?
    /// In guilds; carries `permissions` in the channel.
    public var member: GuildMember?
    /// In DMs.
    public var user: User?
    public var token: InteractionToken
    public var version: Int
    public var message: Message?
    public var appPermissions: Permissions?
    public var locale: DiscordLocale?
    public var guildLocale: DiscordLocale?

    /// The invoking user, in a guild or a DM.
    public var invoker: User? { member?.user ?? user }

    enum CodingKeys: String, CodingKey {
        case id, type, data, channel, member, user, token, version, message, locale
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
        case appPermissions = "app_permissions"
        case guildLocale = "guild_locale"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(Snowflake<Interaction>.self, forKey: .id)
        self.applicationID = try container.decode(Snowflake<Application>.self, forKey: .applicationID)
        self.type = try container.decode(Kind.self, forKey: .type)
        if container.contains(.data), !(try container.decodeNil(forKey: .data)) {
            switch type {
            case .applicationCommand, .autocomplete:
                self.data = .command(try container.decode(ApplicationCommandData.self, forKey: .data))
            case .messageComponent:
                self.data = .component(try container.decode(ComponentData.self, forKey: .data))
            case .modalSubmit:
                self.data = .modalSubmit(try container.decode(ModalSubmitData.self, forKey: .data))
            case .ping, .unknown:
                self.data = .unknown(try container.decode(JSONValue.self, forKey: .data))
            }
        }
        self.guildID = try container.decodeIfPresent(Snowflake<Guild>.self, forKey: .guildID)
        self.channelID = try container.decodeIfPresent(Snowflake<Channel>.self, forKey: .channelID)
        self.channel = try? container.decodeIfPresent(Channel.self, forKey: .channel)
        self.member = try container.decodeIfPresent(GuildMember.self, forKey: .member)
        self.user = try container.decodeIfPresent(User.self, forKey: .user)
        self.token = try container.decode(InteractionToken.self, forKey: .token)
        self.version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        self.message = try? container.decodeIfPresent(Message.self, forKey: .message)
        self.appPermissions = try container.decodeIfPresent(Permissions.self, forKey: .appPermissions)
        self.locale = try container.decodeIfPresent(DiscordLocale.self, forKey: .locale)
        self.guildLocale = try container.decodeIfPresent(DiscordLocale.self, forKey: .guildLocale)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(applicationID, forKey: .applicationID)
        try container.encode(type, forKey: .type)
        switch data {
        case .command(let value): try container.encode(value, forKey: .data)
        case .component(let value): try container.encode(value, forKey: .data)
        case .modalSubmit(let value): try container.encode(value, forKey: .data)
        case .unknown(let value): try container.encode(value, forKey: .data)
        case nil: break
        }
        try container.encodeIfPresent(guildID, forKey: .guildID)
        try container.encodeIfPresent(channelID, forKey: .channelID)
        try container.encodeIfPresent(channel, forKey: .channel)
        try container.encodeIfPresent(member, forKey: .member)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encode(token, forKey: .token)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(appPermissions, forKey: .appPermissions)
        try container.encodeIfPresent(locale, forKey: .locale)
        try container.encodeIfPresent(guildLocale, forKey: .guildLocale)
    }
}

public struct ApplicationCommandData: Codable, Sendable, Hashable {
    public var id: Snowflake<ApplicationCommand>
    public var name: String
    public var type: ApplicationCommand.Kind?
    public var options: [InteractionOption]?
    /// Users, members, roles and channels named by options, as Discord resolved them.
    public var resolved: JSONValue?
    public var guildID: Snowflake<Guild>?
    public var targetID: Snowflake<User>?

    enum CodingKeys: String, CodingKey {
        case id, name, type, options, resolved
        case guildID = "guild_id"
        case targetID = "target_id"
    }

    /// The option the user is typing in, for autocomplete.
    public var focusedOption: InteractionOption? {
        func search(_ options: [InteractionOption]?) -> InteractionOption? {
            for option in options ?? [] {
                if option.focused == true { return option }
                if let found = search(option.options) { return found }
            }
            return nil
        }
        return search(options)
    }
}

/// An option as an interaction carries it: a value, or nested options for subcommands and groups.
public struct InteractionOption: Codable, Sendable, Hashable {
    public enum Value: Codable, Sendable, Hashable {
        case string(String)
        case integer(Int64)
        case number(Double)
        case bool(Bool)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            }
        }

        public var string: String? {
            switch self {
            case .string(let value): value
            case .integer(let value): String(value)
            case .number(let value): String(value)
            case .bool(let value): String(value)
            }
        }
    }

    public var name: String
    public var type: ApplicationCommandOption.Kind
    public var value: Value?
    public var options: [InteractionOption]?
    public var focused: Bool?

    public init(name: String, type: ApplicationCommandOption.Kind, value: Value? = nil,
                options: [InteractionOption]? = nil, focused: Bool? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.options = options
        self.focused = focused
    }
}

public struct ComponentData: Codable, Sendable, Hashable {
    public var customID: String
    public var componentType: Int
    /// The chosen values of a select menu.
    public var values: [String]?

    enum CodingKeys: String, CodingKey {
        case values
        case customID = "custom_id"
        case componentType = "component_type"
    }
}

public struct ModalSubmitData: Codable, Sendable, Hashable {
    public var customID: String
    public var components: [Component]

    enum CodingKeys: String, CodingKey {
        case components
        case customID = "custom_id"
    }

    /// The submitted text of each input, by `custom_id`.
    public var textInputValues: [String: String] {
        var values: [String: String] = [:]
        func walk(_ components: [Component]) {
            for component in components {
                switch component {
                case .actionRow(let children): walk(children)
                case .textInput(let input): values[input.customID] = input.value ?? ""
                default: break
                }
            }
        }
        walk(components)
        return values
    }
}
