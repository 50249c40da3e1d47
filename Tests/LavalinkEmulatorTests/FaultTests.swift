import LavalinkEmulator
import Testing

@Suite("Faults: exceptions, stuck tracks, voice failures")
struct FaultTests {
    let guild = "42"

    @Test func aTrackThatThrowsMidPlaySendsTrackExceptionThenFinished() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "emulator:exception:boom?at=3000"]])
            _ = try await socket.log.event("TrackStartEvent")
            await emulator.advance(byMilliseconds: 2999)
            #expect(socket.log.events().count == 1)
            await emulator.advance(byMilliseconds: 1)
            let exception = try await socket.log.event("TrackExceptionEvent")
            #expect(exception["exception"]?["severity"] == "fault")
            #expect(exception["exception"]?["cause"]?.stringValue != nil)
            #expect(exception["exception"]?["causeStackTrace"]?.stringValue != nil)
            #expect(try await socket.log.event("TrackEndEvent")["reason"] == "finished")
            await socket.close()
        }
    }

    @Test func anInjectedFailureAtStartEndsWithLoadFailed() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            await emulator.injectFault(.exception(atMs: 0, message: "Video unavailable", severity: .common), forIdentifier: "dQw4w9WgXcQ")
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "dQw4w9WgXcQ"]])
            await emulator.advance(byMilliseconds: 1)
            #expect(try await socket.log.event("TrackExceptionEvent")["exception"]?["message"] == "Video unavailable")
            #expect(try await socket.log.event("TrackEndEvent")["reason"] == "loadFailed")

            // The injection was for one play only.
            let before = socket.log.count
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["identifier": "dQw4w9WgXcQ"]])
            await emulator.advance(byMilliseconds: 1)
            _ = try await socket.log.event("TrackStartEvent", from: before)
            #expect(!socket.log.events(from: before).contains { $0["type"] == "TrackExceptionEvent" })
            await socket.close()
        }
    }

    @Test func aStuckTrackFreezesAndReportsAfterTheThreshold() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["identifier": "emulator:stuck:jam?at=2000"]])
            await emulator.advance(byMilliseconds: 5000)
            #expect(await emulator.player(guildId: guild)?.position == 2000)
            #expect(await emulator.player(guildId: guild)?.stuck == true)
            #expect(!socket.log.events().contains { $0["type"] == "TrackStuckEvent" })
            await emulator.advance(byMilliseconds: 7000)
            let stuck = try await socket.log.event("TrackStuckEvent")
            #expect(stuck["thresholdMs"] == 10_000)
            await socket.close()
        }
    }

    @Test func theDaveSwitchMakesVoiceFailWith4017() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            await emulator.setDaveRequired(true)
            let player = try await rest(emulator, .PATCH, path, body: ["voice": testVoice])
            #expect(player.json?["state"]?["connected"] == false)
            let closed = try await socket.log.event("WebSocketClosedEvent")
            #expect(closed["code"] == 4017)
            #expect(closed["byRemote"] == true)
            #expect(closed["reason"]?.stringValue != nil)
            await socket.close()
        }
    }
}
