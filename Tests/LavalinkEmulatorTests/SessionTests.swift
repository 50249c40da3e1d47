import LavalinkEmulator
import NIOCore
import NIOPosix
import Testing

@Suite("Sessions, resuming and node death")
struct SessionTests {
    let guild = "817327181659111454"

    @Test func aResumedSessionKeepsItsPlayersAndGetsTheEventsItMissed() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            let resume = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)", body: ["resuming": true, "timeout": 30])
            #expect(resume.json == ["resuming": true, "timeout": 30])
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)/players/\(guild)", body: [
                "voice": testVoice, "track": ["identifier": "emulator:track:long?length=20000"],
            ])
            await socket.close()
            try await waitForDisconnect(emulator, sessionId)

            // The track ends while nobody listens; the event waits for the resume.
            await emulator.advance(byMilliseconds: 20_000)
            let (resumed, readyAgain) = try await RawLavalinkSocket.connect(emulator, sessionId: sessionId)
            #expect(readyAgain["resumed"] == true)
            #expect(readyAgain["sessionId"]?.stringValue == sessionId)
            let end = try await resumed.log.event("TrackEndEvent")
            #expect(end["reason"] == "finished")
            let update = try await resumed.log.first { $0["op"] == "playerUpdate" }
            #expect(update["guildId"]?.stringValue == guild)
            let ops = resumed.log.all.compactMap { $0["op"]?.stringValue }
            #expect(Array(ops.prefix(3)) == ["ready", "event", "playerUpdate"])
            #expect(try await rest(emulator, .GET, "/v4/sessions/\(sessionId)/players/\(guild)").status == 200)
            await resumed.close()
        }
    }

    @Test func withoutResumingADroppedSocketDestroysItsPlayers() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)/players/\(guild)", body: ["voice": testVoice])
            await socket.close()
            try await waitUntil { await emulator.players().isEmpty }
            #expect(try await rest(emulator, .GET, "/v4/sessions/\(sessionId)/players").status == 404)
            let (_, fresh) = try await RawLavalinkSocket.connect(emulator, sessionId: sessionId)
            #expect(fresh["resumed"] == false)
            #expect(fresh["sessionId"]?.stringValue != sessionId)
        }
    }

    @Test func aResumableSessionExpiresAfterItsTimeout() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)", body: ["resuming": true, "timeout": 10])
            await socket.close()
            try await waitForDisconnect(emulator, sessionId)
            await emulator.advance(byMilliseconds: 10_000)
            #expect(await emulator.sessions().isEmpty)
        }
    }

    @Test func severalClientsHaveSeparateSessions() async throws {
        try await withEmulator { emulator in
            let (a, readyA) = try await RawLavalinkSocket.connect(emulator, userId: "1001")
            let (b, readyB) = try await RawLavalinkSocket.connect(emulator, userId: "1002")
            let sessionA = try #require(readyA["sessionId"]?.stringValue)
            let sessionB = try #require(readyB["sessionId"]?.stringValue)
            #expect(sessionA != sessionB)
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionA)/players/1", body: ["volume": 10])
            #expect(try await rest(emulator, .GET, "/v4/sessions/\(sessionB)/players").json == [])
            #expect(Set(await emulator.sessions().map(\.userId)) == ["1001", "1002"])
            await a.close()
            await b.close()
        }
    }

    @Test func aKilledNodeRefusesConnectionsUntilRestartedOnTheSamePort() async throws {
        try await withEmulator { emulator in
            let (socket, ready) = try await RawLavalinkSocket.connect(emulator)
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            let port = emulator.port
            await emulator.kill()
            try await socket.waitUntilClosed()
            #expect(!emulator.isListening)
            await #expect(throws: (any Error).self, "connection refused") {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                try await channel.close()
            }
            try await emulator.restart()
            #expect(emulator.port == port)
            #expect(try await rest(emulator, .GET, "/version").status == 200)
            let (again, fresh) = try await RawLavalinkSocket.connect(emulator, sessionId: sessionId)
            #expect(fresh["resumed"] == false, "a restarted node has no sessions to resume")
            await again.close()
        }
    }

    private func waitForDisconnect(_ emulator: LavalinkEmulator, _ sessionId: String) async throws {
        try await waitUntil { await emulator.sessions().first { $0.sessionId == sessionId }?.connected == false }
    }
}

/// Polls `condition` until it holds, failing after `timeout`.
func waitUntil(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestTimeout(description: "condition not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}
