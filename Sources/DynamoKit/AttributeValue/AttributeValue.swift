import Foundation

/// One DynamoDB attribute value. Numbers travel as strings, exactly as DynamoDB sends them, so
/// no precision is lost on the way through.
public indirect enum AttributeValue: Sendable, Hashable {
    case s(String)
    case n(String)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([String])
    case bs([[UInt8]])
}

/// An item or a key: attribute name → value.
public typealias Item = [String: AttributeValue]

extension AttributeValue {
    public static func number<N: BinaryInteger>(_ value: N) -> AttributeValue { .n(String(value)) }
    public static func number(_ value: Double) -> AttributeValue { .n(String(value)) }

    public var stringValue: String? {
        if case .s(let value) = self { return value }
        return nil
    }

    /// The value of an `N` attribute as an integer, when it is one.
    public var intValue: Int? {
        if case .n(let value) = self { return Int(value) }
        return nil
    }

    public var int64Value: Int64? {
        if case .n(let value) = self { return Int64(value) }
        return nil
    }

    public var doubleValue: Double? {
        if case .n(let value) = self { return Double(value) }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var mapValue: [String: AttributeValue]? {
        if case .m(let value) = self { return value }
        return nil
    }

    public var listValue: [AttributeValue]? {
        if case .l(let value) = self { return value }
        return nil
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .s(value) }
    public init(integerLiteral value: Int) { self = .n(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

// MARK: - DynamoDB JSON wire form: {"S": "text"}, {"N": "12"}, {"B": "base64"}, …

extension AttributeValue: Codable {
    private struct TypeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        switch self {
        case .s(let value): try container.encode(value, forKey: TypeKey("S"))
        case .n(let value): try container.encode(value, forKey: TypeKey("N"))
        case .b(let value): try container.encode(Data(value).base64EncodedString(), forKey: TypeKey("B"))
        case .bool(let value): try container.encode(value, forKey: TypeKey("BOOL"))
        case .null: try container.encode(true, forKey: TypeKey("NULL"))
        case .m(let value): try container.encode(value, forKey: TypeKey("M"))
        case .l(let value): try container.encode(value, forKey: TypeKey("L"))
        case .ss(let value): try container.encode(value, forKey: TypeKey("SS"))
        case .ns(let value): try container.encode(value, forKey: TypeKey("NS"))
        case .bs(let value):
            try container.encode(value.map { Data($0).base64EncodedString() }, forKey: TypeKey("BS"))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "an attribute value has exactly one type key, got \(container.allKeys.count)"))
        }
        func bytes(_ text: String) throws -> [UInt8] {
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "binary attribute is not base64")
            }
            return Array(data)
        }
        switch key.stringValue {
        case "S": self = .s(try container.decode(String.self, forKey: key))
        case "N": self = .n(try container.decode(String.self, forKey: key))
        case "B": self = .b(try bytes(container.decode(String.self, forKey: key)))
        case "BOOL": self = .bool(try container.decode(Bool.self, forKey: key))
        case "NULL": self = .null
        case "M": self = .m(try container.decode([String: AttributeValue].self, forKey: key))
        case "L": self = .l(try container.decode([AttributeValue].self, forKey: key))
        case "SS": self = .ss(try container.decode([String].self, forKey: key))
        case "NS": self = .ns(try container.decode([String].self, forKey: key))
        case "BS": self = .bs(try container.decode([String].self, forKey: key).map(bytes))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown attribute type \(key.stringValue.prefix(16))")
        }
    }
}
