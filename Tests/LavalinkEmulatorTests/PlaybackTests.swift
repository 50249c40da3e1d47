import LavalinkEmulator
import Testing

@Suite("Players on the virtual clock")
struct PlaybackTests {
    let guild = "817327181659111454"

    @Test func websocketSendsReadyThenStats() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            #expect(ready["resumed"] == false)
            #expect(ready["sessionId"]?.stringValue?.count == 16)
            #expect(socket.log.all.first?["op"] == "ready")
            let stats = try await socket.log.first { $0["op"] == "stats" }
            #expect(stats["players"] == 0)
            #expect(stats["frameStats"] == .null)
            await socket.close()
        }
    }

    @Test func aPlayedTrackStartsAndFinishesOnTheVirtualClock() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            let track = try await loadTrack(emulator, "emulator:track:song?length=180000")
            let encoded = try #require(track["encoded"])
            let response = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)/players/\(guild)", body: [
                "voice": testVoice, "track": ["encoded": encoded, "userData": ["requester": "42"]],
            ])
            #expect(response.status == 200)
            let player = try #require(response.json)
            #expect(player["guildId"]?.stringValue == guild)
            #expect(player["track"]?["encoded"] == encoded)
            #expect(player["track"]?["userData"] == ["requester": "42"])
            // Lavalink answers before its voice gateway is up.
            #expect(player["state"]?["connected"] == false)
            #expect(player["voice"]?["channelId"] == "555")

            let start = try await socket.log.event("TrackStartEvent")
            #expect(start["guildId"]?.stringValue == guild)
            #expect(start["track"]?["userData"] == ["requester": "42"])
            let update = try await socket.log.first { $0["op"] == "playerUpdate" }
            #expect(update["state"]?["position"] == 0)

            await emulator.advance(byMilliseconds: 179_999)
            #expect(socket.log.events().contains { $0["type"] == "TrackEndEvent" } == false)
            #expect(await emulator.player(guildId: guild)?.position == 179_999)
            await emulator.advance(byMilliseconds: 1)
            let end = try await socket.log.event("TrackEndEvent")
            #expect(end["reason"] == "finished")
            #expect(end["track"]?["encoded"] == encoded)
            #expect(await emulator.player(guildId: guild)?.track == nil)
            await socket.close()
        }
    }

    @Test func aFastClockEndsAThreeMinuteTrackInRealTime() async throws {
        try await withEmulator(speed: 2000) { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            let track = try await loadTrack(emulator, "emulator:track:fast?length=180000")
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)/players/\(guild)", body: [
                "voice": testVoice, "track": ["encoded": try #require(track["encoded"])],
            ])
            let end = try await socket.log.event("TrackEndEvent")
            #expect(end["reason"] == "finished")
            await socket.close()
        }
    }

    @Test func replaceStopAndDestroyEndTracksWithLavalinksReasons() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let first = try #require(try await loadTrack(emulator, "ytsearch:first")["encoded"])
            let second = try #require(try await loadTrack(emulator, "ytsearch:second")["encoded"])
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["encoded": first]])

            // noReplace keeps the playing track.
            let kept = try await rest(emulator, .PATCH, path + "?noReplace=True", body: ["track": ["encoded": second]])
            #expect(kept.json?["track"]?["encoded"] == first)

            _ = try await rest(emulator, .PATCH, path, body: ["track": ["encoded": second]])
            _ = try await socket.log.first { $0["type"] == "TrackStartEvent" && $0["track"]?["encoded"] == second }
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["encoded": .null]])
            let search = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "ytsearch:third"]])
            #expect(search.status == 400, "a search result cannot be played by identifier")
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "dQw4w9WgXcQ"]])
            #expect(try await rest(emulator, .DELETE, path).status == 204)
            #expect(try await rest(emulator, .GET, path).status == 404)

            let cleanup = try await socket.log.first { $0["reason"] == "cleanup" }
            #expect(cleanup["track"]?["info"]?["identifier"] == "dQw4w9WgXcQ")
            let sequence = socket.log.events().map { "\($0["type"]?.stringValue ?? "")/\($0["reason"]?.stringValue ?? "")" }
            #expect(sequence == [
                "TrackStartEvent/", "TrackEndEvent/replaced", "TrackStartEvent/", "TrackEndEvent/stopped",
                "TrackStartEvent/", "TrackEndEvent/cleanup",
            ])
            await socket.close()
        }
    }

    @Test func pauseSeekVolumeAndFiltersShowInThePlayer() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "emulator:track:x?length=300000"]])
            await emulator.advance(byMilliseconds: 10_000)

            let paused = try #require(try await rest(emulator, .PATCH, path, body: ["paused": true, "volume": 250]).json)
            #expect(paused["paused"] == true)
            #expect(paused["volume"] == 250)
            await emulator.advance(byMilliseconds: 10_000)
            #expect(await emulator.player(guildId: guild)?.position == 10_000, "a paused player holds its position")

            let before = socket.log.count
            let seeked = try await rest(emulator, .PATCH, path, body: ["position": 60_000, "paused": false])
            #expect(seeked.json?["state"]?["position"] == 60_000)
            // The seek is announced at once (the periodic update of the pause may still be in flight).
            _ = try await socket.log.first(from: before, "playerUpdate at 60000") {
                $0["op"] == "playerUpdate" && $0["state"]?["position"] == 60_000
            }

            let filters: JSONValue = ["timescale": ["speed": 2.0], "equalizer": [["band": 0, "gain": 0.25]]]
            let filtered = try #require(try await rest(emulator, .PATCH, path, body: ["filters": filters]).json)
            #expect(filtered["filters"]?["timescale"]?["speed"] == 2.0)
            #expect(filtered["filters"]?["equalizer"]?.arrayValue?.count == 1)
            await emulator.advance(byMilliseconds: 1000)
            #expect(await emulator.player(guildId: guild)?.position == 62_000, "timescale speed 2 doubles progress")

            let cleared = try #require(try await rest(emulator, .PATCH, path, body: ["filters": [:]]).json)
            #expect(cleared["filters"] == [:])
            #expect(try await rest(emulator, .PATCH, path, body: ["volume": 1001]).status == 400)
            #expect(try await rest(emulator, .PATCH, path, body: ["filters": ["volume": 6.0]]).status == 400)
            #expect(try await rest(emulator, .PATCH, path, body: ["filters": ["equalizer": [["band": 15, "gain": 0]]]]).status == 400)
            #expect(try await rest(emulator, .PATCH, path, body: ["endTime": 0]).status == 400)
            await socket.close()
        }
    }

    @Test func voiceNeedsChannelIdAndPlaybackWaitsForVoice() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let noChannel: JSONValue = ["token": "t", "endpoint": "e", "sessionId": "s"]
            let rejected = try await rest(emulator, .PATCH, path, body: ["voice": noChannel])
            #expect(rejected.status == 400)
            #expect(try await rest(emulator, .PATCH, path, body: ["track": ["encoded": "x", "identifier": "y"]]).status == 400)

            _ = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "emulator:track:y?length=5000"]])
            await emulator.advance(byMilliseconds: 10_000)
            #expect(await emulator.player(guildId: guild)?.position == 0, "no voice connection, no playback")
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice])
            await emulator.advance(byMilliseconds: 0)
            let snapshot = try #require(await emulator.player(guildId: guild))
            #expect(snapshot.voice.channelId == "555")
            #expect(snapshot.voiceConnected)
            await emulator.advance(byMilliseconds: 5000)
            #expect(try await socket.log.event("TrackEndEvent")["reason"] == "finished")
            await socket.close()
        }
    }

    @Test func endTimeEndsTheTrackAsFinished() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: [
                "voice": testVoice, "track": ["identifier": "emulator:track:z?length=200000"], "position": 1000, "endTime": 3000,
            ])
            await emulator.advance(byMilliseconds: 2000)
            #expect(try await socket.log.event("TrackEndEvent")["reason"] == "finished")
            await socket.close()
        }
    }
}

