import NIOCore

/// The plugins' REST routes. These calls do not check `/v4/info` first: on a node without the
/// plugin they fail with HTTP 404. `LavalinkNode` and `LavalinkNodePool` check and fail with
/// `.pluginMissing` instead.
extension LavalinkREST {
    // MARK: LavaSearch

    /// `GET /v4/loadsearch`: nil when nothing was found (HTTP 204).
    public func loadSearch(_ query: String, types: [LavaSearch.ResultType]) async throws -> LavaSearch.Result? {
        guard !types.isEmpty else { throw LavalinkError(.invalidRequest, "a search needs at least one result type", node: nodeName) }
        let buffer = try await send(.GET, "/v4/loadsearch", query: [
            "query": query, "types": types.map(\.rawValue).joined(separator: ","),
        ])
        return buffer.readableBytes == 0 ? nil : try await decode(buffer)
    }

    // MARK: SponsorBlock

    private func categoriesPath(_ sessionId: String, _ guildId: String) -> String {
        playerPath(sessionId, guildId) + "/sponsorblock/categories"
    }

    /// The categories the node skips for the guild's player; nil when none were set (the plugin
    /// answers 404 "Guild not found" then).
    public func sponsorBlockCategories(sessionId: String, guildId: String) async throws -> [SponsorBlock.Category]? {
        do {
            return try await decode(try await send(.GET, categoriesPath(sessionId, guildId)))
        } catch let error as LavalinkError where error.status == 404 && error.serverBody?.message != "Session not found" {
            return nil
        }
    }

    /// Sets the categories the node skips for the guild (an empty list skips nothing).
    public func setSponsorBlockCategories(sessionId: String, guildId: String, _ categories: [SponsorBlock.Category]) async throws {
        _ = try await send(.PUT, categoriesPath(sessionId, guildId), body: categories)
    }

    public func deleteSponsorBlockCategories(sessionId: String, guildId: String) async throws {
        _ = try await send(.DELETE, categoriesPath(sessionId, guildId))
    }

    // MARK: LavaLyrics

    /// Lyrics of the track the guild's player is playing; nil when none were found (HTTP 204).
    /// Fails with HTTP 404 when the player plays nothing.
    public func currentTrackLyrics(sessionId: String, guildId: String, skipTrackSource: Bool = false) async throws -> Lyrics? {
        let buffer = try await send(.GET, playerPath(sessionId, guildId) + "/track/lyrics",
                                    query: ["skipTrackSource": skipTrackSource ? "true" : "false"])
        return buffer.readableBytes == 0 ? nil : try await decode(buffer)
    }

    /// Lyrics of an encoded track; nil when none were found (HTTP 204).
    public func lyrics(encodedTrack: String, skipTrackSource: Bool = false) async throws -> Lyrics? {
        // The plugin's README calls the parameter `track`, its code reads `encodedTrack`: send both.
        let buffer = try await send(.GET, "/v4/lyrics", query: [
            "encodedTrack": encodedTrack, "track": encodedTrack, "skipTrackSource": skipTrackSource ? "true" : "false",
        ])
        return buffer.readableBytes == 0 ? nil : try await decode(buffer)
    }
}

extension LavalinkNode {
    /// The node's info, fetched now when no connection attempt fetched it yet.
    public func currentInfo() async throws -> NodeInfo {
        if let info { return info }
        let fetched = try await rest.info()
        rememberInfo(fetched)
        return fetched
    }

    /// Whether the node runs `plugin` (from `/v4/info`).
    public func has(_ plugin: LavalinkPlugin) async -> Bool {
        (try? await currentInfo())?.has(plugin) ?? false
    }

    /// Fails with `.pluginMissing` when the node does not run `plugin`.
    public func require(_ plugin: LavalinkPlugin) async throws {
        guard try await currentInfo().has(plugin) else { throw LavalinkError.pluginMissing(plugin, node: name) }
    }
}
