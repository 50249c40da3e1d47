import NIOCore

/// A value that can be sent as one command argument (a RESP bulk string).
public protocol RedisArgument: Sendable {
    /// Writes `$<length>\r\n<bytes>\r\n`.
    func writeRedisArgument(into buffer: inout ByteBuffer)
}

extension RedisArgument {
    @inlinable
    static func writeBulk(_ bytes: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "$"))
        buffer.writeString(String(bytes.count))
        buffer.writeInteger(UInt16(0x0D0A))
        buffer.writeBytes(bytes)
        buffer.writeInteger(UInt16(0x0D0A))
    }
}

extension String: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { Self.writeBulk(utf8, into: &buffer) }
}

extension Substring: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { Self.writeBulk(utf8, into: &buffer) }
}

extension ByteBuffer: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { Self.writeBulk(readableBytesView, into: &buffer) }
}

extension Array: RedisArgument where Element == UInt8 {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { Self.writeBulk(self, into: &buffer) }
}

extension Int: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { String(self).writeRedisArgument(into: &buffer) }
}

extension Int64: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { String(self).writeRedisArgument(into: &buffer) }
}

extension UInt64: RedisArgument {
    public func writeRedisArgument(into buffer: inout ByteBuffer) { String(self).writeRedisArgument(into: &buffer) }
}

extension Double: RedisArgument {
    /// Redis parses scores with `strtod`, which reads `inf`/`-inf` and Swift's shortest round-trip form.
    public func writeRedisArgument(into buffer: inout ByteBuffer) {
        let text = isInfinite ? (self < 0 ? "-inf" : "+inf") : String(self)
        text.writeRedisArgument(into: &buffer)
    }
}

/// One command, encoded once as a RESP array of bulk strings when it is built.
///
/// Logs and errors name the command (`name`) but never print its arguments, which may hold secrets.
public struct RedisCommand: Sendable {
    /// How long the server may hold the reply back (`BLOCK`, `BLPOP`); such commands run on a
    /// dedicated connection so they do not stall pipelined traffic.
    public enum Blocking: Sendable, Hashable {
        case none
        case upTo(Duration)
        case indefinitely
    }

    public let name: String
    public let blocking: Blocking
    /// The encoded command, ready to write.
    public let bytes: ByteBuffer

    public init(_ name: String, _ arguments: [any RedisArgument], blocking: Blocking = .none) {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(16 + name.utf8.count + arguments.count * 16)
        buffer.writeInteger(UInt8(ascii: "*"))
        buffer.writeString(String(arguments.count + 1))
        buffer.writeInteger(UInt16(0x0D0A))
        name.writeRedisArgument(into: &buffer)
        for argument in arguments { argument.writeRedisArgument(into: &buffer) }
        self.name = name
        self.blocking = blocking
        self.bytes = buffer
    }

    public init(_ name: String, _ arguments: any RedisArgument..., blocking: Blocking = .none) {
        self.init(name, arguments, blocking: blocking)
    }
}

extension RESPValue {
    /// Writes this value in RESP3 form (tests, fake servers). RESP2 peers understand the RESP2 subset.
    public func write(into buffer: inout ByteBuffer) {
        func line(_ marker: Character, _ text: String) {
            buffer.writeString(String(marker))
            buffer.writeString(text)
            buffer.writeInteger(UInt16(0x0D0A))
        }
        func bulk(_ marker: Character, _ payload: ByteBuffer) {
            line(marker, String(payload.readableBytes))
            buffer.writeImmutableBuffer(payload)
            buffer.writeInteger(UInt16(0x0D0A))
        }
        switch self {
        case .simpleString(let text): line("+", String(buffer: text))
        case .simpleError(let text): line("-", String(buffer: text))
        case .bulkString(let payload): bulk("$", payload)
        case .bulkError(let payload): bulk("!", payload)
        case .verbatimString(let format, let text):
            var payload = ByteBuffer(string: format + ":")
            payload.writeImmutableBuffer(text)
            bulk("=", payload)
        case .integer(let value): line(":", String(value))
        case .double(let value): line(",", value.isInfinite ? (value < 0 ? "-inf" : "inf") : String(value))
        case .boolean(let value): line("#", value ? "t" : "f")
        case .bigNumber(let digits): line("(", digits)
        case .null: line("_", "")
        case .array(let elements), .set(let elements), .push(let elements):
            let marker: Character = if case .array = self { "*" } else if case .set = self { "~" } else { ">" }
            line(marker, String(elements.count))
            for element in elements { element.write(into: &buffer) }
        case .map(let entries):
            line("%", String(entries.count))
            for entry in entries {
                entry.key.write(into: &buffer)
                entry.value.write(into: &buffer)
            }
        }
    }
}
