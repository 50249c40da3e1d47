import Foundation

/// LavaSrc over the catalogue: links and search prefixes of Spotify, Apple Music, Deezer and Yandex
/// Music resolve to stable tracks, albums, playlists and artists (ids hash to titles, authors,
/// lengths and ISRCs, as the rest of the catalogue does). Their tracks keep their own source name,
/// as LavaSrc's do, and play on the node (LavaSrc mirrors them to a playable source).
extension Catalogue {
    enum LavaSrcSource: String, CaseIterable {
        case spotify, applemusic, deezer, yandexmusic

        var searchPrefix: String {
            switch self {
            case .spotify: "spsearch:"
            case .applemusic: "amsearch:"
            case .deezer: "dzsearch:"
            case .yandexmusic: "ymsearch:"
            }
        }

        /// A stable id in the source's format for a seed.
        func id(_ seed: UInt64) -> String {
            switch self {
            case .spotify:
                let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                var value = seed
                var id = ""
                for index in 0..<22 {
                    if value == 0 { value = StableHash.of("\(seed)#\(index)") }
                    id.append(alphabet[Int(value % 62)])
                    value /= 62
                }
                return id
            case .applemusic: return String(1_000_000_000 + seed % 900_000_000)
            case .deezer: return String(100_000_000 + seed % 900_000_000)
            case .yandexmusic: return String(10_000_000 + seed % 90_000_000)
            }
        }

        func url(_ kind: LavaSrcKind, _ id: String) -> String {
            switch (self, kind) {
            case (.spotify, _): "https://open.spotify.com/\(kind.rawValue)/\(id)"
            case (.applemusic, .track): "https://music.apple.com/us/song/\(id)"
            case (.applemusic, _): "https://music.apple.com/us/\(kind.rawValue)/\(id)"
            case (.deezer, _): "https://www.deezer.com/\(kind.rawValue)/\(id)"
            case (.yandexmusic, .playlist): "https://music.yandex.ru/users/emulator/playlists/\(id)"
            case (.yandexmusic, _): "https://music.yandex.ru/\(kind.rawValue)/\(id)"
            }
        }
    }

    enum LavaSrcKind: String { case track, album, playlist, artist }

    /// The LavaSrc result for `identifier`, or nil when it is no LavaSrc link or prefix.
    func loadLavaSrc(_ identifier: String) -> LoadResult? {
        for source in LavaSrcSource.allCases where identifier.hasPrefix(source.searchPrefix) {
            let query = identifier.dropFirst(source.searchPrefix.count).trimmingCharacters(in: .whitespaces)
            if query.isEmpty || query == "emulator:empty" { return .empty }
            return .search(lavaSrcSearch(query, source: source))
        }
        if let recommendations = lavaSrcRecommendations(identifier) { return recommendations }
        guard let (source, kind, id) = Self.parseLavaSrcLink(identifier) else { return nil }
        switch kind {
        case .track:
            if let known = found.track(identifier: id), known.sourceName == source.rawValue {
                return makeLavaSrcTrack(known).map(LoadResult.track) ?? .empty
            }
            return lavaSrcTrack(source, id: id).map(LoadResult.track) ?? .empty
        case .album, .playlist, .artist:
            let collection = lavaSrcCollection(source, kind, id: id)
            return .playlist(name: collection.name, selectedTrack: -1, tracks: collection.tracks,
                             pluginInfo: collection.pluginInfo)
        }
    }

