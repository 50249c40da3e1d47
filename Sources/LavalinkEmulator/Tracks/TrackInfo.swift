/// Lavalink's `TrackInfo`: what a track is, independent of any player.
public struct TrackInfo: Sendable, Equatable, Hashable {
    public var identifier: String
    public var author: String
    /// Milliseconds; streams report `Int64.max`, as lavaplayer's "unknown duration".
    public var length: Int64
    public var isStream: Bool
    public var title: String
    public var uri: String?
    public var artworkUrl: String?
    public var isrc: String?
    public var sourceName: String

    /// lavaplayer's value for a duration it cannot know (live streams).
    public static let unknownLength = Int64.max

    public init(
        identifier: String, author: String, length: Int64, isStream: Bool, title: String,
        uri: String? = nil, artworkUrl: String? = nil, isrc: String? = nil, sourceName: String
    ) {
        self.identifier = identifier
        self.author = author
        self.length = length
        self.isStream = isStream
        self.title = title
        self.uri = uri
        self.artworkUrl = artworkUrl
        self.isrc = isrc
        self.sourceName = sourceName
    }

    /// Lavaplayer's tracks are seekable exactly when they are not live streams.
    public var isSeekable: Bool { !isStream }

    /// The wire shape, with `position` the given playback position (0 outside a player).
    func json(position: Int64) -> JSONValue {
        [
            "identifier": .string(identifier),
            "isSeekable": .bool(isSeekable),
            "author": .string(author),
            "length": .int(length),
            "isStream": .bool(isStream),
            "position": .int(position),
            "title": .string(title),
            "uri": .optional(uri),
            "artworkUrl": .optional(artworkUrl),
            "isrc": .optional(isrc),
            "sourceName": .string(sourceName),
        ]
    }
}

/// A loadable track: its info plus the `encoded` string clients hand back to play it.
public struct Track: Sendable, Equatable {
    public var info: TrackInfo
    public var encoded: String
    /// Free-form JSON the client attached when playing (echoed in events and the player).
    public var userData: JSONValue
    /// What plugins add (LavaSrc's album and artist fields); `{}` for plain tracks.
    public var pluginInfo: JSONValue

    public init(info: TrackInfo, encoded: String, userData: JSONValue = [:], pluginInfo: JSONValue = [:]) {
        self.info = info
        self.encoded = encoded
        self.userData = userData
        self.pluginInfo = pluginInfo
    }

    /// Lavalink's `Track` object; `pluginInfo` and `userData` are always present.
    func json(position: Int64 = 0) -> JSONValue {
        [
            "encoded": .string(encoded),
            "info": info.json(position: position),
            "pluginInfo": pluginInfo,
            "userData": userData,
        ]
    }
}
