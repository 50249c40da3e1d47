/// A message component: action rows holding buttons or one select menu; text inputs in modals.
/// Unknown component types decode to `.unknown(type:, raw:)` instead of failing the message.
public enum Component: Codable, Sendable, Hashable {
    case actionRow([Component])
    case button(Button)
    case stringSelect(StringSelect)
    case textInput(TextInput)
    case unknown(type: Int, raw: JSONValue)

    public struct Button: Codable, Sendable, Hashable {
        public enum Style: OpenIntEnum {
            case primary, secondary, success, danger, link, premium, unknown(Int)
            public init(rawValue: Int) {
                switch rawValue {
                case 1: self = .primary
                case 2: self = .secondary
                case 3: self = .success
                case 4: self = .danger
                case 5: self = .link
                case 6: self = .premium
                default: self = .unknown(rawValue)
                }
            }
            public var rawValue: Int {
                switch self {
                case .primary: 1
                case .secondary: 2
                case .success: 3
                case .danger: 4
                case .link: 5
                case .premium: 6
                case .unknown(let value): value
                }
            }
        }

        public var style: Style
        public var label: String?
        public var emoji: PartialEmoji?
        public var customID: String?
        public var url: String?
        public var disabled: Bool?

        public init(style: Style, label: String? = nil, emoji: PartialEmoji? = nil, customID: String? = nil,
                    url: String? = nil, disabled: Bool? = nil) {
            self.style = style
            self.label = label
            self.emoji = emoji
            self.customID = customID
            self.url = url
            self.disabled = disabled
        }

        enum CodingKeys: String, CodingKey {
            case style, label, emoji, url, disabled
            case customID = "custom_id"
        }
    }

    public struct StringSelect: Codable, Sendable, Hashable {
        public struct Option: Codable, Sendable, Hashable {
            public var label: String
            public var value: String
            public var description: String?
            public var emoji: PartialEmoji?
            public var `default`: Bool?
            public init(label: String, value: String, description: String? = nil, emoji: PartialEmoji? = nil,
                        isDefault: Bool? = nil) {
                self.label = label
                self.value = value
                self.description = description
                self.emoji = emoji
                self.default = isDefault
            }
        }

        public var customID: String
        public var options: [Option]
        public var placeholder: String?
        public var minValues: Int?
        public var maxValues: Int?
        public var disabled: Bool?

        public init(customID: String, options: [Option], placeholder: String? = nil, minValues: Int? = nil,
                    maxValues: Int? = nil, disabled: Bool? = nil) {
            self.customID = customID
            self.options = options
            self.placeholder = placeholder
            self.minValues = minValues
            self.maxValues = maxValues
            self.disabled = disabled
        }

        enum CodingKeys: String, CodingKey {
            case options, placeholder, disabled
            case customID = "custom_id"
            case minValues = "min_values"
            case maxValues = "max_values"
        }
    }

    public struct TextInput: Codable, Sendable, Hashable {
        public var customID: String
        /// 1 short, 2 paragraph.
        public var style: Int?
        public var label: String?
        public var value: String?
        public var placeholder: String?
        public var required: Bool?
        public var minLength: Int?
        public var maxLength: Int?

        public init(customID: String, style: Int? = 1, label: String? = nil, value: String? = nil,
                    placeholder: String? = nil, required: Bool? = nil, minLength: Int? = nil, maxLength: Int? = nil) {
            self.customID = customID
            self.style = style
            self.label = label
            self.value = value
            self.placeholder = placeholder
            self.required = required
            self.minLength = minLength
            self.maxLength = maxLength
        }

        enum CodingKeys: String, CodingKey {
            case style, label, value, placeholder, required
            case customID = "custom_id"
            case minLength = "min_length"
            case maxLength = "max_length"
        }
    }

    enum TypeKey: String, CodingKey { case type, components }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(Int.self, forKey: .type)
        switch type {
        case 1: self = .actionRow(try container.decodeIfPresent([Component].self, forKey: .components) ?? [])
        case 2: self = .button(try Button(from: decoder))
        case 3: self = .stringSelect(try StringSelect(from: decoder))
        case 4: self = .textInput(try TextInput(from: decoder))
        default: self = .unknown(type: type, raw: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .unknown(_, let raw) = self {
            try raw.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: TypeKey.self)
        switch self {
        case .actionRow(let children):
            try container.encode(1, forKey: .type)
            try container.encode(children, forKey: .components)
        case .button(let button):
            try container.encode(2, forKey: .type)
            try button.encode(to: encoder)
        case .stringSelect(let select):
            try container.encode(3, forKey: .type)
            try select.encode(to: encoder)
        case .textInput(let input):
            try container.encode(4, forKey: .type)
            try input.encode(to: encoder)
        case .unknown:
            break
        }
    }
}

public struct PartialEmoji: Codable, Sendable, Hashable {
    public var id: Snowflake<PartialEmoji>?
    public var name: String?
    public var animated: Bool?

    public init(id: Snowflake<PartialEmoji>? = nil, name: String?, animated: Bool? = nil) {
        self.id = id
        self.name = name
        self.animated = animated
    }
}
