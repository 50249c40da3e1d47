import Synchronization

/// Which Lavalink plugins an emulated node runs. Each adds its routes, load results and events
/// exactly as the real plugin does; without it the node behaves as Lavalink without that plugin
/// (its routes answer 404, its links find nothing). docs/emulators/lavalink.md lists what each does
/// over the catalogue.
public struct EmulatedPlugins: Sendable, Equatable {
    /// LavaSrc: Spotify, Apple Music, Deezer and Yandex Music links and search prefixes.
    public var lavaSrc: Bool
    /// SponsorBlock: per-player categories, segment skips and chapters of YouTube tracks.
    public var sponsorBlock: Bool
    /// LavaSearch: `/v4/loadsearch` (its results come from LavaSrc's sources).
    public var lavaSearch: Bool
    /// LavaLyrics: `/v4/lyrics` and a player's current-track lyrics.
    public var lavaLyrics: Bool

    public init(lavaSrc: Bool = false, sponsorBlock: Bool = false, lavaSearch: Bool = false, lavaLyrics: Bool = false) {
        self.lavaSrc = lavaSrc
        self.sponsorBlock = sponsorBlock
        self.lavaSearch = lavaSearch
        self.lavaLyrics = lavaLyrics
    }

    /// A comma-separated list of `lavasrc`, `sponsorblock`, `lavasearch`, `lavalyrics`, or `all` or
    /// `none` (command-line options); nil when a name is unknown.
    public init?(list: String) {
        self.init()
        for name in list.lowercased().split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch name {
            case "all": self = .all
            case "none", "": break
            case "lavasrc": lavaSrc = true
            case "sponsorblock": sponsorBlock = true
            case "lavasearch": lavaSearch = true
            case "lavalyrics": lavaLyrics = true
            default: return nil
            }
        }
    }

    public static let none = EmulatedPlugins()
    public static let all = EmulatedPlugins(lavaSrc: true, sponsorBlock: true, lavaSearch: true, lavaLyrics: true)

    /// `/v4/info`'s `plugins`, with the names and versions the real plugins announce.
    var infoJSON: JSONValue {
        var plugins: [JSONValue] = []
        if lavaSrc { plugins.append(["name": "lavasrc-plugin", "version": "4.7.2"]) }
        if lavaSearch { plugins.append(["name": "lavasearch-plugin", "version": "1.0.0"]) }
        if lavaLyrics { plugins.append(["name": "lavalyrics-plugin", "version": "1.1.0"]) }
        if sponsorBlock { plugins.append(["name": "sponsorblock-plugin", "version": "3.0.1"]) }
        return .array(plugins)
    }

    /// `/v4/info`'s `sourceManagers`: LavaSrc registers its sources next to the built-in ones.
    var sourceManagers: [String] {
        ["youtube", "soundcloud"] + (lavaSrc ? ["spotify", "applemusic", "deezer", "yandexmusic"] : [])
    }

    /// The control API's shape (`GET`/`POST /_emulator/plugins`).
    var json: JSONValue {
        ["lavasrc": .bool(lavaSrc), "sponsorblock": .bool(sponsorBlock), "lavasearch": .bool(lavaSearch), "lavalyrics": .bool(lavaLyrics)]
    }

    /// Applies the members of a control API body; absent members stay as they are.
    func updated(by body: JSONValue) throws(LavalinkHTTPError) -> EmulatedPlugins {
        guard let members = body.objectValue else { throw .badRequest("the body must be a JSON object") }
        var result = self
        for (key, value) in members {
            guard let flag = value.boolValue else { throw .badRequest("\(key) must be a boolean") }
            switch key.lowercased() {
            case "lavasrc": result.lavaSrc = flag
            case "sponsorblock": result.sponsorBlock = flag
            case "lavasearch": result.lavaSearch = flag
            case "lavalyrics": result.lavaLyrics = flag
            default: throw .badRequest("unknown plugin \(key); known: lavasrc, sponsorblock, lavasearch, lavalyrics")
            }
        }
        return result
    }
}

/// The plugins a node runs right now, shared by the node and its catalogue (the control API
/// switches them while the node runs).
final class PluginSwitches: Sendable {
    private let state: Mutex<EmulatedPlugins>
    init(_ initial: EmulatedPlugins) { state = Mutex(initial) }
    var current: EmulatedPlugins { state.withLock { $0 } }
    func set(_ plugins: EmulatedPlugins) { state.withLock { $0 = plugins } }
}
