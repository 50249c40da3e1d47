import Foundation
import Hummingbird

extension Router where Context == BasicRequestContext {
    /// Lavalink v4's REST routes.
    func addLavalinkRoutes(node: LavalinkNode) {
        let configuration = node.configuration
        get("/version") { _, _ in textResponse(configuration.version) }

        get("/v4/info") { _, _ in jsonResponse(Self.info(version: configuration.version, plugins: node.plugins)) }

        get("/v4/stats") { _, _ in jsonResponse(await node.statsMessage(frameStats: false)) }

        get("/v4/loadtracks") { request, _ in
            guard let identifier = QueryParameters(request.uri.query)["identifier"] else {
                throw LavalinkHTTPError.badRequest("Required parameter 'identifier' is not present.")
            }
            return jsonResponse(await node.loadTracks(identifier).json)
        }

        get("/v4/decodetrack") { request, _ in
            let query = QueryParameters(request.uri.query)
            guard let encoded = query["encodedTrack"] ?? query["track"] else {
                throw LavalinkHTTPError.badRequest("Required parameter 'encodedTrack' is not present.")
            }
            var track = try Self.decode(encoded)
            track.pluginInfo = node.catalogue.lavaSrcPluginInfo(track.info) ?? [:]
            return jsonResponse(track.json())
        }

        post("/v4/decodetracks") { request, _ in
            var request = request
            guard let items = try await request.jsonBody().arrayValue else {
                throw LavalinkHTTPError.badRequest("The body must be an array of encoded tracks")
            }
            guard !items.isEmpty else { throw LavalinkHTTPError.badRequest("No tracks to decode provided") }
            let tracks = try items.map { item -> JSONValue in
                guard let encoded = item.stringValue else { throw LavalinkHTTPError.badRequest("Each track must be a string") }
                return try Self.decode(encoded).json()
            }
            return jsonResponse(.array(tracks))
        }

        patch("/v4/sessions/:sessionId") { request, context in
            var request = request
            let sessionId = try context.parameters.require("sessionId")
            let body = try await request.jsonBody()
            return jsonResponse(try await node.updateSession(sessionId, body: body))
        }

        get("/v4/sessions/:sessionId/players") { _, context in
            jsonResponse(try await node.playersJSON(sessionId: try context.parameters.require("sessionId")))
        }

        get("/v4/sessions/:sessionId/players/:guildId") { _, context in
            jsonResponse(try await node.playerJSON(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId")))
        }

        patch("/v4/sessions/:sessionId/players/:guildId") { request, context in
            let receivedAt = Date()
            var request = request
            let sessionId = try context.parameters.require("sessionId")
            let guildId = try context.parameters.require("guildId")
            let noReplace = QueryParameters(request.uri.query)["noReplace"]?.lowercased() == "true"
            // An unknown session is a 404 even when the body is also wrong.
            guard await node.sessionExists(sessionId) else { throw LavalinkHTTPError.sessionNotFound }
            let update = try PlayerUpdate.parse(try await request.jsonBody(), catalogue: node.catalogue)
            return jsonResponse(try await node.updatePlayer(
                sessionId: sessionId, guildId: guildId, update: update, noReplace: noReplace, receivedAt: receivedAt))
        }

        delete("/v4/sessions/:sessionId/players/:guildId") { _, context in
            try await node.destroyPlayer(
                sessionId: try context.parameters.require("sessionId"), guildId: try context.parameters.require("guildId"))
            return Response(status: .noContent)
        }

        // Reached only when the websocket upgrade was refused: say why, as Lavalink does.
        get("/v4/websocket") { request, _ -> Response in
            switch WebSocketHandshake.validate(request.headers, password: configuration.password) {
            case .failure(let error): throw error
            case .success: throw LavalinkHTTPError.badRequest("Expected a websocket upgrade request")
            }
        }
    }

    static func decode(_ encoded: String) throws -> Track {
        do {
            let decoded = try LavaplayerTrackCodec.decode(encoded)
            return Track(info: decoded.info, encoded: encoded)
        } catch {
            throw LavalinkHTTPError.badRequest("Failed to decode track: \(error.description)")
        }
    }

    static func info(version: String, plugins: EmulatedPlugins = .none) -> JSONValue {
        let core = version.split(separator: "-", maxSplits: 1)
        let numbers = core.first.map { $0.split(separator: ".").map { Int64($0) ?? 0 } } ?? []
        func number(_ index: Int) -> Int64 { index < numbers.count ? numbers[index] : 0 }
        return [
            "version": [
                "semver": .string(version), "major": .int(number(0)), "minor": .int(number(1)), "patch": .int(number(2)),
                "preRelease": core.count > 1 ? .string(String(core[1])) : .null, "build": .null,
            ],
            "buildTime": 1_735_689_600_000,
            "git": ["branch": "main", "commit": "emulator", "commitTime": 1_735_689_600_000],
            "jvm": "21.0.5",
            "lavaplayer": "2.2.3",
            "sourceManagers": .array(plugins.sourceManagers.map(JSONValue.string)),
            "filters": ["volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato", "distortion", "rotation", "channelMix", "lowPass"],
            "plugins": plugins.infoJSON,
        ]
    }
}
