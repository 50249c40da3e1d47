/// The plugins' state on the node: SponsorBlock's categories per player and what it sends when a
/// track starts, and the player side of LavaLyrics.
extension LavalinkNode {
    nonisolated var plugins: EmulatedPlugins { catalogue.plugins.current }

    nonisolated func setPlugins(_ plugins: EmulatedPlugins) { catalogue.plugins.set(plugins) }

    /// A plugin's route on a node without the plugin: Lavalink has no such route.
    static let noSuchRoute = LavalinkHTTPError(status: 404, message: "Not Found")

    nonisolated func requirePlugin(_ enabled: (EmulatedPlugins) -> Bool) throws(LavalinkHTTPError) {
        guard enabled(plugins) else { throw Self.noSuchRoute }
    }

    // MARK: SponsorBlock

    /// `GET …/sponsorblock/categories`: 404 "Guild not found" until categories were set.
    func sponsorBlockCategories(sessionId: String, guildId: String) throws(LavalinkHTTPError) -> JSONValue {
        let session = try existingSession(sessionId)
        guard let categories = session.sponsorBlockCategories[try Self.validGuildId(guildId)] else {
            throw LavalinkHTTPError(status: 404, message: "Guild not found")
        }
        return .array(categories.map(JSONValue.string))
    }

    /// `PUT …/sponsorblock/categories` with a JSON array of category names. Applies from the next
    /// track on, as the plugin does.
    func setSponsorBlockCategories(sessionId: String, guildId: String, body: JSONValue) throws(LavalinkHTTPError) {
        var session = try existingSession(sessionId)
        let guildId = try Self.validGuildId(guildId)
        guard let items = body.arrayValue else { throw .badRequest("the body must be a JSON array of category names") }
        var categories: [String] = []
        for item in items {
            guard let name = item.stringValue, Catalogue.segmentCategories.contains(name) else {
                throw .badRequest("unknown segment category; known: \(Catalogue.segmentCategories.sorted().joined(separator: ", "))")
            }
            if !categories.contains(name) { categories.append(name) }
        }
        session.sponsorBlockCategories[guildId] = categories
        sessions[sessionId] = session
    }

    func deleteSponsorBlockCategories(sessionId: String, guildId: String) throws(LavalinkHTTPError) {
        guard var session = sessions[sessionId] else { return }
        session.sponsorBlockCategories[try Self.validGuildId(guildId)] = nil
        sessions[sessionId] = session
    }

    /// After `TrackStartEvent`: the segments of the guild's categories (`SegmentsLoaded`) and the
    /// chapters (`ChaptersLoaded`), when the plugin runs and categories are set for the player.
    func loadSponsorBlock(_ player: inout Player, session: inout Session) {
        guard plugins.sponsorBlock, let track = player.track,
            let categories = session.sponsorBlockCategories[player.guildId], !categories.isEmpty
        else { return }
        let segments = Catalogue.segments(of: track.info).filter { categories.contains($0.category) }
        if !segments.isEmpty {
            player.segments = segments
            session.send(eventMessage("SegmentsLoaded", guildId: player.guildId, [("segments", .array(segments.map(\.json)))]),
                         queueIfDisconnected: true)
        }
        let chapters = Catalogue.chapters(of: track.info)
        if !chapters.isEmpty {
            player.chapters = chapters
            player.seekedChapters()
            session.send(eventMessage("ChaptersLoaded", guildId: player.guildId, [("chapters", .array(chapters.map(\.json)))]),
                         queueIfDisconnected: true)
        }
    }

    // MARK: LavaLyrics

    /// `GET …/players/{guildId}/track/lyrics`: nil means none found (204).
    func currentTrackLyrics(sessionId: String, guildId: String) throws(LavalinkHTTPError) -> JSONValue? {
        let session = try existingSession(sessionId)
        guard let player = session.players[try Self.validGuildId(guildId)] else { throw .playerNotFound }
        guard let track = player.track else { throw LavalinkHTTPError(status: 404, message: "No track playing") }
        return Catalogue.lyrics(of: track.info)
    }
}
