/// A playable track as Lavalink describes it: the opaque `encoded` blob plus its metadata.
public struct Track: Sendable, Hashable, Codable {
    /// Base64 of lavaplayer's track message; what a player update sends back to play it.
    public var encoded: String
    public var info: TrackInfo
    public var pluginInfo: JSONValue
    /// Whatever the client attached when it started the track; Lavalink echoes it back in events.
    public var userData: JSONValue

    public init(encoded: String, info: TrackInfo, pluginInfo: JSONValue = .emptyObject, userData: JSONValue = .emptyObject) {
        self.encoded = encoded
        self.info = info
        self.pluginInfo = pluginInfo
        self.userData = userData
    }

    enum CodingKeys: String, CodingKey { case encoded, info, pluginInfo, userData }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        encoded = try container.decode(String.self, forKey: .encoded)
        info = try container.decode(TrackInfo.self, forKey: .info)
        // Older servers omit these; treat absence as "nothing set".
        pluginInfo = try container.decodeIfPresent(JSONValue.self, forKey: .pluginInfo) ?? .emptyObject
        userData = try container.decodeIfPresent(JSONValue.self, forKey: .userData) ?? .emptyObject
    }
}

public struct TrackInfo: Sendable, Hashable, Codable {
    public var identifier: String
    public var isSeekable: Bool
    public var author: String
    /// Length in milliseconds (meaningless for streams).
    public var length: Int64
    public var isStream: Bool
    /// Position in milliseconds at the time the info was produced.
    public var position: Int64
    public var title: String
    public var uri: String?
    public var artworkUrl: String?
    public var isrc: String?
    public var sourceName: String

    public init(
        identifier: String, isSeekable: Bool, author: String, length: Int64, isStream: Bool,
        position: Int64, title: String, uri: String?, artworkUrl: String?, isrc: String?, sourceName: String
    ) {
        self.identifier = identifier
        self.isSeekable = isSeekable
        self.author = author
        self.length = length
        self.isStream = isStream
        self.position = position
        self.title = title
        self.uri = uri
        self.artworkUrl = artworkUrl
        self.isrc = isrc
        self.sourceName = sourceName
    }
}

public struct Playlist: Sendable, Hashable, Codable {
    public struct Info: Sendable, Hashable, Codable {
        public var name: String
        /// Index of the selected track, -1 when none is selected.
        public var selectedTrack: Int
    }

    public var info: Info
    public var pluginInfo: JSONValue
    public var tracks: [Track]

    enum CodingKeys: String, CodingKey { case info, pluginInfo, tracks }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        info = try container.decode(Info.self, forKey: .info)
        pluginInfo = try container.decodeIfPresent(JSONValue.self, forKey: .pluginInfo) ?? .emptyObject
        tracks = try container.decode([Track].self, forKey: .tracks)
    }

    /// The track the playlist URL pointed at, if any.
    public var selected: Track? {
        tracks.indices.contains(info.selectedTrack) ? tracks[info.selectedTrack] : nil
    }
}

/// Lavalink's exception object (load errors and `TrackExceptionEvent`).
public struct TrackException: Sendable, Hashable, Codable {
    public enum Severity: Sendable, Hashable, Codable {
        /// Known and expected cause (e.g. video unavailable).
        case common
        /// Probably outside factors (an unexpected response from a source).
        case suspicious
        /// Probably a bug, or nothing is known.
        case fault
        case other(String)

        public init(from decoder: any Decoder) throws {
            let raw = try decoder.singleValueContainer().decode(String.self)
            switch raw {
            case "common": self = .common
            case "suspicious": self = .suspicious
            case "fault": self = .fault
            default: self = .other(raw)
            }
        }

        public var rawValue: String {
            switch self {
            case .common: "common"
            case .suspicious: "suspicious"
            case .fault: "fault"
            case .other(let raw): raw
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var message: String?
    public var severity: Severity
    public var cause: String
    public var causeStackTrace: String?

    public init(message: String?, severity: Severity, cause: String, causeStackTrace: String? = nil) {
        self.message = message
        self.severity = severity
        self.cause = cause
        self.causeStackTrace = causeStackTrace
    }
}

/// The typed result of `/v4/loadtracks`.
public enum LoadResult: Sendable, Hashable {
    case track(Track)
    case playlist(Playlist)
    case search([Track])
    case empty
    case error(TrackException)
    /// A load type this client does not know (a newer server or a plugin); never a decode failure.
    case unknown(loadType: String)

    /// The tracks a caller would queue: the track, the playlist, or the search results.
    public var tracks: [Track] {
        switch self {
        case .track(let track): [track]
        case .playlist(let playlist): playlist.tracks
        case .search(let tracks): tracks
        case .empty, .error, .unknown: []
        }
    }
}

extension LoadResult: Decodable {
    enum CodingKeys: String, CodingKey { case loadType, data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let loadType = try container.decode(String.self, forKey: .loadType)
        switch loadType {
        case "track": self = .track(try container.decode(Track.self, forKey: .data))
        case "playlist": self = .playlist(try container.decode(Playlist.self, forKey: .data))
        case "search": self = .search(try container.decode([Track].self, forKey: .data))
        case "empty": self = .empty
        case "error": self = .error(try container.decode(TrackException.self, forKey: .data))
        default: self = .unknown(loadType: loadType)
        }
    }
}