    /// Which source, kind and id a link names. Accepts the forms LavaSrc documents, including
    /// Spotify's regional `intl-xx` paths and Apple Music album links with `?i=` (one song).
    static func parseLavaSrcLink(_ link: String) -> (LavaSrcSource, LavaSrcKind, String)? {
        guard let components = URLComponents(string: link), let host = components.host?.lowercased() else { return nil }
        var parts = components.path.split(separator: "/").map(String.init)
        switch host {
        case "open.spotify.com":
            if parts.first?.hasPrefix("intl-") == true { parts.removeFirst() }
            guard parts.count >= 2, let kind = LavaSrcKind(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
            return (.spotify, kind, parts[1])
        case "music.apple.com":
            // /{country}/{kind}/[{slug}/]{id}
            guard parts.count >= 3, let id = parts.last, !id.isEmpty else { return nil }
            if parts[1] == "album", let song = components.queryItems?.first(where: { $0.name == "i" })?.value, !song.isEmpty {
                return (.applemusic, .track, song)
            }
            switch parts[1] {
            case "song": return (.applemusic, .track, id)
            case "album": return (.applemusic, .album, id)
            case "playlist": return (.applemusic, .playlist, id)
            case "artist": return (.applemusic, .artist, id)
            default: return nil
            }
        case "deezer.com", "www.deezer.com":
            if let first = parts.first, first.count == 2, parts.count > 2 { parts.removeFirst() }  // /en/track/…
            guard parts.count >= 2, let kind = LavaSrcKind(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
            return (.deezer, kind, parts[1])
        case "music.yandex.ru", "music.yandex.com":
            if parts.count >= 4, parts[0] == "album", parts[2] == "track" { return (.yandexmusic, .track, parts[3]) }
            if parts.count >= 4, parts[0] == "users", parts[2] == "playlists" { return (.yandexmusic, .playlist, parts[3]) }
            guard parts.count >= 2, let kind = LavaSrcKind(rawValue: parts[0]), kind != .playlist else { return nil }
            return (.yandexmusic, kind, parts[1])
        default:
            return nil
        }
    }

    private func lavaSrcSearch(_ query: String, source: LavaSrcSource) -> [Track] {
        (0..<searchResultCount).compactMap { index -> Track? in
            let seed = StableHash.of("\(source.searchPrefix)\(query)#\(index)")
            var info = lavaSrcInfo(source, id: source.id(seed))
            info.title = "\(query) (\(Self.lavaSrcTitleSuffixes[index % Self.lavaSrcTitleSuffixes.count]))"
            found.remember(info)
            return makeLavaSrcTrack(info)
        }
    }

    /// LavaSrc's recommendations (`sprec:seed_tracks=…`, `dzrec:<track id>`): a playlist of
    /// related tracks of that source, with `pluginInfo.type` `recommendations`.
    private func lavaSrcRecommendations(_ identifier: String) -> LoadResult? {
        let prefixes: [(prefix: String, source: LavaSrcSource, name: String)] = [
            ("sprec:", .spotify, "Spotify Recommendations"), ("dzrec:", .deezer, "Deezer Recommendations"),
        ]
        guard let match = prefixes.first(where: { identifier.hasPrefix($0.prefix) }) else { return nil }
        let seed = identifier.dropFirst(match.prefix.count).trimmingCharacters(in: .whitespaces)
        if seed.isEmpty { return .empty }
        let tracks = (0..<searchResultCount).compactMap { index -> Track? in
            let info = lavaSrcInfo(match.source, id: match.source.id(StableHash.of("\(match.prefix)\(seed)#\(index)")))
            found.remember(info)
            return makeLavaSrcTrack(info)
        }
        return .playlist(name: match.name, selectedTrack: -1, tracks: tracks, pluginInfo: [
            "type": "recommendations", "url": .null, "artworkUrl": .null, "author": .null,
            "totalTracks": .int(Int64(tracks.count)),
        ])
    }

    func lavaSrcTrack(_ source: LavaSrcSource, id: String) -> Track? {
        makeLavaSrcTrack(lavaSrcInfo(source, id: id))
    }

    private func lavaSrcInfo(_ source: LavaSrcSource, id: String) -> TrackInfo {
        let seed = StableHash.of("\(source.rawValue):track:\(id)")
        return TrackInfo(
            identifier: id, author: Self.author(seed), length: Self.length(seed), isStream: false,
            title: Self.title(seed), uri: source.url(.track, id),
            artworkUrl: "https://artwork.emulator.invalid/\(source.rawValue)/\(id).jpg",
            isrc: Self.isrc(seed), sourceName: source.rawValue
        )
    }

    /// A LavaSrc track with its `pluginInfo` (album, artist, preview), derived from its id.
    func makeLavaSrcTrack(_ info: TrackInfo) -> Track? {
        guard var track = makeTrack(info) else { return nil }
        track.pluginInfo = lavaSrcPluginInfo(info) ?? [:]
        return track
    }

    /// LavaSrc's track `pluginInfo` for a track of one of its sources; nil for other tracks.
    func lavaSrcPluginInfo(_ info: TrackInfo) -> JSONValue? {
        guard let source = LavaSrcSource(rawValue: info.sourceName) else { return nil }
        let seed = StableHash.of("\(source.rawValue):track:\(info.identifier)")
        let albumID = source.id(StableHash.of("album-of:\(seed)"))
        let artistID = source.id(StableHash.of("artist:\(info.author)"))
        return [
            "albumName": .string(Self.title(StableHash.of("\(source.rawValue):album:\(albumID)"))),
            "albumUrl": .string(source.url(.album, albumID)),
            "albumArtUrl": .string("https://artwork.emulator.invalid/\(source.rawValue)/album-\(albumID).jpg"),
            "artistUrl": .string(source.url(.artist, artistID)),
            "artistArtworkUrl": .string("https://artwork.emulator.invalid/\(source.rawValue)/artist-\(artistID).jpg"),
            "previewUrl": .string("https://preview.emulator.invalid/\(source.rawValue)/\(info.identifier).mp3"),
            "isPreview": false,
        ]
    }

    struct LavaSrcCollection {
        var name: String
        var tracks: [Track]
        var pluginInfo: JSONValue
    }

    /// An album, playlist or artist: its name, tracks and LavaSrc's playlist `pluginInfo`.
    func lavaSrcCollection(_ source: LavaSrcSource, _ kind: LavaSrcKind, id: String) -> LavaSrcCollection {
        let seed = StableHash.of("\(source.rawValue):\(kind.rawValue):\(id)")
        let author = Self.author(seed)
        let count = kind == .artist ? 5 : 3 + Int(seed % 8)
        let name = kind == .artist ? "\(author)'s Top Tracks" : Self.title(seed)
        let tracks = (0..<count).compactMap { index -> Track? in
            var info = lavaSrcInfo(source, id: source.id(StableHash.of("\(seed)#\(index)")))
            if kind != .playlist { info.author = author }
            return makeLavaSrcTrack(info)
        }
        return LavaSrcCollection(name: name, tracks: tracks, pluginInfo: [
            "type": .string(kind.rawValue),
            "url": .string(source.url(kind, id)),
            "artworkUrl": .string("https://artwork.emulator.invalid/\(source.rawValue)/\(kind.rawValue)-\(id).jpg"),
            "author": .string(author),
            "totalTracks": .int(Int64(count)),
        ])
    }

    /// An ISRC in the standard shape (country, registrant, year, designation).
    static func isrc(_ seed: UInt64) -> String {
        "QZEMU" + String(format: "%02d", Int(seed % 30)) + String(format: "%05d", Int((seed / 30) % 100_000))
    }

    private static let lavaSrcTitleSuffixes = ["Single", "Album Version", "Live", "Remastered", "Radio Edit"]
}
