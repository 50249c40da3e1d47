/// LavaSearch: `GET /v4/loadsearch?query=…&types=…` returns tracks, albums, artists, playlists and
/// texts at once. Albums, artists and playlists are playlist objects without tracks; load their
/// `pluginInfo.url` (LavaSrc) with `/v4/loadtracks` to get the tracks.
public enum LavaSearch {
    public enum ResultType: String, Sendable, Hashable, CaseIterable {
        case track, album, artist, playlist, text
    }

    public struct Text: Sendable, Hashable, Codable {
        public var text: String
        public var plugin: JSONValue

        enum CodingKeys: String, CodingKey { case text, plugin }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
            plugin = try container.decodeIfPresent(JSONValue.self, forKey: .plugin) ?? .emptyObject
        }
    }

    /// Only the requested types are present on the wire; absent ones read as empty.
    public struct Result: Sendable, Hashable, Decodable {
        public var tracks: [Track]
        public var albums: [Playlist]
        public var artists: [Playlist]
        public var playlists: [Playlist]
        public var texts: [Text]
        public var plugin: JSONValue

        enum CodingKeys: String, CodingKey { case tracks, albums, artists, playlists, texts, plugin }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tracks = try container.decodeIfPresent([Track].self, forKey: .tracks) ?? []
            albums = try container.decodeIfPresent([Playlist].self, forKey: .albums) ?? []
            artists = try container.decodeIfPresent([Playlist].self, forKey: .artists) ?? []
            playlists = try container.decodeIfPresent([Playlist].self, forKey: .playlists) ?? []
            texts = try container.decodeIfPresent([Text].self, forKey: .texts) ?? []
            plugin = try container.decodeIfPresent(JSONValue.self, forKey: .plugin) ?? .emptyObject
        }

        /// Albums, artists or playlists by type (tracks and texts are not playlists).
        public func collections(_ type: ResultType) -> [Playlist] {
            switch type {
            case .album: albums
            case .artist: artists
            case .playlist: playlists
            case .track, .text: []
            }
        }
    }
}
