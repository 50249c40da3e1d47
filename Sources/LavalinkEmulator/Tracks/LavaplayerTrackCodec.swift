import Foundation

/// Why an `encoded` track string could not be read.
public struct TrackDecodingError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Why a track cannot be written in lavaplayer's format.
public struct TrackEncodingError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// lavaplayer's track message format, the content of every `encoded` string.
///
/// A message is a big-endian int32 header (flags in the top 2 bits, body size in the low 30)
/// followed by the body: version byte (when the versioned flag is set), title, author, length,
/// identifier, isStream, then per version uri (v2+), artworkUrl and isrc (v3), sourceName,
/// source-specific fields, and the start position. Strings are Java's modified UTF-8 with a u16
/// byte length; optional strings are a bool followed by the string.
public enum LavaplayerTrackCodec {
    static let versionedFlag: UInt32 = 1
    static let currentVersion: UInt8 = 3

    /// The base64 `encoded` string for `info` at start position `position`.
    public static func encode(_ info: TrackInfo, position: Int64 = 0) throws -> String {
        Data(try encodeMessage(info, position: position)).base64EncodedString()
    }

    static func encodeMessage(_ info: TrackInfo, position: Int64) throws -> [UInt8] {
        var body = MessageWriter()
        body.bytes.append(currentVersion)
        try body.writeUTF(info.title)
        try body.writeUTF(info.author)
        body.writeInt64(info.length)
        try body.writeUTF(info.identifier)
        body.writeBool(info.isStream)
        try body.writeNullableUTF(info.uri)
        try body.writeNullableUTF(info.artworkUrl)
        try body.writeNullableUTF(info.isrc)
        try body.writeUTF(info.sourceName)
        // The emulator's sources (youtube, soundcloud) have no source-specific fields.
        body.writeInt64(position)
        var message = MessageWriter()
        message.writeUInt32(UInt32(body.bytes.count) | (versionedFlag << 30))
        message.bytes.append(contentsOf: body.bytes)
        return message.bytes
    }

    /// Reads an `encoded` string from a client. Never traps: any malformed input is an error.
    public static func decode(_ encoded: String) throws(TrackDecodingError) -> (info: TrackInfo, position: Int64) {
        guard encoded.utf8.count <= 1 << 20 else { throw TrackDecodingError(description: "encoded track is too long") }
        // Java's decoder does not insist on padding; neither do we.
        var text = encoded.trimmingCharacters(in: .whitespaces)
        if text.count % 4 != 0 { text += String(repeating: "=", count: 4 - text.count % 4) }
        guard let data = Data(base64Encoded: text) else {
            throw TrackDecodingError(description: "encoded track is not valid base64")
        }
        return try decodeMessage([UInt8](data))
    }

    static func decodeMessage(_ bytes: [UInt8]) throws(TrackDecodingError) -> (info: TrackInfo, position: Int64) {
        var header = MessageReader(bytes: bytes[...])
        let word = try header.readUInt32()
        let flags = word >> 30
        let size = Int(word & 0x3FFF_FFFF)
        guard size <= header.remaining else {
            throw TrackDecodingError(description: "track message claims \(size) bytes but has \(header.remaining)")
        }
        var body = MessageReader(bytes: header.bytes[header.offset..<header.offset + size])
        let version: UInt8 = try (flags & versionedFlag != 0 ? body.readUInt8() : 1)
        guard (1...3).contains(version) else {
            throw TrackDecodingError(description: "unsupported track message version \(version)")
        }
        let title = try body.readUTF()
        let author = try body.readUTF()
        let length = try body.readInt64()
        let identifier = try body.readUTF()
        let isStream = try body.readBool()
        let uri = version >= 2 ? try body.readNullableUTF() : nil
        let artworkUrl = version >= 3 ? try body.readNullableUTF() : nil
        let isrc = version >= 3 ? try body.readNullableUTF() : nil
        let sourceName = try body.readUTF()
        // Source-specific fields sit between the source name and the position, which is always
        // the body's last 8 bytes; skipping them lets tracks from other sources decode too.
        guard body.remaining >= 8 else { throw TrackDecodingError(description: "track message is truncated") }
        body.offset = body.bytes.endIndex - 8
        let position = try body.readInt64()
        let info = TrackInfo(
            identifier: identifier, author: author, length: length, isStream: isStream, title: title,
            uri: uri, artworkUrl: artworkUrl, isrc: isrc, sourceName: sourceName
        )
        return (info, position)
    }
}

