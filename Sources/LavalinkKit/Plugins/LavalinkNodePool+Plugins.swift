/// Plugin calls through the pool: searches and track lyrics go to a connected node that runs the
/// plugin; player calls go to the node of the guild's player. A call no node can serve fails with
/// `.pluginMissing`, so a caller can tell "this feature is not installed" from "it failed".
extension LavalinkNodePool {
    /// The connected nodes that run `plugin`, best (lowest penalty) first.
    public func connectedNodes(with plugin: LavalinkPlugin) async -> [LavalinkNode] {
        var found: [LavalinkNode] = []
        for node in nodes {
            guard await node.status.isAvailable, await node.has(plugin) else { continue }
            found.append(node)
        }
        return found.sorted { penalty(of: $0.name).total < penalty(of: $1.name).total }
    }

    /// LavaSearch: nil when nothing was found.
    public func loadSearch(_ query: String, types: [LavaSearch.ResultType]) async throws -> LavaSearch.Result? {
        guard let node = await connectedNodes(with: .lavaSearch).first else { throw await missing(.lavaSearch) }
        return try await node.rest.loadSearch(query, types: types)
    }

    /// LavaLyrics: lyrics of an encoded track; nil when none were found.
    public func lyrics(encodedTrack: String, skipTrackSource: Bool = false) async throws -> Lyrics? {
        guard let node = await connectedNodes(with: .lavaLyrics).first else { throw await missing(.lavaLyrics) }
        return try await node.rest.lyrics(encodedTrack: encodedTrack, skipTrackSource: skipTrackSource)
    }

    /// LavaLyrics on the node of the guild's player: lyrics of what it plays; nil when none were found.
    public func currentTrackLyrics(guildId: String, skipTrackSource: Bool = false) async throws -> Lyrics? {
        let (node, sessionId) = try await playerNode(guildId: guildId, needing: .lavaLyrics)
        return try await node.rest.currentTrackLyrics(sessionId: sessionId, guildId: guildId, skipTrackSource: skipTrackSource)
    }

    /// SponsorBlock on the node of the guild's player: the categories it skips from now on. A player
    /// moved to another node starts without them; set them again after a move.
    public func setSponsorBlockCategories(guildId: String, _ categories: [SponsorBlock.Category]) async throws {
        let (node, sessionId) = try await playerNode(guildId: guildId, needing: .sponsorBlock)
        try await node.rest.setSponsorBlockCategories(sessionId: sessionId, guildId: guildId, categories)
    }

    public func sponsorBlockCategories(guildId: String) async throws -> [SponsorBlock.Category]? {
        let (node, sessionId) = try await playerNode(guildId: guildId, needing: .sponsorBlock)
        return try await node.rest.sponsorBlockCategories(sessionId: sessionId, guildId: guildId)
    }

    private func playerNode(guildId: String, needing plugin: LavalinkPlugin) async throws -> (LavalinkNode, String) {
        guard let name = snapshot(guildId: guildId)?.node, let node = node(named: name) else {
            throw LavalinkError(.notConnected, "guild \(guildId) has no player on a connected node")
        }
        try await node.require(plugin)
        return (node, try await node.requireSession())
    }

    /// `.pluginMissing` when no node runs the plugin; `.noNodeAvailable` when the ones that do are down.
    private func missing(_ plugin: LavalinkPlugin) async -> LavalinkError {
        for node in nodes where await node.info?.has(plugin) == true {
            return LavalinkError(.noNodeAvailable, "no node running the \(plugin.displayName) plugin is connected", plugin: plugin)
        }
        return LavalinkError.pluginMissing(plugin, node: nil)
    }
}
