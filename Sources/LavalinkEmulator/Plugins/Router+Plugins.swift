import Hummingbird

extension Router where Context == BasicRequestContext {
    /// The plugins' REST routes. Always registered; each answers 404 "Not Found" (as Lavalink does
    /// for a route nobody serves) while its plugin is switched off.
    func addPluginRoutes(node: LavalinkNode) {
        get("/v4/sessions/:sessionId/players/:guildId/sponsorblock/categories") { _, context in
            try node.requirePlugin(\.sponsorBlock)
            return jsonResponse(try await node.sponsorBlockCategories(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId")))
        }

        put("/v4/sessions/:sessionId/players/:guildId/sponsorblock/categories") { request, context in
            try node.requirePlugin(\.sponsorBlock)
            var request = request
            let body = try await request.jsonBody()
            try await node.setSponsorBlockCategories(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId"), body: body)
            return Response(status: .noContent)
        }

        delete("/v4/sessions/:sessionId/players/:guildId/sponsorblock/categories") { _, context in
            try node.requirePlugin(\.sponsorBlock)
            try await node.deleteSponsorBlockCategories(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId"))
            return Response(status: .noContent)
        }

        get("/v4/loadsearch") { request, _ in
            try node.requirePlugin(\.lavaSearch)
            let query = QueryParameters(request.uri.query)
            guard let text = query["query"] else {
                throw LavalinkHTTPError.badRequest("Required parameter 'query' is not present.")
            }
            let known = ["track", "album", "artist", "playlist", "text"]
            var types = Set(known)
            if let list = query["types"], !list.isEmpty {
                types = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                if let unknown = types.first(where: { !known.contains($0) }) {
                    throw LavalinkHTTPError.badRequest("Unknown type: \(unknown)")
                }
            }
            guard let result = node.catalogue.loadSearch(text, types: types) else { return Response(status: .noContent) }
            return jsonResponse(result)
        }

        get("/v4/sessions/:sessionId/players/:guildId/track/lyrics") { _, context in
            try node.requirePlugin(\.lavaLyrics)
            guard let lyrics = try await node.currentTrackLyrics(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId"))
            else { return Response(status: .noContent) }
            return jsonResponse(lyrics)
        }

        get("/v4/lyrics") { request, _ in
            try node.requirePlugin(\.lavaLyrics)
            let query = QueryParameters(request.uri.query)
            // The plugin's code reads `encodedTrack`; its README says `track`. Both are accepted.
            guard let encoded = query["encodedTrack"] ?? query["track"] else {
                throw LavalinkHTTPError.badRequest("Required parameter 'encodedTrack' is not present.")
            }
            let track = try Self.decode(encoded)
            guard let lyrics = Catalogue.lyrics(of: track.info) else { return Response(status: .noContent) }
            return jsonResponse(lyrics)
        }
    }
}
