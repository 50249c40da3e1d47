import Foundation

/// Identifies one job or event. Consumers use it to recognise a redelivered message (at-least-once
/// delivery means a handler may see the same id twice and must not act twice).
public struct EnvelopeID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID
    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }
    public var description: String { rawValue.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a UUID")
        }
        rawValue = uuid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The body of an envelope: a closed set of kinds, each with a versioned schema.
public protocol EnvelopeBody: Sendable, Hashable {
    /// The schema name on the wire, e.g. `music.playback.play`.
    var kind: String { get }
    /// The schema version this body is written with.
    var version: Int { get }
    func encodePayload(to encoder: any Encoder) throws
    /// Decodes the payload of `kind` at `version`; throws `EnvelopeDecodingError` for a kind or a
    /// version this build does not know.
    static func decodePayload(kind: String, version: Int, from decoder: any Decoder) throws -> Self
}

/// A versioned payload type for one kind of job or event.
public protocol VersionedPayload: Codable, Sendable, Hashable {
    static var kind: String { get }
    /// The version this build writes.
    static var version: Int { get }
    /// The versions this build reads; anything else is dead-lettered with a reason.
    static var readableVersions: ClosedRange<Int> { get }
}

extension VersionedPayload {
    public static var readableVersions: ClosedRange<Int> { 1...version }

    /// Decodes `Self` after checking that `version` is one this build reads.
    static func decode(version: Int, from decoder: any Decoder) throws -> Self {
        guard readableVersions.contains(version) else {
            throw EnvelopeDecodingError(
                code: .unsupportedVersion,
                message: "\(kind) version \(version) is not readable by this build (reads \(readableVersions))")
        }
        return try Self(from: decoder)
    }
}

/// The wire form of every job and event: `{id, kind, v, traceparent?, tracestate?, createdAt, payload}`,
/// `createdAt` in milliseconds since 1970.
public struct Envelope<Body: EnvelopeBody>: Sendable, Hashable {
    public var id: EnvelopeID
    public var body: Body
    public var trace: TraceContext?
    public var createdAt: Date

    public init(id: EnvelopeID = EnvelopeID(), body: Body, trace: TraceContext? = nil, createdAt: Date) {
        self.id = id
        self.body = body
        self.trace = trace
        self.createdAt = createdAt
    }

    public var kind: String { body.kind }
}

extension Envelope: Codable {
    enum CodingKeys: String, CodingKey {
        case id, kind, v, traceparent, tracestate, createdAt, payload
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(EnvelopeID.self, forKey: .id)
        let kind = try container.decode(String.self, forKey: .kind)
        let version = try container.decode(Int.self, forKey: .v)
        let millis = try container.decode(Int64.self, forKey: .createdAt)
        createdAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        // A malformed trace context is dropped rather than failing the job: tracing is advisory.
        if let parent = try? container.decodeIfPresent(String.self, forKey: .traceparent) {
            trace = TraceContext(traceparent: parent,
                                 tracestate: try? container.decodeIfPresent(String.self, forKey: .tracestate))
        }
        body = try Body.decodePayload(kind: kind, version: version, from: container.superDecoder(forKey: .payload))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(body.kind, forKey: .kind)
        try container.encode(body.version, forKey: .v)
        try container.encode(Int64((createdAt.timeIntervalSince1970 * 1000).rounded()), forKey: .createdAt)
        try container.encodeIfPresent(trace?.traceparent, forKey: .traceparent)
        try container.encodeIfPresent(trace?.tracestate, forKey: .tracestate)
        // As a nested value rather than through `superEncoder`: the same JSON, and one the
        // streaming writer of `StoredJSON` can write.
        try container.encode(Payload(body: body), forKey: .payload)
    }

    private struct Payload: Encodable {
        var body: Body
        func encode(to encoder: any Encoder) throws { try body.encodePayload(to: encoder) }
    }
}

extension Envelope {
    /// The bytes that travel on the bus.
    public func encoded() throws -> Data {
        try StoredJSON.encode(self)
    }

    /// Decodes bytes from the bus. Never throws anything but `EnvelopeDecodingError`, whose message
    /// becomes the dead-letter reason.
    public static func decode(_ data: Data) throws(EnvelopeDecodingError) -> Self {
        do {
            return try JSONDecoder().decode(Self.self, from: data)
        } catch let error as EnvelopeDecodingError {
            throw error
        } catch {
            throw EnvelopeDecodingError(code: .malformed, message: "undecodable envelope: \(Self.describe(error))",
                                        underlying: error)
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: type(of: error)) }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing \(Self.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(Self.path(context.codingPath)): \(context.debugDescription.prefix(120))"
        @unknown default:
            return "decoding error"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "(root)" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Why bytes from the bus could not become an envelope; the consumer dead-letters them with this.
public struct EnvelopeDecodingError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not JSON, or a required field is missing or of the wrong type.
        case malformed
        /// A kind this build does not know (sent by a newer master or worker).
        case unknownKind
        /// A known kind at a version this build cannot read.
        case unsupportedVersion
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func unknownKind(_ kind: String) -> Self {
        Self(code: .unknownKind, message: "unknown kind \(kind.prefix(80))")
    }
}

extension EnvelopeID {
    /// The envelope id a session job travels under, derived from its id so that any master can
    /// match a worker's acknowledgement (which names the envelope) to the pending job without
    /// keeping a map: two 64-bit FNV-1a hashes of the id with different offsets.
    public init(sessionJob: SessionJobID) {
        func fnv1a(_ offset: UInt64) -> UInt64 {
            var hash = offset
            for byte in sessionJob.rawValue.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
        let high = fnv1a(0xcbf2_9ce4_8422_2325), low = fnv1a(0x8422_2325_cbf2_9ce4)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x80  // version 8: custom, name-derived
        bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 4122 variant
        self.init(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                              bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
    }
}
