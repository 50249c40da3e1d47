/// A Lavalink server plugin this client has typed support for. A node announces its plugins in
/// `GET /v4/info` (`plugins[].name`); calls that need one fail with `LavalinkError.Code.pluginMissing`
/// on a node without it.
public struct LavalinkPlugin: Sendable, Hashable, CustomStringConvertible {
    /// What people call it (used in error messages).
    public let displayName: String
    /// A plugin name from `/v4/info` belongs to this plugin when it contains this (lowercased):
    /// releases have used both `lavasrc` and `lavasrc-plugin`.
    let nameFragment: String

    init(_ displayName: String, _ nameFragment: String) {
        self.displayName = displayName
        self.nameFragment = nameFragment
    }

    public var description: String { displayName }

    /// Spotify, Apple Music, Deezer, Yandex Music … links and search prefixes, mirrored to a playable source.
    public static let lavaSrc = LavalinkPlugin("LavaSrc", "lavasrc")
    /// Skips SponsorBlock segments of YouTube videos; segment and chapter events.
    public static let sponsorBlock = LavalinkPlugin("SponsorBlock", "sponsorblock")
    /// `/v4/loadsearch`: tracks, albums, artists, playlists and texts in one search.
    public static let lavaSearch = LavalinkPlugin("LavaSearch", "lavasearch")
    /// `/v4/lyrics` and the player's current-track lyrics.
    public static let lavaLyrics = LavalinkPlugin("LavaLyrics", "lavalyrics")

    public static let known: [LavalinkPlugin] = [.lavaSrc, .sponsorBlock, .lavaSearch, .lavaLyrics]

    public func matches(_ plugin: NodeInfo.Plugin) -> Bool {
        plugin.name.lowercased().contains(nameFragment)
    }
}

extension NodeInfo {
    /// Whether the node runs `plugin`.
    public func has(_ plugin: LavalinkPlugin) -> Bool { plugins.contains { plugin.matches($0) } }

    /// The known plugins the node runs.
    public var knownPlugins: [LavalinkPlugin] { LavalinkPlugin.known.filter(has) }
}

extension LavalinkError {
    static func pluginMissing(_ plugin: LavalinkPlugin, node: String?) -> LavalinkError {
        LavalinkError(
            .pluginMissing,
            "the node does not run the \(plugin.displayName) plugin (it is not listed in /v4/info's plugins)",
            node: node, plugin: plugin
        )
    }
}
