import LavalinkEmulator
import Testing

@Suite("Lavalink REST")
struct RESTTests {
    @Test func missingPasswordIs401AndWrongPasswordIs403WithLavalinksErrorBody() async throws {
        try await withEmulator { emulator in
            let missing = try await rest(emulator, .GET, "/v4/info", credentials: .none)
            #expect(missing.status == 401)
            let wrong = try await rest(emulator, .GET, "/v4/info", credentials: .wrong("nope"))
            #expect(wrong.status == 403)
            let body = try #require(wrong.json)
            #expect(body["status"] == 403)
            #expect(body["error"] == "Forbidden")
            #expect(body["path"] == "/v4/info")
            #expect(body["timestamp"]?.int64Value != nil)
            #expect(body["message"]?.stringValue != nil)
            #expect(!wrong.text.contains(emulator.password))
        }
    }

    @Test func versionInfoAndStatsCarryTheApiVersionHeader() async throws {
        try await withEmulator { emulator in
            let version = try await rest(emulator, .GET, "/version")
            #expect(version.status == 200)
            #expect(version.text.hasPrefix("4.2."))
            #expect(version.headers["Lavalink-Api-Version"].first == "4")
            let info = try #require(try await rest(emulator, .GET, "/v4/info").json)
            #expect(info["version"]?["major"] == 4)
            #expect(info["version"]?["minor"] == 2)
            #expect(info["sourceManagers"]?.arrayValue?.contains("youtube") == true)
            let stats = try #require(try await rest(emulator, .GET, "/v4/stats").json)
            #expect(stats["players"] == 0)
            #expect(stats["frameStats"] == nil)
            #expect(stats["cpu"]?["cores"]?.int64Value ?? 0 > 0)
        }
    }

    @Test func loadTypesCoverTrackPlaylistSearchEmptyAndError() async throws {
        try await withEmulator { emulator in
            func load(_ identifier: String) async throws -> JSONValue {
                try #require(try await rest(emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded(identifier))").json)
            }
            let track = try await load("dQw4w9WgXcQ")
            #expect(track["loadType"] == "track")
            #expect(track["data"]?["info"]?["identifier"] == "dQw4w9WgXcQ")
            #expect(track["data"]?["pluginInfo"] == [:])
            #expect(track["data"]?["userData"] == [:])

            let search = try await load("ytsearch:never gonna give you up")
            #expect(search["loadType"] == "search")
            let results = try #require(search["data"]?.arrayValue)
            #expect(results.count == 5)
            #expect(try await load("ytsearch:never gonna give you up") == search, "searches are deterministic")
            #expect(try await load("scsearch:lofi")["data"]?.arrayValue?.first?["info"]?["sourceName"] == "soundcloud")
            #expect(try await load("ytmsearch:lofi")["loadType"] == "search")

            let playlist = try await load("https://www.youtube.com/playlist?list=PL123")
            #expect(playlist["loadType"] == "playlist")
            #expect(playlist["data"]?["info"]?["selectedTrack"] == -1)
            #expect(playlist["data"]?["pluginInfo"] == [:])
            #expect((playlist["data"]?["tracks"]?.arrayValue?.count ?? 0) >= 3)

            #expect(try await load("ytsearch:emulator:empty") == ["loadType": "empty", "data": [:]])
            let error = try await load("emulator:load-error")
            #expect(error["loadType"] == "error")
            #expect(error["data"]?["severity"] == "common")
            #expect(error["data"]?["message"]?.stringValue != nil)

            let stream = try await load("emulator:stream:radio")
            #expect(stream["data"]?["info"]?["isStream"] == true)
            #expect(stream["data"]?["info"]?["isSeekable"] == false)
        }
    }

    @Test func decodeTrackRoundTripsWhatLoadTracksReturned() async throws {
        try await withEmulator { emulator in
            let track = try await loadTrack(emulator, "ytsearch:round trip")
            let encoded = try #require(track["encoded"]?.stringValue)
            let decoded = try await rest(emulator, .GET, "/v4/decodetrack?encodedTrack=\(percentEncoded(encoded))")
            #expect(decoded.json == track)
            let many = try await rest(emulator, .POST, "/v4/decodetracks", body: [.string(encoded), .string(TrackCodecTests.lavalink4Example)])
            #expect(many.json?.arrayValue?.count == 2)
            #expect(many.json?.arrayValue?.last?["info"]?["length"] == 213_000)
            #expect(try await rest(emulator, .POST, "/v4/decodetracks", body: []).status == 400)
            let hostile = try await rest(emulator, .GET, "/v4/decodetrack?encodedTrack=QAAAjQIAJVJpY2sg")
            #expect(hostile.status == 400)
            #expect(hostile.json?["status"] == 400)
        }
    }

    @Test func unknownSessionsAre404OnEverySessionRoute() async throws {
        try await withEmulator { emulator in
            #expect(try await rest(emulator, .GET, "/v4/sessions/nope/players").status == 404)
            #expect(try await rest(emulator, .GET, "/v4/sessions/nope/players/1").status == 404)
            #expect(try await rest(emulator, .PATCH, "/v4/sessions/nope/players/1", body: ["volume": 50]).status == 404)
            #expect(try await rest(emulator, .DELETE, "/v4/sessions/nope/players/1").status == 404)
            let session = try await rest(emulator, .PATCH, "/v4/sessions/nope", body: ["resuming": true])
            #expect(session.status == 404)
            #expect(session.json?["message"] == "Session not found")
        }
    }
}
