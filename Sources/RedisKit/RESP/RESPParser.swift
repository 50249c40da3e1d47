import NIOCore

/// Limits that keep a hostile or broken server from exhausting memory or the stack.
public struct RESPLimits: Sendable, Hashable {
    /// Largest bulk string accepted (Redis' own `proto-max-bulk-len` default is 512 MiB).
    public var maxBulkLength: Int
    /// Largest element count of one array, set, map or push.
    public var maxAggregateCount: Int
    /// Deepest nesting of aggregates.
    public var maxDepth: Int
    /// Longest simple line (simple strings, errors, numbers) before a CRLF must appear.
    public var maxLineLength: Int

    public init(
        maxBulkLength: Int = 512 * 1024 * 1024,
        maxAggregateCount: Int = 16 * 1024 * 1024,
        maxDepth: Int = 64,
        maxLineLength: Int = 64 * 1024
    ) {
        self.maxBulkLength = maxBulkLength
        self.maxAggregateCount = maxAggregateCount
        self.maxDepth = maxDepth
        self.maxLineLength = maxLineLength
    }
}

/// Why bytes from the server are not valid RESP. The connection cannot recover from any of them.
public struct RESPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case unknownType
        case invalidLength
        case invalidNumber
        case missingTerminator
        case limitExceeded
    }

    public let code: Code
    public let detail: String

    public var description: String { "invalid RESP (\(code)): \(detail)" }
}

