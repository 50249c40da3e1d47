import Foundation

/// A playable track as Lavalink describes it. `encoded` is Lavalink's opaque track string, which a
/// worker hands back to Lavalink unchanged; the rest is what the master shows users.
public struct Track: Sendable, Hashable, Codable {
    public var encoded: String
    public var title: String
    public var author: String
    public var lengthMs: Int64
    public var isStream: Bool
    public var uri: String?
    public var artworkURL: String?
    public var sourceName: String?

    public init(encoded: String, title: String, author: String, lengthMs: Int64, isStream: Bool = false,
                uri: String? = nil, artworkURL: String? = nil, sourceName: String? = nil) {
        self.encoded = encoded
        self.title = title
        self.author = author
        self.lengthMs = lengthMs
        self.isStream = isStream
        self.uri = uri
        self.artworkURL = artworkURL
        self.sourceName = sourceName
    }
}

/// Identifies one entry of a session's queue; stable across moves and shuffles.
public struct QueueEntryID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init() { rawValue = UUID().uuidString.lowercased() }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A track queued in a session by a member.
public struct QueueEntry: Sendable, Hashable, Codable, Identifiable {
    public var id: QueueEntryID
    public var track: Track
    public var requester: UserID
    public var addedAt: Date

    public init(id: QueueEntryID = QueueEntryID(), track: Track, requester: UserID, addedAt: Date) {
        self.id = id
        self.track = track
        self.requester = requester
        self.addedAt = addedAt
    }
}
