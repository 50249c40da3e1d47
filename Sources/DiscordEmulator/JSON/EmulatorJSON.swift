import Foundation

/// A JSON value as it travels on the wire. Integers keep full 64-bit precision because clients
/// (discord.py) send snowflakes as integers, which a `Double` would corrupt.
public enum EmulatorJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([EmulatorJSON])
    case object([String: EmulatorJSON])
}

typealias JSON = EmulatorJSON

extension EmulatorJSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(UInt64.self) {
            // Above Int64.max only as a string would keep it exact; snowflakes fit in Int64.
            self = .string(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EmulatorJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EmulatorJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension EmulatorJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: EmulatorJSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, EmulatorJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension EmulatorJSON {
    public subscript(key: String) -> EmulatorJSON? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [EmulatorJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: EmulatorJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A snowflake given either as a string or as an integer (clients do both).
    public var snowflakeValue: UInt64? {
        switch self {
        case .string(let value): return UInt64(value)
        case .int(let value) where value >= 0: return UInt64(value)
        default: return nil
        }
    }

    static func id(_ value: UInt64) -> EmulatorJSON { .string(String(value)) }
    static func id(_ value: UInt64?) -> EmulatorJSON { value.map { .string(String($0)) } ?? .null }
    static func ids(_ values: some Sequence<UInt64>) -> EmulatorJSON { .array(values.map { .id($0) }) }
}

extension EmulatorJSON {
    private static let decoder = JSONDecoder()

    /// Parses bytes; `nil` when they are not JSON.
    public static func parse(_ data: some Collection<UInt8>) -> EmulatorJSON? {
        try? decoder.decode(EmulatorJSON.self, from: Data(data))
    }

    public static func parse(_ text: String) -> EmulatorJSON? { parse(Array(text.utf8)) }

    /// Compact JSON with sorted keys (stable output makes recorded activity easy to compare).
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    public var description: String { encoded() }
}