@Suite("Voice readiness, as Lavalink reports it")
struct VoiceReadinessTests {
    let guild = "817327181659111454"

    @Test func notConnectedUntilTheVoiceGatewayIsReadyThenAPlayerUpdate() async throws {
        try await withEmulator(node: .init(voiceReadyDelayMs: 40)) { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let patched = try await rest(emulator, .PATCH, path, body: [
                "voice": testVoice, "track": ["identifier": "emulator:track:r?length=60000"],
            ])
            #expect(patched.json?["state"]?["connected"] == false)
            #expect(patched.json?["state"]?["ping"] == -1)
            // Playing sends a playerUpdate at once (still not connected).
            let played = try await socket.log.first { $0["op"] == "playerUpdate" }
            #expect(played["state"]?["connected"] == false)
            await emulator.advance(byMilliseconds: 39)
            #expect(await emulator.player(guildId: guild)?.voiceConnected == false)
            #expect(await emulator.player(guildId: guild)?.position == 0, "no audio is pulled before the voice is up")
            let before = socket.log.count
            await emulator.advance(byMilliseconds: 1)
            let ready = try await socket.log.first(from: before) { $0["op"] == "playerUpdate" }
            #expect(ready["state"]?["connected"] == true)
            #expect(ready["state"]?["position"] == 0)
            await emulator.advance(byMilliseconds: 1000)
            #expect(await emulator.player(guildId: guild)?.position == 1000)

            let beforeClose = socket.log.count
            #expect(await emulator.closeVoice(guildId: guild, code: 4006, reason: "Session no longer valid"))
            let closed = try await socket.log.first(from: beforeClose) { $0["type"] == "WebSocketClosedEvent" }
            #expect(closed["code"] == 4006)
            let after = try await socket.log.first(from: beforeClose) { $0["op"] == "playerUpdate" }
            #expect(after["state"]?["connected"] == false)
            #expect(after["state"]?["position"] == 1000)
            await socket.close()
        }
    }
}
