import Foundation

/// How autoplay picks what comes after the queue runs out.
public enum AutoplayMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Tracks like the last one: the source's own recommendations (a YouTube mix, LavaSrc's
    /// `sprec:`/`dzrec:` recommendations), else a search for its title and author.
    case similar
    /// More by the last track's artist.
    case artist
    /// Alternates: similar, then artist, then similar …
    case mixed

    /// The strategy of the `turn`th autoplay pick of a session (0-based): `mixed` alternates,
    /// the others are themselves.
    public func strategy(turn: Int) -> AutoplayMode {
        self == .mixed ? (turn % 2 == 0 ? .similar : .artist) : self
    }
}

/// The pure part of autoplay: what to ask Lavalink for, and which of its answers to take.
/// `AutoplayQuery.choose` never repeats what played recently; the caller loads `identifiers` in
/// order until `pick` returns a track.
public struct AutoplayQuery: Sendable, Hashable {
    /// Lavalink identifiers to load, best first (the next one is a fallback when a load finds
    /// nothing new).
    public var identifiers: [String]
    /// Which strategy this turn used (`mixed` resolves to one of the others).
    public var strategy: AutoplayMode

    /// What to search after `last`. `recent` are the encodings of recently played tracks, newest
    /// last; in `mixed` mode their count decides the turn, so consecutive turns alternate.
    public static func choose(mode: AutoplayMode, last: Track, recent: [String]) -> AutoplayQuery {
        let strategy: AutoplayMode = switch mode {
        case .similar, .artist: mode
        case .mixed: recent.count % 2 == 0 ? .similar : .artist
        }
        let search = SearchSource(of: last)
        let author = clean(last.author)
        let title = clean(last.title)
        var identifiers: [String] = []
        switch strategy {
        case .similar, .mixed:
            if let recommendations = recommendations(for: last) { identifiers.append(recommendations) }
            identifiers.append("\(search.prefix)\([author, title].filter { !$0.isEmpty }.joined(separator: " "))")
            if !author.isEmpty { identifiers.append("\(search.prefix)\(author)") }
        case .artist:
            if !author.isEmpty { identifiers.append("\(search.prefix)\(author)") }
            identifiers.append("\(search.prefix)\([author, title].filter { !$0.isEmpty }.joined(separator: " "))")
        }
        return AutoplayQuery(identifiers: deduplicated(identifiers), strategy: strategy)
    }

    /// The first candidate that is neither `last` nor recently played (by encoding, link or the
    /// same title and author — a re-upload of the same song counts as the same); nil when every
    /// candidate is.
    public static func pick(from candidates: [Track], last: Track, recent: [String]) -> Track? {
        let recentSet = Set(recent).union([last.encoded])
        let lastKey = songKey(last)
        return candidates.first { candidate in
            !recentSet.contains(candidate.encoded)
                && (candidate.uri == nil || candidate.uri != last.uri)
                && songKey(candidate) != lastKey
        }
    }

    /// The first candidate that is neither `last` nor any of `recent` (the session's recently
    /// played tracks), compared by encoding, link and song (title and author without notes).
    public static func pick(from candidates: [Track], last: Track, recent: [Track]) -> Track? {
        let played = recent + [last]
        let encodings = Set(played.map(\.encoded))
        let links = Set(played.compactMap(\.uri))
        let songs = Set(played.map(songKey))
        return candidates.first { candidate in
            !encodings.contains(candidate.encoded) && !(candidate.uri.map(links.contains) ?? false)
                && !songs.contains(songKey(candidate))
        }
    }

    // MARK: Sources

    private struct SearchSource {
        var prefix: String

        init(of track: Track) {
            switch track.sourceName?.lowercased() {
            case "spotify": prefix = "spsearch:"
            case "applemusic": prefix = "amsearch:"
            case "deezer": prefix = "dzsearch:"
            case "yandexmusic": prefix = "ymsearch:"
            case "soundcloud": prefix = "scsearch:"
            default: prefix = "ytsearch:"
            }
        }
    }

    /// The source's own recommendations for the track, when it has them and the id is known.
    static func recommendations(for track: Track) -> String? {
        guard let uri = track.uri, let components = URLComponents(string: uri) else { return nil }
        let parts = components.path.split(separator: "/").map(String.init)
        switch (track.sourceName?.lowercased(), components.host?.lowercased()) {
        case ("youtube", let host?) where host.hasSuffix("youtube.com"):
            guard let id = components.queryItems?.first(where: { $0.name == "v" })?.value, !id.isEmpty else { return nil }
            // YouTube's "mix" of a video: a playlist of related videos.
            return "https://www.youtube.com/watch?v=\(id)&list=RD\(id)"
        case ("spotify", _):
            guard let index = parts.firstIndex(of: "track"), parts.indices.contains(index + 1) else { return nil }
            return "sprec:seed_tracks=\(parts[index + 1])"
        case ("deezer", _):
            guard let index = parts.firstIndex(of: "track"), parts.indices.contains(index + 1) else { return nil }
            return "dzrec:\(parts[index + 1])"
        default:
            return nil
        }
    }

    // MARK: Text

    /// Words that make a search find the same upload again rather than related songs.
    private static let noise = ["official video", "official music video", "official audio", "lyrics", "lyric video",
                                "audio", "hd", "4k", "remastered", "live"]

    /// The title or author without bracketed notes (`(Official Video)`, `[Lyrics]`) and `- Topic`.
    static func clean(_ text: String) -> String {
        var result = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: if depth == 0 { result.append(character) }
            }
        }
        if result.hasSuffix(" - Topic") { result.removeLast(" - Topic".count) }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Title and author, lowercased and without notes: two uploads of one song compare equal.
    static func songKey(_ track: Track) -> String {
        var title = clean(track.title).lowercased()
        for word in noise where title.hasSuffix(" - \(word)") { title.removeLast(" - \(word)".count) }
        return "\(clean(track.author).lowercased())|\(title)"
    }

    private static func deduplicated(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
