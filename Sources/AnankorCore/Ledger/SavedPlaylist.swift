import Foundation

/// A user's named list of tracks, stored as Lavalink-encoded tracks plus enough to show them.
public struct SavedPlaylist: Sendable, Hashable, Codable {
    public struct Track: Sendable, Hashable, Codable {
        /// Lavalink's base64 track, playable without searching again.
        public var encoded: String
        public var title: String
        public var author: String
        public var uri: String?
        public var lengthMilliseconds: Int64

        public init(encoded: String, title: String, author: String, uri: String? = nil, lengthMilliseconds: Int64) {
            self.encoded = encoded
            self.title = title
            self.author = author
            self.uri = uri
            self.lengthMilliseconds = lengthMilliseconds
        }
    }

    public var owner: UserID
    /// 1...100 characters; unique per owner regardless of case.
    public var name: String
    public var tracks: [Track]
    public var updatedAt: Date

    public static let maxTracks = 500
    public static let maxNameLength = 100
    /// An encoded Lavalink track is rarely above 1 KB; this bounds a hostile one.
    public static let maxEncodedTrackBytes = 4096

    public init(owner: UserID, name: String, tracks: [Track], updatedAt: Date) {
        self.owner = owner
        self.name = name
        self.tracks = tracks
        self.updatedAt = updatedAt
    }

    /// The case-insensitive form names are matched by.
    public static func nameKey(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public func validate() throws(LedgerError) {
        let key = Self.nameKey(name)
        guard !key.isEmpty, name.count <= Self.maxNameLength else {
            throw LedgerError(.invalidInput, "playlist name must be 1...\(Self.maxNameLength) characters")
        }
        guard tracks.count <= Self.maxTracks else {
            throw LedgerError(.invalidInput, "a playlist holds at most \(Self.maxTracks) tracks, got \(tracks.count)")
        }
        for track in tracks where track.encoded.isEmpty || track.encoded.utf8.count > Self.maxEncodedTrackBytes
            || track.title.count > 500 || track.author.count > 500 || (track.uri?.count ?? 0) > 2000
        {
            throw LedgerError(.invalidInput, "track \(track.title.prefix(40)) is empty or too large to save")
        }
    }

    public var summary: SavedPlaylistSummary {
        SavedPlaylistSummary(
            owner: owner, name: name, trackCount: tracks.count,
            totalMilliseconds: tracks.reduce(0) { $0 + max(0, $1.lengthMilliseconds) }, updatedAt: updatedAt)
    }
}

/// A playlist as listed: no tracks.
public struct SavedPlaylistSummary: Sendable, Hashable, Codable {
    public var owner: UserID
    public var name: String
    public var trackCount: Int
    public var totalMilliseconds: Int64
    public var updatedAt: Date

    public init(owner: UserID, name: String, trackCount: Int, totalMilliseconds: Int64, updatedAt: Date) {
        self.owner = owner
        self.name = name
        self.trackCount = trackCount
        self.totalMilliseconds = totalMilliseconds
        self.updatedAt = updatedAt
    }
}
