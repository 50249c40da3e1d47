import NIOCore

extension RESPValue {
    /// The bytes of a string-like value (simple, bulk or verbatim string); `nil` otherwise.
    public var bytes: ByteBuffer? {
        switch self {
        case .simpleString(let buffer), .bulkString(let buffer), .verbatimString(_, let buffer): buffer
        default: nil
        }
    }

    /// A string-like value as UTF-8 text, or an integer/double/big number in decimal form.
    public var string: String? {
        switch self {
        case .simpleString(let buffer), .bulkString(let buffer), .verbatimString(_, let buffer): String(buffer: buffer)
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .bigNumber(let digits): digits
        default: nil
        }
    }

    /// An integer reply, or a string holding one (RESP2 sends some numbers as bulk strings).
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .simpleString(let buffer), .bulkString(let buffer): Int64(String(buffer: buffer))
        case .boolean(let value): value ? 1 : 0
        default: nil
        }
    }

    /// A double reply, or a string or integer holding one (RESP2 sends scores as bulk strings).
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        case .simpleString(let buffer), .bulkString(let buffer):
            switch String(buffer: buffer) {
            case "inf", "+inf": .infinity
            case "-inf": -.infinity
            case let text: Double(text)
            }
        default: nil
        }
    }

    /// The elements of an array, set or push.
    public var array: [RESPValue]? {
        switch self {
        case .array(let elements), .set(let elements), .push(let elements): elements
        default: nil
        }
    }

    /// Key/value pairs from a RESP3 map or a RESP2 flat array `[k1, v1, k2, v2, …]`.
    public var pairs: [RESPMapEntry]? {
        switch self {
        case .map(let entries): return entries
        case .array(let flat) where flat.count % 2 == 0:
            return stride(from: 0, to: flat.count, by: 2).map { RESPMapEntry(key: flat[$0], value: flat[$0 + 1]) }
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value under a text key of a map (RESP3) or flat pair array (RESP2).
    public subscript(field name: String) -> RESPValue? {
        pairs?.first(where: { $0.key.string == name })?.value
    }
}

/// Typed reading of replies: each throws `.unexpectedReply` naming the command when the shape is off.
struct ReplyReader {
    let command: String

    func string(_ value: RESPValue) throws(RedisError) -> String {
        guard let text = value.string else { throw .unexpected(value, command: command, expected: "a string") }
        return text
    }

    func optionalBytes(_ value: RESPValue) throws(RedisError) -> ByteBuffer? {
        if value.isNull { return nil }
        guard let bytes = value.bytes else { throw .unexpected(value, command: command, expected: "a string or null") }
        return bytes
    }

    func int(_ value: RESPValue) throws(RedisError) -> Int64 {
        guard let number = value.int else { throw .unexpected(value, command: command, expected: "an integer") }
        return number
    }

    func double(_ value: RESPValue) throws(RedisError) -> Double {
        guard let number = value.double else { throw .unexpected(value, command: command, expected: "a number") }
        return number
    }

    func array(_ value: RESPValue) throws(RedisError) -> [RESPValue] {
        guard let elements = value.array else { throw .unexpected(value, command: command, expected: "an array") }
        return elements
    }

    /// An array where RESP2 sends `null` for "nothing" (e.g. a blocking read that timed out).
    func arrayOrEmpty(_ value: RESPValue) throws(RedisError) -> [RESPValue] {
        if value.isNull { return [] }
        return try array(value)
    }

    func pairs(_ value: RESPValue) throws(RedisError) -> [RESPMapEntry] {
        guard let pairs = value.pairs else { throw .unexpected(value, command: command, expected: "a map") }
        return pairs
    }
}
