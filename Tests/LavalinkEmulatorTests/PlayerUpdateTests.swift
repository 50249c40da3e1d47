import Foundation
import LavalinkEmulator
import Testing

@Suite("Player PATCH details")
struct PlayerUpdateTests {
    let guild = "31337"

    @Test func deprecatedTopLevelFieldsStillPlay() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let encoded = try #require(try await loadTrack(emulator, "ytsearch:old client")["encoded"])
            let played = try await rest(emulator, .PATCH, path, body: ["encodedTrack": encoded])
            #expect(played.json?["track"]?["encoded"] == encoded)
            let both = try await rest(emulator, .PATCH, path, body: ["encodedTrack": encoded, "identifier": "x"])
            #expect(both.status == 400)
            let mixed = try await rest(emulator, .PATCH, path, body: ["encodedTrack": encoded, "track": ["encoded": encoded]])
            #expect(mixed.status == 400)
            await socket.close()
        }
    }

    @Test func endTimeNullClearsAndUserDataAloneReplacesTheTracksUserData() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: [
                "voice": testVoice, "track": ["identifier": "emulator:track:e?length=10000", "userData": ["n": 1]], "endTime": 2000,
            ])
            #expect(await emulator.player(guildId: guild)?.endTime == 2000)
            _ = try await rest(emulator, .PATCH, path, body: ["endTime": .null])
            #expect(await emulator.player(guildId: guild)?.endTime == nil)
            let updated = try await rest(emulator, .PATCH, path, body: ["track": ["userData": ["n": 2]]])
            #expect(updated.json?["track"]?["userData"] == ["n": 2])
            await emulator.advance(byMilliseconds: 5000)
            #expect(socket.log.events().contains { $0["type"] == "TrackEndEvent" } == false, "the cleared end time no longer applies")
            await emulator.advance(byMilliseconds: 5000)
            let end = try await socket.log.event("TrackEndEvent")
            #expect(end["track"]?["userData"] == ["n": 2])
            await socket.close()
        }
    }

    @Test func malformedBodiesAreRejectedWithoutTouchingThePlayer() async throws {
        try await withEmulator { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            _ = try await rest(emulator, .PATCH, path, body: ["volume": 70])
            for body: JSONValue in [
                ["volume": "loud"], ["paused": 1], ["position": -5], ["filters": ["timescale": ["speed": -1.0]]],
                ["track": ["encoded": 5]], ["track": ["encoded": "%%%"]], ["track": ["userData": "x"]],
                ["voice": ["token": "t", "endpoint": "", "sessionId": "s", "channelId": "1"]], [1, 2],
            ] {
                // A valid volume rides along and must not be applied either.
                let withValidField = body.objectValue == nil ? body : JSONValue(["volume": 5]).merging(body)
                let response = try await rest(emulator, .PATCH, path, body: withValidField)
                #expect(response.status == 400, "\(body.text)")
                #expect(response.json?["path"]?.stringValue == path)
            }
            #expect(await emulator.player(guildId: guild)?.volume == 70)
            let badGuild = path.replacingOccurrences(of: "/players/\(guild)", with: "/players/notanumber")
            #expect(try await rest(emulator, .PATCH, badGuild, body: ["volume": 1]).status == 400)
            await socket.close()
        }
    }

    @Test func aWatchURLWithAListSelectsItsTrackInThePlaylist() async throws {
        try await withEmulator { emulator in
            let response = try await rest(emulator, .GET,
                "/v4/loadtracks?identifier=\(percentEncoded("https://www.youtube.com/watch?v=abcdefghijk&list=PLx"))")
            let data = try #require(response.json?["data"])
            let selected = try #require(data["info"]?["selectedTrack"]?.int64Value)
            #expect(data["tracks"]?.arrayValue?[Int(selected)]["info"]?["identifier"] == "abcdefghijk")
            let sets = try await rest(emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded("https://soundcloud.com/a/sets/b"))")
            #expect(sets.json?["loadType"] == "playlist")
            let unknownSite = try await rest(emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded("https://example.com/x.mp3"))")
            #expect(unknownSite.json?["loadType"] == "empty")
        }
    }
}

extension JSONValue {
    /// This object with `other`'s members added (other wins).
    init(_ members: KeyValuePairs<String, JSONValue>) {
        self = .object(members.map { ($0.key, $0.value) })
    }

    func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let extra) = other else { return self }
        for (key, value) in extra {
            members.removeAll { $0.0 == key }
            members.append((key, value))
        }
        return .object(members)
    }
}
