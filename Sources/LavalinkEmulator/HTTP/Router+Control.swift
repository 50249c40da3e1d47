import Foundation
import Hummingbird

extension Router where Context == BasicRequestContext {
    /// The control API under `/_emulator/` (no password: it is for tests and operators).
    func addControlRoutes(emulator: LavalinkEmulator) {
        let group = self.group("/_emulator")

        group.get("/players") { _, _ in jsonResponse(.array(await emulator.players().map(\.json))) }

        group.get("/sessions") { _, _ in jsonResponse(.array(await emulator.sessions().map(\.json))) }

        group.get("/plugins") { _, _ in jsonResponse(await emulator.plugins().json) }

        group.post("/plugins") { request, _ in
            var request = request
            let plugins = try await emulator.plugins().updated(by: try await request.jsonBody())
            await emulator.setPlugins(plugins)
            return jsonResponse(plugins.json)
        }

        group.get("/clock") { _, _ in
            jsonResponse(["now": .int(emulator.clock.now), "speed": .double(emulator.clock.speed)])
        }

        group.post("/clock/advance") { request, _ in
            var request = request
            guard let ms = try await request.jsonBody()["ms"]?.int64Value, ms >= 0 else {
                throw LavalinkHTTPError.badRequest("body must be {\"ms\": <non-negative integer>}")
            }
            await emulator.advance(byMilliseconds: ms)
            return jsonResponse(["now": .int(emulator.clock.now), "speed": .double(emulator.clock.speed)])
        }

        group.post("/clock/speed") { request, _ in
            var request = request
            guard let speed = try await request.jsonBody()["speed"]?.doubleValue, speed >= 0 else {
                throw LavalinkHTTPError.badRequest("body must be {\"speed\": <number ≥ 0>}")
            }
            await emulator.setSpeed(speed)
            return jsonResponse(["now": .int(emulator.clock.now), "speed": .double(emulator.clock.speed)])
        }

        group.post("/faults") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            guard let identifier = body["identifier"]?.stringValue else {
                throw LavalinkHTTPError.badRequest("identifier is required")
            }
            let at = body["atMs"]?.int64Value ?? 0
            let fault: TrackFault
            switch body["fault"]?.stringValue {
            case "exception":
                let severity = body["severity"]?.stringValue.flatMap(TrackException.Severity.init(rawValue:)) ?? .fault
                fault = .exception(atMs: at, message: body["message"]?.stringValue ?? "Something broke when playing the track.",
                                   severity: severity)
            case "stuck":
                fault = .stuck(atMs: at)
            default:
                throw LavalinkHTTPError.badRequest("fault must be \"exception\" or \"stuck\"")
            }
            await emulator.injectFault(fault, forIdentifier: identifier)
            return Response(status: .noContent)
        }

        group.post("/drop-track-ends") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            guard let guildId = body["guildId"]?.stringValue else {
                throw LavalinkHTTPError.badRequest("body must be {\"guildId\": \"…\", \"count\": <n>?}")
            }
            await emulator.dropTrackEnds(guildId: guildId, count: Int(body["count"]?.int64Value ?? 1))
            return Response(status: .noContent)
        }

        group.post("/dave") { request, _ in
            var request = request
            guard let required = try await request.jsonBody()["required"]?.boolValue else {
                throw LavalinkHTTPError.badRequest("body must be {\"required\": true|false}")
            }
            await emulator.setDaveRequired(required)
            return Response(status: .noContent)
        }

        group.post("/load") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            var load = NodeLoad()
            if let value = body["systemLoad"]?.doubleValue { load.systemLoad = value }
            if let value = body["lavalinkLoad"]?.doubleValue { load.lavalinkLoad = value }
            if let value = body["framesNulled"]?.int64Value { load.framesNulled = value }
            if let value = body["frameDeficit"]?.int64Value { load.frameDeficit = value }
            await emulator.setLoad(load)
            return Response(status: .noContent)
        }

        group.post("/voice-close") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            guard let guildId = body["guildId"]?.stringValue else { throw LavalinkHTTPError.badRequest("guildId is required") }
            let closed = await emulator.closeVoice(
                guildId: guildId, code: Int(body["code"]?.int64Value ?? 4006),
                reason: body["reason"]?.stringValue ?? "Session is no longer valid.",
                byRemote: body["byRemote"]?.boolValue ?? true
            )
            guard closed else { throw LavalinkHTTPError.playerNotFound }
            return Response(status: .noContent)
        }

        group.get("/track-starts") { _, _ in
            jsonResponse(.array(await emulator.trackStarts().map { record in
                [
                    "sessionId": .string(record.sessionId), "userId": .string(record.userId),
                    "guildId": .string(record.guildId), "identifier": .string(record.identifier),
                    "title": .string(record.title), "position": .int(record.position),
                    "receivedAtUnixMs": .double(record.receivedAtUnixMs),
                    "virtualTime": .int(record.virtualTime),
                ]
            }))
        }

        group.get("/track-ends") { _, _ in
            jsonResponse(.array(await emulator.trackEnds().map { record in
                [
                    "sessionId": .string(record.sessionId), "userId": .string(record.userId),
                    "guildId": .string(record.guildId), "identifier": .string(record.identifier),
                    "sentAtUnixMs": .double(record.sentAtUnixMs), "virtualTime": .int(record.virtualTime),
                ]
            }))
        }

        group.post("/kill") { request, _ in
            var request = request
            let body = (try? await request.jsonBody()) ?? [:]
            let restartAfter = body["restartAfterMs"]?.int64Value
            // The kill stops the server answering this request, so it runs just after the
            // response is written; the task owns nothing but the emulator reference.
            Task.detached {
                try? await Task.sleep(for: .milliseconds(50))
                await emulator.kill()
                if let restartAfter {
                    try? await Task.sleep(for: .milliseconds(max(0, restartAfter)))
                    try? await emulator.restart()
                }
            }
            return Response(status: .accepted)
        }
    }
}
