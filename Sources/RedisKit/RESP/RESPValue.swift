import NIOCore

/// One RESP2/RESP3 value exactly as the server sent it.
///
/// RESP2 null bulk strings and null arrays both decode to `.null`; RESP3 attributes are read and
/// dropped (no command Anankor uses asks for them).
public enum RESPValue: Sendable, Hashable {
    case simpleString(ByteBuffer)
    case simpleError(ByteBuffer)
    case bulkString(ByteBuffer)
    case bulkError(ByteBuffer)
    /// `=` in RESP3: a three-letter format (`txt`, `mkd`) and the text.
    case verbatimString(format: String, ByteBuffer)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    /// `(` in RESP3, kept as its decimal digits.
    case bigNumber(String)
    case null
    case array([RESPValue])
    case set([RESPValue])
    /// RESP3 map in the order the server sent it.
    case map([RESPMapEntry])
    /// RESP3 out-of-band push (pub/sub messages, invalidations).
    case push([RESPValue])
}

/// A key/value pair of a RESP3 map (tuples cannot be `Hashable`).
public struct RESPMapEntry: Sendable, Hashable {
    public var key: RESPValue
    public var value: RESPValue

    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// Builds a bulk string from text (tests and encoders).
    public static func bulk(_ text: String) -> RESPValue {
        .bulkString(ByteBuffer(string: text))
    }

    /// Whether this is an error reply (`-` or `!`).
    public var isError: Bool {
        switch self {
        case .simpleError, .bulkError: true
        default: false
        }
    }

    /// The text of an error reply.
    public var errorMessage: String? {
        switch self {
        case .simpleError(let buffer), .bulkError(let buffer): String(buffer: buffer)
        default: nil
        }
    }

    /// The RESP type byte's name, for error messages about unexpected replies.
    public var typeName: String {
        switch self {
        case .simpleString: "simple string"
        case .simpleError: "error"
        case .bulkString: "bulk string"
        case .bulkError: "bulk error"
        case .verbatimString: "verbatim string"
        case .integer: "integer"
        case .double: "double"
        case .boolean: "boolean"
        case .bigNumber: "big number"
        case .null: "null"
        case .array: "array"
        case .set: "set"
        case .map: "map"
        case .push: "push"
        }
    }
}
