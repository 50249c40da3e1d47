import Foundation
import Synchronization

/// The emulator's deterministic track catalogue.
///
/// Every identifier resolves without a network: search queries and ids hash to stable titles,
/// authors and lengths, so any query gives results and the same query always gives the same ones.
/// Identifiers of the form `emulator:KIND[:NAME][?key=value&…]` select special behaviour (streams,
/// load errors, tracks that throw or get stuck mid-play); docs/emulators/lavalink.md lists them.
public struct Catalogue: Sendable {
    /// How many tracks a search returns.
    public var searchResultCount = 5
    /// Tracks a search returned, by identifier and by URI: loading one of them afterwards (a bot
    /// that lets members pick a result and plays its URL) gives that very track, as on YouTube.
    let found = FoundTracks()
    /// The plugins the node runs (LavaSrc's links and prefixes resolve only with it).
    let plugins: PluginSwitches

    public init() { self.init(plugins: PluginSwitches(.none)) }

    init(plugins: PluginSwitches) { self.plugins = plugins }

    public func load(_ identifier: String) -> LoadResult {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .empty }
        if plugins.current.lavaSrc, let result = loadLavaSrc(trimmed) { return result }
        for source in SearchSource.allCases where trimmed.hasPrefix(source.prefix) {
            return search(String(trimmed.dropFirst(source.prefix.count)), source: source)
        }
        if let special = SpecialIdentifier(trimmed) { return loadSpecial(special) }
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return loadURL(trimmed) }
        // A prefix no source on this node knows (`spsearch:` without LavaSrc) matches nothing, as
        // on Lavalink; a bare id is a YouTube video id.
        if trimmed.contains(":") { return .empty }
        return track(youtubeID: trimmed)
    }

    // MARK: Searches

    enum SearchSource: CaseIterable {
        case youtube, youtubeMusic, soundcloud

        var prefix: String {
            switch self {
            case .youtube: "ytsearch:"
            case .youtubeMusic: "ytmsearch:"
            case .soundcloud: "scsearch:"
            }
        }
    }

    private func search(_ rawQuery: String, source: SearchSource) -> LoadResult {
        let query = rawQuery.trimmingCharacters(in: .whitespacesAndNewlines)
        if query.isEmpty { return .empty }
        if let special = SpecialIdentifier(query) {
            switch special.kind {
            case "empty": return .empty
            case "load-error": return .error(Self.loadError)
            default: break
            }
        }
        let tracks = (0..<searchResultCount).compactMap { index -> Track? in
            let seed = StableHash.of("\(source.prefix)\(query)#\(index)")
            let title = "\(query) (\(Self.titleSuffixes[index % Self.titleSuffixes.count]))"
            switch source {
            case .youtube, .youtubeMusic:
                let id = StableHash.youtubeID(seed)
                let host = source == .youtubeMusic ? "music.youtube.com" : "www.youtube.com"
                let info = TrackInfo(
                    identifier: id, author: Self.author(seed), length: Self.length(seed), isStream: false,
                    title: title, uri: "https://\(host)/watch?v=\(id)",
                    artworkUrl: "https://i.ytimg.com/vi/\(id)/maxresdefault.jpg", sourceName: "youtube"
                )
                found.remember(info)
                return makeTrack(info)
            case .soundcloud:
                let info = soundcloudInfo(seed: seed, title: title)
                found.remember(info)
                return makeTrack(info)
            }
        }
        return .search(tracks)
    }

    // MARK: URLs

    private func loadURL(_ url: String) -> LoadResult {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return .empty }
        let query = components.queryItems ?? []
        func item(_ name: String) -> String? { query.first { $0.name == name }?.value.flatMap { $0.isEmpty ? nil : $0 } }
        let path = components.path
        switch host {
        case "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com":
            if path == "/playlist", let list = item("list") { return youtubePlaylist(list, selectedID: nil) }
            if path == "/watch", let id = item("v") {
                if let list = item("list") { return youtubePlaylist(list, selectedID: id) }
                return track(youtubeID: id)
            }
            return .empty
        case "youtu.be":
            let id = String(path.dropFirst())
            return id.isEmpty ? .empty : track(youtubeID: id)
        case "soundcloud.com", "www.soundcloud.com":
            let parts = path.split(separator: "/").map(String.init)
            if parts.count >= 3, parts[1] == "sets" {
                let seed = StableHash.of(url)
                let count = 3 + Int(seed % 10)
                let tracks = (0..<count).compactMap { index in
                    makeTrack(soundcloudInfo(seed: StableHash.of("\(url)#\(index)"), title: Self.title(StableHash.of("\(url)#\(index)"))))
                }
                return .playlist(name: Self.title(seed), selectedTrack: -1, tracks: tracks)
            }
            if parts.count == 2 {
                if let known = found.track(uri: url) { return makeTrack(known).map(LoadResult.track) ?? .empty }
                let seed = StableHash.of(url)
                var info = soundcloudInfo(seed: seed, title: Self.title(seed))
                info.uri = url
                return makeTrack(info).map(LoadResult.track) ?? .empty
            }
            return .empty
        default:
            // The emulator enables no http source: other URLs find nothing.
            return .empty
        }
    }

    private func youtubePlaylist(_ list: String, selectedID: String?) -> LoadResult {
        let seed = StableHash.of("playlist:\(list)")
        var ids = (0..<(3 + Int(seed % 10))).map { StableHash.youtubeID(StableHash.of("\(list)#\($0)")) }
        var selected = -1
        if let selectedID {
            if let index = ids.firstIndex(of: selectedID) { selected = index } else { ids.insert(selectedID, at: 0); selected = 0 }
        }
        let tracks = ids.compactMap { trackValue(youtubeID: $0) }
        return .playlist(name: Self.title(seed), selectedTrack: selected, tracks: tracks)
    }

    // MARK: Single tracks

    private func track(youtubeID id: String) -> LoadResult {
        trackValue(youtubeID: id).map(LoadResult.track) ?? .error(Self.loadError)
    }

    private func trackValue(youtubeID id: String) -> Track? {
        if let known = found.track(identifier: id) { return makeTrack(known) }
        let seed = StableHash.of(id)
        return makeTrack(TrackInfo(
            identifier: id, author: Self.author(seed), length: Self.length(seed), isStream: false,
            title: Self.title(seed), uri: "https://www.youtube.com/watch?v=\(id)",
            artworkUrl: "https://i.ytimg.com/vi/\(id)/maxresdefault.jpg", sourceName: "youtube"
        ))
    }

    private func soundcloudInfo(seed: UInt64, title: String) -> TrackInfo {
        let trackID = 100_000_000 + seed % 900_000_000
        let author = Self.author(seed)
        let slug = { (s: String) in s.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }
        return TrackInfo(
            identifier: "O:https://api-v2.soundcloud.com/media/soundcloud:tracks:\(trackID)/stream/progressive",
            author: author, length: Self.length(seed), isStream: false, title: title,
            uri: "https://soundcloud.com/\(slug(author))/\(slug(title))",
            artworkUrl: "https://i1.sndcdn.com/artworks-\(trackID)-large.jpg", sourceName: "soundcloud"
        )
    }

    private func loadSpecial(_ special: SpecialIdentifier) -> LoadResult {
        let seed = StableHash.of(special.raw)
        switch special.kind {
        case "empty":
            return .empty
        case "load-error":
            return .error(Self.loadError)
        case "playlist":
            let count = special.intParameter("tracks").map { max(0, min($0, 500)) } ?? (3 + Int(seed % 10))
            let name = special.name ?? Self.title(seed)
            let tracks = (0..<count).compactMap { trackValue(youtubeID: StableHash.youtubeID(StableHash.of("\(special.raw)#\($0)"))) }
            return .playlist(name: name, selectedTrack: -1, tracks: tracks)
        case "track", "stream", "exception", "stuck":
            let isStream = special.kind == "stream"
            let length = isStream ? TrackInfo.unknownLength : Int64(special.intParameter("length").map { max(1, $0) } ?? Int(Self.length(seed)))
            let info = TrackInfo(
                identifier: special.raw, author: Self.author(seed), length: length, isStream: isStream,
                title: special.name ?? Self.title(seed), uri: nil, artworkUrl: nil, sourceName: "emulator"
            )
            return makeTrack(info).map(LoadResult.track) ?? .error(Self.loadError)
        default:
            return .empty
        }
    }

    func makeTrack(_ info: TrackInfo) -> Track? {
        guard let encoded = try? LavaplayerTrackCodec.encode(info) else { return nil }
        return Track(info: info, encoded: encoded)
    }

    // MARK: Stable metadata

    static let loadError = TrackException(
        message: "This video is unavailable", severity: .common,
        cause: "com.sedmelluq.discord.lavaplayer.tools.FriendlyException: This video is unavailable"
    )

    private static let titleSuffixes = ["Official Video", "Lyrics", "Live", "Remix", "Acoustic"]
    private static let adjectives = ["Velvet", "Neon", "Quiet", "Golden", "Broken", "Electric", "Paper", "Midnight", "Silver", "Wild"]
    private static let nouns = ["Horizon", "Harbour", "Echoes", "Lanterns", "Static", "Orchard", "Satellite", "Tides", "Embers", "Avenue"]
    private static let authors = ["The Emulators", "Ada Vance", "Lavaplayer Quartet", "Mira Solis", "Northbound", "Kei Aran", "Static Bloom", "Juno Park"]

    static func title(_ seed: UInt64) -> String {
        "\(adjectives[Int(seed % 10)]) \(nouns[Int((seed / 10) % 10)])"
    }

    static func author(_ seed: UInt64) -> String { authors[Int((seed / 100) % UInt64(authors.count))] }

    /// One to six minutes, whole seconds.
    static func length(_ seed: UInt64) -> Int64 { Int64(60 + (seed / 1000) % 300) * 1000 }
}

