/// An application command: what bulk overwrite sends and what Discord returns (then with `id`,
/// `application_id` and `version`).
public struct ApplicationCommand: Codable, Sendable, Hashable {
    public enum Kind: OpenIntEnum {
        case chatInput, user, message, primaryEntryPoint, unknown(Int)
        public init(rawValue: Int) {
            switch rawValue {
            case 1: self = .chatInput
            case 2: self = .user
            case 3: self = .message
            case 4: self = .primaryEntryPoint
            default: self = .unknown(rawValue)
            }
        }
        public var rawValue: Int {
            switch self {
            case .chatInput: 1
            case .user: 2
            case .message: 3
            case .primaryEntryPoint: 4
            case .unknown(let value): value
            }
        }
    }

    public var id: Snowflake<ApplicationCommand>?
    public var applicationID: Snowflake<Application>?
    public var guildID: Snowflake<Guild>?
    public var type: Kind?
    public var name: String
    public var nameLocalizations: Localizations?
    public var description: String
    public var descriptionLocalizations: Localizations?
    public var options: [ApplicationCommandOption]?
    public var defaultMemberPermissions: Permissions?
    public var nsfw: Bool?
    /// Where the command can be used: 0 guild, 1 bot DM, 2 private channel.
    public var contexts: [Int]?
    public var version: Snowflake<ApplicationCommand>?

    public init(name: String, nameLocalizations: Localizations? = nil, description: String,
                descriptionLocalizations: Localizations? = nil, options: [ApplicationCommandOption]? = nil,
                type: Kind? = .chatInput, defaultMemberPermissions: Permissions? = nil, contexts: [Int]? = nil) {
        self.name = name
        self.nameLocalizations = nameLocalizations
        self.description = description
        self.descriptionLocalizations = descriptionLocalizations
        self.options = options
        self.type = type
        self.defaultMemberPermissions = defaultMemberPermissions
        self.contexts = contexts
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, description, options, nsfw, contexts, version
        case applicationID = "application_id"
        case guildID = "guild_id"
        case nameLocalizations = "name_localizations"
        case descriptionLocalizations = "description_localizations"
        case defaultMemberPermissions = "default_member_permissions"
    }
}

public struct ApplicationCommandOption: Codable, Sendable, Hashable {
    public enum Kind: OpenIntEnum {
        case subcommand, subcommandGroup, string, integer, boolean, user, channel, role, mentionable, number
        case attachment, unknown(Int)