/// Parses one complete RESP value from the front of a buffer, without I/O.
///
/// Incomplete input yields `nil` and leaves the buffer untouched, so the caller retries when more
/// bytes arrive; a value is only consumed once it is whole.
public struct RESPParser: Sendable {
    public var limits: RESPLimits

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    public func parse(_ buffer: inout ByteBuffer) throws(RESPParseError) -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RESPParseError) -> RESPValue? {
        guard depth <= limits.maxDepth else {
            throw RESPParseError(code: .limitExceeded, detail: "nesting deeper than \(limits.maxDepth)")
        }
        guard let marker = buffer.readInteger(as: UInt8.self) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            return try readLine(&buffer).map(RESPValue.simpleString)
        case UInt8(ascii: "-"):
            return try readLine(&buffer).map(RESPValue.simpleError)
        case UInt8(ascii: ":"):
            guard let line = try readLine(&buffer) else { return nil }
            return .integer(try Self.integer(line))
        case UInt8(ascii: "$"):
            return try readBulk(&buffer).map { $0.map(RESPValue.bulkString) ?? .null }
        case UInt8(ascii: "!"):
            return try readBulk(&buffer).map { $0.map(RESPValue.bulkError) ?? .null }
        case UInt8(ascii: "="):
            guard let read = try readBulk(&buffer) else { return nil }
            guard var text = read, text.readableBytes >= 4,
                  let format = text.readString(length: 3), text.readInteger(as: UInt8.self) == UInt8(ascii: ":")
            else { throw RESPParseError(code: .invalidLength, detail: "verbatim string without a format prefix") }
            return .verbatimString(format: format, text)
        case UInt8(ascii: "_"):
            guard let line = try readLine(&buffer) else { return nil }
            guard line.readableBytes == 0 else { throw RESPParseError(code: .invalidNumber, detail: "null with content") }
            return .null
        case UInt8(ascii: "#"):
            guard let line = try readLine(&buffer) else { return nil }
            switch line.getInteger(at: line.readerIndex, as: UInt8.self) {
            case UInt8(ascii: "t") where line.readableBytes == 1: return .boolean(true)
            case UInt8(ascii: "f") where line.readableBytes == 1: return .boolean(false)
            default: throw RESPParseError(code: .invalidNumber, detail: "boolean is neither t nor f")
            }
        case UInt8(ascii: ","):
            guard let line = try readLine(&buffer) else { return nil }
            guard let value = Double(String(buffer: line)) else {
                throw RESPParseError(code: .invalidNumber, detail: "double is not a number")
            }
            return .double(value)
        case UInt8(ascii: "("):
            guard let line = try readLine(&buffer) else { return nil }
            let text = String(buffer: line)
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw RESPParseError(code: .invalidNumber, detail: "big number with non-digits")
            }
            return .bigNumber(text)
        case UInt8(ascii: "*"):
            return try readAggregate(&buffer, depth: depth, pairs: false).map { $0.map(RESPValue.array) ?? .null }
        case UInt8(ascii: "~"):
            return try readAggregate(&buffer, depth: depth, pairs: false).map { $0.map(RESPValue.set) ?? .null }
        case UInt8(ascii: ">"):
            return try readAggregate(&buffer, depth: depth, pairs: false).map { $0.map(RESPValue.push) ?? .null }
        case UInt8(ascii: "%"):
            guard let flat = try readAggregate(&buffer, depth: depth, pairs: true) else { return nil }
            guard let flat else { return .null }
            return .map(Self.pairs(flat))
        case UInt8(ascii: "|"):
            // Attributes describe the reply that follows; read them to stay in sync, then drop them.
            // Counting the attribute as a level stops a chain of attributes from recursing unbounded.
            guard try readAggregate(&buffer, depth: depth, pairs: true) != nil else { return nil }
            return try parseValue(&buffer, depth: depth + 1)
        default:
            throw RESPParseError(code: .unknownType, detail: "type byte 0x\(String(marker, radix: 16))")
        }
    }

    /// The bytes up to the next CRLF, consuming the CRLF; `nil` when no CRLF arrived yet.
    private func readLine(_ buffer: inout ByteBuffer) throws(RESPParseError) -> ByteBuffer? {
        let all = buffer.readableBytesView
        // Look no further than a legal line could reach, so garbage is rejected without a full scan.
        let view = all.prefix(limits.maxLineLength + 2)
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > limits.maxLineLength {
                throw RESPParseError(code: .limitExceeded, detail: "line longer than \(limits.maxLineLength) bytes")
            }
            return nil
        }
        let length = cr - view.startIndex
        guard length <= limits.maxLineLength else {
            throw RESPParseError(code: .limitExceeded, detail: "line longer than \(limits.maxLineLength) bytes")
        }
        guard all.count > length + 1 else { return nil }
        guard all[cr + 1] == UInt8(ascii: "\n") else {
            throw RESPParseError(code: .missingTerminator, detail: "CR not followed by LF")
        }
        let line = buffer.readSlice(length: length)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    /// A length-prefixed payload: `.some(nil)` for the RESP2 null (`-1`), `nil` when incomplete.
    private func readBulk(_ buffer: inout ByteBuffer) throws(RESPParseError) -> ByteBuffer?? {
        guard let line = try readLine(&buffer) else { return nil }
        let length = try Self.integer(line)
        if length == -1 { return .some(nil) }
        guard length >= 0 else { throw RESPParseError(code: .invalidLength, detail: "negative bulk length \(length)") }
        guard length <= limits.maxBulkLength else {
            throw RESPParseError(code: .limitExceeded, detail: "bulk of \(length) bytes exceeds \(limits.maxBulkLength)")
        }
        let count = Int(length)
        guard buffer.readableBytes >= count + 2 else { return nil }
        guard let payload = buffer.readSlice(length: count) else { return nil }
        guard buffer.readInteger(as: UInt16.self) == UInt16(0x0D0A) else {
            throw RESPParseError(code: .missingTerminator, detail: "bulk payload not followed by CRLF")
        }
        return .some(payload)
    }

    /// The elements of an aggregate (maps and attributes count pairs, so twice as many values).
    private func readAggregate(_ buffer: inout ByteBuffer, depth: Int, pairs: Bool) throws(RESPParseError) -> [RESPValue]?? {
        guard let line = try readLine(&buffer) else { return nil }
        let declared = try Self.integer(line)
        if declared == -1 { return .some(nil) }
        guard declared >= 0 else { throw RESPParseError(code: .invalidLength, detail: "negative aggregate length \(declared)") }
        guard declared <= limits.maxAggregateCount else {
            throw RESPParseError(code: .limitExceeded, detail: "aggregate of \(declared) elements exceeds \(limits.maxAggregateCount)")
        }
        let count = Int(declared) * (pairs ? 2 : 1)
        // Every element takes at least 3 bytes, so a count the buffer cannot hold yet is incomplete;
        // reserving by what arrived keeps a lying length from allocating memory up front.
        var elements: [RESPValue] = []
        elements.reserveCapacity(min(count, buffer.readableBytes / 3))
        for _ in 0..<count {
            guard let element = try parseValue(&buffer, depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return .some(elements)
    }

    private static func pairs(_ flat: [RESPValue]) -> [RESPMapEntry] {
        stride(from: 0, to: flat.count - 1, by: 2).map { RESPMapEntry(key: flat[$0], value: flat[$0 + 1]) }
    }

    /// A strict signed 64-bit decimal: optional sign, at least one digit, no overflow.
    static func integer(_ line: ByteBuffer) throws(RESPParseError) -> Int64 {
        let bytes = line.readableBytesView
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.endIndex else { throw RESPParseError(code: .invalidNumber, detail: "empty integer") }
        var value: Int64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw RESPParseError(code: .invalidNumber, detail: "integer with non-digit")
            }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw RESPParseError(code: .invalidNumber, detail: "integer overflows 64 bits") }
            value = next
            index += 1
        }
        return value
    }
}
