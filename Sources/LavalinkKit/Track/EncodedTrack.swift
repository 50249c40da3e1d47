import Foundation

/// Client-side reader for lavaplayer's encoded track (the `encoded` field), so a track's metadata
/// can be shown without a REST round trip. Layout (big-endian): int32 header (flags in the top two
/// bits, message size in the low 30), version byte when flag 1 is set, title, author (Java modified
/// UTF-8 with a u16 length), length (int64), identifier, isStream (bool), uri (v2+: bool + string),
/// artworkUrl and isrc (v3+: bool + string each), sourceName, source-specific fields, position
/// (int64, the last 8 bytes).
public enum EncodedTrack {
    public static func decode(_ encoded: String) throws -> TrackInfo {
        guard let data = Data(base64Encoded: encoded) else {
            throw LavalinkError(.decoding, "encoded track is not base64")
        }
        var reader = Reader(bytes: [UInt8](data))
        let header = try reader.int32()
        let flags = UInt32(bitPattern: header) >> 30
        let size = Int(UInt32(bitPattern: header) & 0x3FFF_FFFF)
        guard size <= reader.remaining, size >= 8 else {
            throw LavalinkError(.decoding, "encoded track size \(size) does not match its \(reader.remaining) bytes")
        }
        let end = reader.offset + size
        let version = flags & 1 == 1 ? Int(try reader.byte()) : 1
        let title = try reader.utf()
        let author = try reader.utf()
        let length = try reader.int64()
        let identifier = try reader.utf()
        let isStream = try reader.byte() != 0
        let uri = version >= 2 ? try reader.optionalUTF() : nil
        let artworkUrl = version >= 3 ? try reader.optionalUTF() : nil
        let isrc = version >= 3 ? try reader.optionalUTF() : nil
        let sourceName = try reader.utf()
        guard reader.offset + 8 <= end else { throw LavalinkError(.decoding, "encoded track is truncated") }
        reader.offset = end - 8
        let position = try reader.int64()
        return TrackInfo(
            identifier: identifier, isSeekable: !isStream, author: author, length: length, isStream: isStream,
            position: position, title: title, uri: uri, artworkUrl: artworkUrl, isrc: isrc, sourceName: sourceName
        )
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var remaining: Int { bytes.count - offset }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= remaining else { throw LavalinkError(.decoding, "encoded track is truncated") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func byte() throws -> UInt8 { try take(1).first ?? 0 }

        mutating func int32() throws -> Int32 {
            Int32(bitPattern: try take(4).reduce(0) { $0 << 8 | UInt32($1) })
        }

        mutating func int64() throws -> Int64 {
            Int64(bitPattern: try take(8).reduce(0) { $0 << 8 | UInt64($1) })
        }

        mutating func optionalUTF() throws -> String? {
            try byte() != 0 ? try utf() : nil
        }

        /// Java's modified UTF-8: at most three bytes per UTF-16 unit (surrogates encoded one by one).
        mutating func utf() throws -> String {
            let count = Int(try take(2).reduce(0) { $0 << 8 | UInt16($1) })
            let raw = try take(count)
            var units: [UInt16] = []
            units.reserveCapacity(count)
            var index = raw.startIndex
            func continuation(_ at: Int) throws -> UInt16 {
                guard at < raw.endIndex, raw[at] & 0xC0 == 0x80 else {
                    throw LavalinkError(.decoding, "encoded track has malformed text")
                }
                return UInt16(raw[at] & 0x3F)
            }
            while index < raw.endIndex {
                let first = raw[index]
                if first & 0x80 == 0 {
                    units.append(UInt16(first))
                    index += 1
                } else if first & 0xE0 == 0xC0 {
                    units.append(UInt16(first & 0x1F) << 6 | (try continuation(index + 1)))
                    index += 2
                } else if first & 0xF0 == 0xE0 {
                    units.append(UInt16(first & 0x0F) << 12 | (try continuation(index + 1)) << 6 | (try continuation(index + 2)))
                    index += 3
                } else {
                    throw LavalinkError(.decoding, "encoded track has malformed text")
                }
            }
            return String(decoding: units, as: UTF16.self)
        }
    }
}