        public init(rawValue: Int) {
            switch rawValue {
            case 1: self = .subcommand
            case 2: self = .subcommandGroup
            case 3: self = .string
            case 4: self = .integer
            case 5: self = .boolean
            case 6: self = .user
            case 7: self = .channel
            case 8: self = .role
            case 9: self = .mentionable
            case 10: self = .number
            case 11: self = .attachment
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: Int {
            switch self {
            case .subcommand: 1
            case .subcommandGroup: 2
            case .string: 3
            case .integer: 4
            case .boolean: 5
            case .user: 6
            case .channel: 7
            case .role: 8
            case .mentionable: 9
            case .number: 10
            case .attachment: 11
            case .unknown(let value): value
            }
        }
    }

    public struct Choice: Codable, Sendable, Hashable {
        public var name: String
        public var nameLocalizations: Localizations?
        public var value: InteractionOption.Value

        public init(name: String, nameLocalizations: Localizations? = nil, value: InteractionOption.Value) {
            self.name = name
            self.nameLocalizations = nameLocalizations
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case name, value
            case nameLocalizations = "name_localizations"
        }
    }

    public var type: Kind
    public var name: String
    public var nameLocalizations: Localizations?
    public var description: String
    public var descriptionLocalizations: Localizations?
    public var required: Bool?
    public var choices: [Choice]?
    public var options: [ApplicationCommandOption]?
    public var channelTypes: [Channel.Kind]?
    public var minValue: Double?
    public var maxValue: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var autocomplete: Bool?

    public init(type: Kind, name: String, nameLocalizations: Localizations? = nil, description: String,
                descriptionLocalizations: Localizations? = nil, required: Bool? = nil, choices: [Choice]? = nil,
                options: [ApplicationCommandOption]? = nil, channelTypes: [Channel.Kind]? = nil,
                minValue: Double? = nil, maxValue: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil,
                autocomplete: Bool? = nil) {
        self.type = type
        self.name = name
        self.nameLocalizations = nameLocalizations
        self.description = description
        self.descriptionLocalizations = descriptionLocalizations
        self.required = required
        self.choices = choices
        self.options = options
        self.channelTypes = channelTypes
        self.minValue = minValue
        self.maxValue = maxValue
        self.minLength = minLength
        self.maxLength = maxLength
        self.autocomplete = autocomplete
    }

    enum CodingKeys: String, CodingKey {
        case type, name, description, required, choices, options, autocomplete
        case nameLocalizations = "name_localizations"
        case descriptionLocalizations = "description_localizations"
        case channelTypes = "channel_types"
        case minValue = "min_value"
        case maxValue = "max_value"
        case minLength = "min_length"
        case maxLength = "max_length"
    }
}

/// What an interaction callback answers with.
public enum InteractionResponse: Sendable, Hashable {
    /// Type 1: answers a PING (HTTP interactions).
    case pong
    /// Type 4: a message.
    case message(MessageCreate)
    /// Type 5: "thinking…", edited later; only the EPHEMERAL flag is allowed.
    case deferredMessage(ephemeral: Bool)
    /// Type 6: acknowledges a component, the message is edited later.
    case deferredUpdate
    /// Type 7: edits the message the component is on.
    case updateMessage(MessageEdit)
    /// Type 8: at most 25 autocomplete choices.
    case autocompleteResult([ApplicationCommandOption.Choice])
    /// Type 9: a modal.
    case modal(Modal)

    public var type: Int {
        switch self {
        case .pong: 1
        case .message: 4
        case .deferredMessage: 5
        case .deferredUpdate: 6
        case .updateMessage: 7
        case .autocompleteResult: 8
        case .modal: 9
        }
    }
}

public struct Modal: Codable, Sendable, Hashable {
    public var customID: String
    public var title: String
    public var components: [Component]

    public init(customID: String, title: String, components: [Component]) {
        self.customID = customID
        self.title = title
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case title, components
        case customID = "custom_id"
    }
}

extension InteractionResponse: Encodable {
    enum CodingKeys: String, CodingKey { case type, data }
    struct ChoicesBody: Encodable { let choices: [ApplicationCommandOption.Choice] }
    struct FlagsBody: Encodable { let flags: MessageFlags }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .pong, .deferredUpdate: break
        case .message(let message): try container.encode(message, forKey: .data)
        case .deferredMessage(let ephemeral):
            if ephemeral { try container.encode(FlagsBody(flags: .ephemeral), forKey: .data) }
        case .updateMessage(let edit): try container.encode(edit, forKey: .data)
        case .autocompleteResult(let choices): try container.encode(ChoicesBody(choices: choices), forKey: .data)
        case .modal(let modal): try container.encode(modal, forKey: .data)
        }
    }
}

/// The answer of a callback sent with `with_response=true`.
public struct InteractionCallbackResponse: Codable, Sendable, Hashable {
    public struct CallbackInteraction: Codable, Sendable, Hashable {
        public var id: Snowflake<Interaction>
        public var type: Interaction.Kind
        public var responseMessageID: Snowflake<Message>?
        public var responseMessageLoading: Bool?
        public var responseMessageEphemeral: Bool?

        enum CodingKeys: String, CodingKey {
            case id, type
            case responseMessageID = "response_message_id"
            case responseMessageLoading = "response_message_loading"
            case responseMessageEphemeral = "response_message_ephemeral"
        }
    }

    public struct Resource: Codable, Sendable, Hashable {
        public var type: Int
        public var message: Message?
    }

    public var interaction: CallbackInteraction
    public var resource: Resource?
}