/// `emulator:KIND[:NAME][?key=value&…]`.
struct SpecialIdentifier {
    let raw: String
    let kind: String
    let name: String?
    let parameters: [String: String]

    init?(_ identifier: String) {
        guard identifier.hasPrefix("emulator:") else { return nil }
        raw = identifier
        var rest = Substring(identifier.dropFirst("emulator:".count))
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { parameters[String(parts[0])] = String(parts[1]) }
            }
            rest = rest[..<question]
        }
        let parts = rest.split(separator: ":", maxSplits: 1)
        guard let kind = parts.first, !kind.isEmpty else { return nil }
        self.kind = String(kind)
        self.name = parts.count > 1 ? String(parts[1]) : nil
        self.parameters = parameters
    }

    func intParameter(_ key: String) -> Int? { parameters[key].flatMap { Int($0) } }
}

/// FNV-1a: stable across runs and platforms, unlike `Hasher`.
enum StableHash {
    static func of(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// An 11-character id in YouTube's alphabet.
    static func youtubeID(_ seed: UInt64) -> String {
        var value = seed
        var id = ""
        for _ in 0..<11 {
            id.append(alphabet[Int(value & 63)])
            value = value >> 6 | (value & 63) << 58
        }
        return id
    }
}

/// What searches returned lately (bounded), so a result loaded again by id or URL is the same track.
final class FoundTracks: Sendable {
    private struct Memory {
        var byIdentifier: [String: TrackInfo] = [:]
        var byURI: [String: TrackInfo] = [:]
        var order: [String] = []
    }

    static let capacity = 10_000
    private let memory = Mutex(Memory())

    func remember(_ info: TrackInfo) {
        memory.withLock { memory in
            if memory.byIdentifier.updateValue(info, forKey: info.identifier) == nil { memory.order.append(info.identifier) }
            if let uri = info.uri { memory.byURI[uri] = info }
            if memory.order.count > Self.capacity {
                let dropped = memory.order.removeFirst()
                if let uri = memory.byIdentifier.removeValue(forKey: dropped)?.uri { memory.byURI[uri] = nil }
            }
        }
    }

    func track(identifier: String) -> TrackInfo? { memory.withLock { $0.byIdentifier[identifier] } }
    func track(uri: String) -> TrackInfo? { memory.withLock { $0.byURI[uri] } }
}
