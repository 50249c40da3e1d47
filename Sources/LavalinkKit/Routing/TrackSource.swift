import Foundation

/// The source a load or a track belongs to, named as Lavalink names its source managers
/// (`sourceName` of a track): `youtube`, `soundcloud`, `bandcamp`, `twitch`, `vimeo`, `http`,
/// `spotify`, `applemusic`, `deezer`, `yandexmusic`, … A breaker is kept per node and source.
public enum TrackSource {
    /// Search prefixes and the source that answers them.
    static let searchPrefixes: [(prefix: String, source: String)] = [
        ("ytsearch", "youtube"), ("ytmsearch", "youtube"), ("scsearch", "soundcloud"), ("bcsearch", "bandcamp"),
        ("spsearch", "spotify"), ("sprec", "spotify"), ("amsearch", "applemusic"), ("dzsearch", "deezer"),
        ("dzisrc", "deezer"), ("dzrec", "deezer"), ("ymsearch", "yandexmusic"), ("ymrec", "yandexmusic"),
    ]

    /// Link hosts (without `www.`/`m.`) and their source.
    static let hosts: [(host: String, source: String)] = [
        ("youtube.com", "youtube"), ("music.youtube.com", "youtube"), ("youtu.be", "youtube"),
        ("soundcloud.com", "soundcloud"), ("on.soundcloud.com", "soundcloud"), ("bandcamp.com", "bandcamp"),
        ("twitch.tv", "twitch"), ("vimeo.com", "vimeo"), ("open.spotify.com", "spotify"), ("spotify.link", "spotify"),
        ("music.apple.com", "applemusic"), ("deezer.com", "deezer"), ("deezer.page.link", "deezer"),
        ("music.yandex.ru", "yandexmusic"), ("music.yandex.com", "yandexmusic"),
    ]

    /// Prefixes that name a source themselves (`emulator:track:x` is the Lavalink emulator's).
    static let plainPrefixes: Set<String> = ["emulator", "local"]

    /// The source a `/v4/loadtracks` identifier goes to: its search prefix, its link's host
    /// (`http` for other links), `emulator`/`local` prefixes, `other` for any other prefix, and
    /// YouTube for a bare id (Lavalink's default). The result is one of a fixed set, so it can
    /// key breakers and label metrics whatever members type.
    public static func of(identifier: String) -> String {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let host = URLComponents(string: trimmed)?.host?.lowercased() else { return "http" }
            return source(ofHost: host) ?? "http"
        }
        if let colon = lowered.firstIndex(of: ":") {
            let prefix = String(lowered[..<colon])
            if let known = searchPrefixes.first(where: { $0.prefix == prefix }) { return known.source }
            if plainPrefixes.contains(prefix) { return prefix }
            if !prefix.isEmpty, prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { return "other" }
        }
        return "youtube"
    }

    /// The source of an encoded track (its `sourceName`), nil when it cannot be decoded.
    public static func of(encodedTrack: String) -> String? {
        guard let info = try? EncodedTrack.decode(encodedTrack), !info.sourceName.isEmpty else { return nil }
        return info.sourceName.lowercased()
    }

    static func source(ofHost host: String) -> String? {
        var host = host
        for prefix in ["www.", "m."] where host.hasPrefix(prefix) { host = String(host.dropFirst(prefix.count)) }
        if let exact = hosts.first(where: { $0.host == host }) { return exact.source }
        // Subdomains (artist.bandcamp.com, www.deezer.com/…).
        return hosts.first { host.hasSuffix("." + $0.host) }?.source
    }
}
