/// LavaLyrics over the catalogue. Tracks of LavaSrc's sources have timed lyrics (a line every
/// 8 s), YouTube videos plain lyrics (text only), SoundCloud tracks and streams none.
/// `emulator:track` identifiers choose with `lyrics=timed|plain|none` (default none).
extension Catalogue {
    enum LyricsKind: String { case timed, plain, none }

    static func lyricsKind(of info: TrackInfo) -> LyricsKind {
        if let special = SpecialIdentifier(info.identifier) {
            return special.parameters["lyrics"].flatMap(LyricsKind.init(rawValue:)) ?? .none
        }
        if info.isStream { return .none }
        switch info.sourceName {
        case "spotify", "applemusic", "deezer", "yandexmusic": return .timed
        case "youtube": return .plain
        default: return .none
        }
    }

    /// LavaLyrics' lyrics object for the track, or nil when it has none (the route answers 204).
    static func lyrics(of info: TrackInfo) -> JSONValue? {
        let kind = lyricsKind(of: info)
        guard kind != .none else { return nil }
        let seed = StableHash.of("lyrics:\(info.sourceName):\(info.identifier)")
        let count = Int(min(40, max(2, info.length / 8_000 - 1)))
        let lines = (0..<count).map { index -> (Int64, String) in
            let word = lyricWords[Int((seed &+ UInt64(index) &* 7) % UInt64(lyricWords.count))]
            let other = lyricWords[Int((seed / 13 &+ UInt64(index) &* 3) % UInt64(lyricWords.count))]
            return (Int64(index + 1) * 8_000, "\(word) \(other), \(info.title.lowercased())")
        }
        let source = kind == .timed ? info.sourceName : "youtube"
        let provider = kind == .timed ? "MusixMatch" : "YouTube Music"
        switch kind {
        case .timed:
            return [
                "sourceName": .string(source), "provider": .string(provider), "text": .null,
                "lines": .array(lines.map { timestamp, line in
                    ["timestamp": .int(timestamp), "duration": .null, "line": .string(line), "plugin": [:]]
                }),
                "plugin": [:],
            ]
        case .plain, .none:
            return [
                "sourceName": .string(source), "provider": .string(provider),
                "text": .string(lines.map(\.1).joined(separator: "\n")), "lines": [], "plugin": [:],
            ]
        }
    }

    private static let lyricWords = [
        "Hold on", "Midnight", "Carry me", "Golden light", "Run away", "Whisper", "Satellite", "Stay awake",
        "Neon rain", "Come home", "Paper hearts", "Follow the tide",
    ]
}
