import Foundation
import LavalinkEmulator
import NIOHTTP1
import Testing

/// A node's region and a source made to fail, driven over the control API as any client would.
@Suite("Control API over HTTP: regions and failing sources")
struct SourceControlTests {
    private func control(_ emulator: LavalinkEmulator, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil)
        async throws -> RESTResponse
    {
        try await rest(emulator, method, "/_emulator/" + path, body: body, credentials: .none)
    }

    private func load(_ emulator: LavalinkEmulator, _ identifier: String) async throws -> JSONValue {
        try #require(try await rest(emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded(identifier))").json)
    }

    @Test func aRegionIsGivenAndReadBack() async throws {
        try await withEmulator(node: .init(voiceReadyDelayMs: 0, region: "europe")) { emulator in
            let initial = try await control(emulator, .GET, "node")
            #expect(initial.json?["region"] == "europe")
            #expect(try await control(emulator, .POST, "region", ["region": "us-east"]).status == 204)
            #expect(try await control(emulator, .GET, "node").json?["region"] == "us-east")
            #expect(try await control(emulator, .POST, "region", ["region": .null]).status == 204)
            #expect(try await control(emulator, .GET, "node").json?["region"] == .null)
            #expect(try await control(emulator, .POST, "region", ["region": 5]).status == 400)
        }
    }

    @Test func aFailingSourceFailsItsNextLoadsThenWorksAgainWhileOtherSourcesWork() async throws {
        try await withEmulator { emulator in
            let failed = try await control(emulator, .POST, "sources/fail", ["source": "youtube", "count": 2])
            #expect(failed.status == 204)
            #expect(try await control(emulator, .GET, "node").json?["failingSources"]?["youtube"] == 2)

            let first = try await load(emulator, "ytsearch:lofi")
            #expect(first["loadType"] == "error")
            #expect(first["data"]?["severity"] == "suspicious")
            #expect(first["data"]?["message"] == "Sign in to confirm you're not a bot")
            #expect(try await load(emulator, "scsearch:lofi")["loadType"] == "search", "SoundCloud is unaffected")
            #expect(try await load(emulator, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")["loadType"] == "error")
            #expect(try await load(emulator, "ytsearch:lofi")["loadType"] == "search", "two failures, then it works")
            #expect(try await control(emulator, .GET, "node").json?["failingSources"]?["youtube"] == 0)

            #expect(try await control(emulator, .POST, "sources/fail", ["source": "youtube"]).status == 400)
            #expect(try await control(emulator, .POST, "sources/fail",
                                      ["source": "youtube", "count": 1, "severity": "fatal"]).status == 400)
        }
    }

    @Test func aFailingSourcesTracksThrowWhenPlayed() async throws {
        try await withEmulator { emulator in
            let track = try await loadTrack(emulator, "ytsearch:throws")
            let (socket, path) = try await connectPlayer(emulator, guild: "901")
            #expect(try await control(emulator, .POST, "sources/fail",
                                      ["source": "youtube", "count": 1, "message": "429 Too Many Requests", "severity": "fault"])
                .status == 204)
            _ = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["encoded": track["encoded"] ?? .null]])
            await emulator.advance(byMilliseconds: 1)
            let exception = try await socket.log.event("TrackExceptionEvent")
            #expect(exception["exception"]?["message"] == "429 Too Many Requests")
            #expect(exception["exception"]?["severity"] == "fault")
            #expect(try await socket.log.event("TrackEndEvent")["reason"] == "loadFailed")

            // The failure is used up: the next play of the same track plays.
            let before = socket.log.count
            _ = try await rest(emulator, .PATCH, path, body: ["track": ["encoded": track["encoded"] ?? .null]])
            await emulator.advance(byMilliseconds: 2_000)
            #expect(await emulator.player(guildId: "901")?.position == 2_000)
            #expect(!socket.log.events(from: before).contains { $0["type"] == "TrackExceptionEvent" })
            await socket.close()
        }
    }
}