struct MessageWriter {
    var bytes: [UInt8] = []

    mutating func writeUInt32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func writeInt64(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func writeBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Java's `DataOutput.writeUTF`: modified UTF-8 of the UTF-16 units, NUL as two bytes.
    mutating func writeUTF(_ string: String) throws {
        var encoded: [UInt8] = []
        for unit in string.utf16 {
            switch unit {
            case 0x0001...0x007F:
                encoded.append(UInt8(unit))
            case 0x0000, 0x0080...0x07FF:
                encoded.append(0xC0 | UInt8(unit >> 6))
                encoded.append(0x80 | UInt8(unit & 0x3F))
            default:
                encoded.append(0xE0 | UInt8(unit >> 12))
                encoded.append(0x80 | UInt8((unit >> 6) & 0x3F))
                encoded.append(0x80 | UInt8(unit & 0x3F))
            }
        }
        guard encoded.count <= 0xFFFF else {
            throw TrackEncodingError(description: "a track field is longer than 65535 bytes")
        }
        bytes.append(UInt8(encoded.count >> 8))
        bytes.append(UInt8(encoded.count & 0xFF))
        bytes.append(contentsOf: encoded)
    }

    mutating func writeNullableUTF(_ string: String?) throws {
        writeBool(string != nil)
        if let string { try writeUTF(string) }
    }
}

struct MessageReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    private mutating func take(_ count: Int) throws(TrackDecodingError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw TrackDecodingError(description: "track message is truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readUInt8() throws(TrackDecodingError) -> UInt8 { try take(1).first ?? 0 }

    mutating func readUInt32() throws(TrackDecodingError) -> UInt32 {
        try take(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readInt64() throws(TrackDecodingError) -> Int64 {
        Int64(bitPattern: try take(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    mutating func readBool() throws(TrackDecodingError) -> Bool { try readUInt8() != 0 }

    /// Java's `DataInput.readUTF`, rejecting malformed sequences as Java does.
    mutating func readUTF() throws(TrackDecodingError) -> String {
        let high = try readUInt8()
        let low = try readUInt8()
        let length = Int(high) << 8 | Int(low)
        let raw = try take(length)
        var units: [UInt16] = []
        units.reserveCapacity(length)
        var index = raw.startIndex
        let malformed = TrackDecodingError(description: "malformed modified UTF-8 in track message")
        while index < raw.endIndex {
            let a = UInt16(raw[index])
            switch a >> 4 {
            case 0...7:
                units.append(a)
                index += 1
            case 12, 13:
                guard index + 1 < raw.endIndex else { throw malformed }
                let b = UInt16(raw[index + 1])
                guard b & 0xC0 == 0x80 else { throw malformed }
                units.append((a & 0x1F) << 6 | (b & 0x3F))
                index += 2
            case 14:
                guard index + 2 < raw.endIndex else { throw malformed }
                let b = UInt16(raw[index + 1])
                let c = UInt16(raw[index + 2])
                guard b & 0xC0 == 0x80, c & 0xC0 == 0x80 else { throw malformed }
                units.append((a & 0x0F) << 12 | (b & 0x3F) << 6 | (c & 0x3F))
                index += 3
            default:
                throw malformed
            }
        }
        // Java strings may hold lone surrogates; Swift strings cannot, so they become U+FFFD.
        return String(decoding: units, as: UTF16.self)
    }

    mutating func readNullableUTF() throws(TrackDecodingError) -> String? {
        try (readBool() ? readUTF() : nil)
    }
}
