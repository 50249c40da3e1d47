import Foundation
import LavalinkEmulator
import NIOHTTP1
import Testing

@Suite("Control API over HTTP")
struct ControlAPITests {
    let guild = "900"

    /// Control routes need no password.
    private func control(_ emulator: LavalinkEmulator, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil)
        async throws -> RESTResponse
    {
        try await rest(emulator, method, "/_emulator/" + path, body: body, credentials: .none)
    }

    @Test func clockFaultsAndPlayersAreDrivenOverHTTP() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let fault = try await control(emulator, .POST, "faults", ["identifier": "dQw4w9WgXcQ", "fault": "stuck", "atMs": 1000])
            #expect(fault.status == 204)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "dQw4w9WgXcQ"], "volume": 80])

            let clock = try await control(emulator, .POST, "clock/advance", ["ms": 12_000])
            #expect(clock.json?["now"] == 12_000)
            _ = try await socket.log.event("TrackStuckEvent")

            let players = try #require(try await control(emulator, .GET, "players").json?.arrayValue)
            let player = try #require(players.first)
            #expect(player["guildId"]?.stringValue == guild)
            #expect(player["position"] == 1000)
            #expect(player["stuck"] == true)
            #expect(player["volume"] == 80)
            #expect(player["voice"]?["channelId"] == "555")
            #expect(player["voiceConnected"] == true)
            #expect(player["track"]?["identifier"] == "dQw4w9WgXcQ")

            let sessions = try #require(try await control(emulator, .GET, "sessions").json?.arrayValue)
            #expect(sessions.first?["clientName"] == "anankor-tests/1.0")
            #expect(sessions.first?["connected"] == true)

            #expect(try await control(emulator, .POST, "clock/speed", ["speed": -1]).status == 400)
            #expect(try await control(emulator, .POST, "clock/speed", ["speed": 0]).json?["speed"] == 0.0)
            await socket.close()
        }
    }

    @Test func daveSwitchVoiceCloseAndLoadOverHTTP() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice])
            let closed = try await control(emulator, .POST, "voice-close", ["guildId": .string(guild), "code": 4006])
            #expect(closed.status == 204)
            #expect(try await socket.log.event("WebSocketClosedEvent")["code"] == 4006)
            #expect(await emulator.player(guildId: guild)?.voiceConnected == false)

            #expect(try await control(emulator, .POST, "dave", ["required": true]).status == 204)
            let before = socket.log.count
            let player = try await rest(emulator, .PATCH, path, body: ["voice": testVoice])
            #expect(player.json?["state"]?["connected"] == false)
            #expect(try await socket.log.event("WebSocketClosedEvent", from: before)["code"] == 4017)

            _ = try await control(emulator, .POST, "load", ["systemLoad": 0.9, "frameDeficit": 300])
            let stats = try #require(try await rest(emulator, .GET, "/v4/stats").json)
            #expect(stats["cpu"]?["systemLoad"] == 0.9)
            await socket.close()
        }
    }

    @Test func trackStartsRecordWhenEachPlayRequestArrived() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild, userId: "77")
            let before = Date().timeIntervalSince1970 * 1000
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "ytsearch-less-id"]])
            _ = try await rest(emulator, .PATCH, path, body: ["volume": 50])
            let after = Date().timeIntervalSince1970 * 1000
            let records = await emulator.trackStarts()
            #expect(records.count == 1, "only requests that start a track are recorded")
            let record = try #require(records.first)
            #expect(record.userId == "77")
            #expect(record.guildId == guild)
            #expect(record.identifier == "ytsearch-less-id")
            #expect(record.receivedAtUnixMs >= before && record.receivedAtUnixMs <= after)
            let overHTTP = try await control(emulator, .GET, "track-starts")
            #expect(overHTTP.json?.arrayValue?.first?["identifier"] == "ytsearch-less-id")
            await socket.close()
        }
    }

    @Test func trackEndsRecordTracksThatPlayedToTheirEndOnly() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild, userId: "78")
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "emulator:track:a?length=1000"]])
            // Replaced before its end: not a finished track.
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "emulator:track:b?length=1000"]])
            let before = Date().timeIntervalSince1970 * 1000
            await emulator.advance(byMilliseconds: 1500)
            _ = try await socket.log.first { $0["type"] == "TrackEndEvent" && $0["reason"] == "finished" }
            let records = await emulator.trackEnds()
            #expect(records.map(\.identifier) == ["emulator:track:b?length=1000"])
            let record = try #require(records.first)
            #expect(record.userId == "78")
            #expect(record.guildId == guild)
            #expect(record.sentAtUnixMs >= before)
            let overHTTP = try await control(emulator, .GET, "track-ends")
            #expect(overHTTP.json?.arrayValue?.first?["identifier"] == "emulator:track:b?length=1000")
            await socket.close()
        }
    }

    @Test func playerUpdatesAndStatsArriveOnTheirVirtualIntervals() async throws {
        try await withEmulator(node: .init(playerUpdateIntervalMs: 1000, voiceReadyDelayMs: 0)) { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "emulator:track:t?length=600000"]])
            // The update that says the voice connection is up (Lavalink's gatewayReady).
            _ = try await socket.log.first { $0["op"] == "playerUpdate" && $0["state"]?["connected"] == true }
            let before = socket.log.count
            await emulator.advance(byMilliseconds: 1000)
            let periodic = try await socket.log.first(from: before) { $0["op"] == "playerUpdate" }
            #expect(periodic["state"]?["position"] == 1000)
            #expect(periodic["state"]?["connected"] == true)
            #expect(periodic["state"]?["time"]?.int64Value ?? 0 > 1_700_000_000_000)

            let statsBefore = socket.log.all.filter { $0["op"] == "stats" }.count
            await emulator.advance(byMilliseconds: 60_000)
            let stats = try await socket.log.first(from: before) { $0["op"] == "stats" }
            #expect(socket.log.all.filter { $0["op"] == "stats" }.count == statsBefore + 1)
            #expect(stats["playingPlayers"] == 1)
            #expect(stats["frameStats"]?["sent"]?.int64Value != nil)
            await socket.close()
        }
    }
}
