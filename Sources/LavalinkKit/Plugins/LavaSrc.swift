import Foundation

/// LavaSrc: tracks and playlists of Spotify, Apple Music, Deezer, Yandex Music (and more) as
/// ordinary Lavalink load results. Spotify and Apple Music tracks are not played from their source;
/// the node mirrors them to a playable one (by ISRC, then by title and author). Extra metadata
/// rides in `pluginInfo`.
public enum LavaSrc {
    /// A LavaSrc source: its `sourceName`, its search prefix and the hosts of its links.
    public struct Source: Sendable, Hashable, CustomStringConvertible {
        public let sourceName: String
        public let searchPrefix: String
        /// The service's name as members know it (a brand: the same in every language).
        public let displayName: String
        let hosts: Set<String>

        public var description: String { sourceName }

        public static let spotify = Source(sourceName: "spotify", searchPrefix: "spsearch:", displayName: "Spotify", hosts: ["open.spotify.com"])
        public static let appleMusic = Source(sourceName: "applemusic", searchPrefix: "amsearch:", displayName: "Apple Music",
                                                  hosts: ["music.apple.com"])
        public static let deezer = Source(
            sourceName: "deezer", searchPrefix: "dzsearch:", displayName: "Deezer", hosts: ["deezer.com", "www.deezer.com", "deezer.page.link"])
        public static let yandexMusic = Source(
            sourceName: "yandexmusic", searchPrefix: "ymsearch:", displayName: "Yandex Music", hosts: ["music.yandex.ru", "music.yandex.com"])

        public static let all: [Source] = [.spotify, .appleMusic, .deezer, .yandexMusic]
    }

    /// The LavaSrc source a link or prefixed query belongs to (`https://open.spotify.com/track/…`,
    /// `spsearch:…`), or nil for anything else.
    public static func source(of query: String) -> Source? {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if let source = Source.all.first(where: { trimmed.hasPrefix($0.searchPrefix) }) { return source }
        guard let host = URLComponents(string: trimmed)?.host?.lowercased() else { return nil }
        return Source.all.first { $0.hosts.contains(host) }
    }

    /// What LavaSrc adds to a track's `pluginInfo`.
    public struct TrackInfo: Sendable, Hashable, Codable {
        public var albumName: String?
        public var albumArtUrl: String?
        public var artistUrl: String?
        public var artistArtworkUrl: String?
        public var previewUrl: String?
        public var isPreview: Bool?
    }

    /// What LavaSrc adds to a playlist's `pluginInfo` (also LavaSearch's albums, artists, playlists).
    public struct PlaylistInfo: Sendable, Hashable, Codable {
        public var type: PlaylistKind?
        public var url: String?
        public var artworkUrl: String?
        public var author: String?
        public var totalTracks: Int?
    }

    public enum PlaylistKind: Sendable, Hashable, Codable {
        case album, playlist, artist, recommendations
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "album": self = .album
            case "playlist": self = .playlist
            case "artist": self = .artist
            case "recommendations": self = .recommendations
            default: self = .other(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .album: "album"
            case .playlist: "playlist"
            case .artist: "artist"
            case .recommendations: "recommendations"
            case .other(let raw): raw
            }
        }

        public init(from decoder: any Decoder) throws {
            self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }
}

extension Track {
    /// LavaSrc's metadata, when the track came from LavaSrc (nil when `pluginInfo` has none of it).
    public var lavaSrc: LavaSrc.TrackInfo? {
        guard let info = pluginInfo.decoded(as: LavaSrc.TrackInfo.self),
            info.albumName != nil || info.artistUrl != nil || info.previewUrl != nil || info.isPreview != nil
        else { return nil }
        return info
    }

    /// Whether LavaSrc resolves the audio elsewhere: the track names a source that does not stream it.
    public var isMirrored: Bool { ["spotify", "applemusic"].contains(info.sourceName) }
}

extension Playlist {
    /// LavaSrc's metadata (type, url, artwork, author, total tracks), when present.
    public var lavaSrc: LavaSrc.PlaylistInfo? {
        guard let info = pluginInfo.decoded(as: LavaSrc.PlaylistInfo.self),
            info.type != nil || info.url != nil || info.totalTracks != nil
        else { return nil }
        return info
    }
}

extension JSONValue {
    /// This value read as `T` (nil when it does not have that shape).
    public func decoded<T: Decodable>(as type: T.Type) -> T? {
        guard let data = try? JSONEncoder().encode(self) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }
}
