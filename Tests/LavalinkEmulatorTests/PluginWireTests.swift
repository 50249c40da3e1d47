import Foundation
import LavalinkEmulator
import NIOHTTP1
import Testing

/// The plugins' routes and events on the wire, as the plugins' own documentation shows them.
@Suite("Plugins on the wire")
struct PluginWireTests {
    let guild = "901"

    @Test func pluginRoutesAre404UntilSwitchedOnOverTheControlAPI() async throws {
        try await withEmulator { emulator in
            let info = try #require(try await rest(emulator, .GET, "/v4/info").json)
            #expect(info["plugins"] == [])
            let missing = try await rest(emulator, .GET, "/v4/loadsearch?query=spsearch:x&types=track")
            #expect(missing.status == 404 && missing.json?["error"] == "Not Found")
            #expect(try await rest(emulator, .GET, "/v4/lyrics?encodedTrack=x").status == 404)
            // SponsorBlock's routes on a player of a node without the plugin: Lavalink's own 404.
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            for method in [HTTPMethod.GET, .PUT, .DELETE] {
                let body: JSONValue? = method == .PUT ? ["sponsor"] : nil
                let answer = try await rest(emulator, method, path + "/sponsorblock/categories", body: body)
                #expect(answer.status == 404 && answer.json?["error"] == "Not Found", "\(method)")
            }
            await socket.close()

            let switched = try await rest(emulator, .POST, "/_emulator/plugins", body: ["lavasrc": true, "lavalyrics": true],
                                          credentials: .none)
            #expect(switched.json == ["lavasrc": true, "sponsorblock": false, "lavasearch": false, "lavalyrics": true])
            let names = try #require(try await rest(emulator, .GET, "/v4/info").json?["plugins"]?.arrayValue).compactMap { $0["name"]?.stringValue }
            #expect(names == ["lavasrc-plugin", "lavalyrics-plugin"])
            let bad = try await rest(emulator, .POST, "/_emulator/plugins", body: ["lavaplayer": true], credentials: .none)
            #expect(bad.status == 400)
        }
    }

    @Test func sponsorBlockCategoriesAndEventShapes() async throws {
        try await withEmulator(node: .init(voiceReadyDelayMs: 0, plugins: EmulatedPlugins(sponsorBlock: true))) { emulator in
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let categories = path + "/sponsorblock/categories"
            let none = try await rest(emulator, .GET, categories)
            #expect(none.status == 404 && none.json?["message"] == "Guild not found")
            #expect(try await rest(emulator, .PUT, categories, body: ["sponsor", "filler"]).status == 204)
            #expect(try await rest(emulator, .GET, categories).json == ["sponsor", "filler"])
            let unknown = try await rest(emulator, .PUT, categories, body: ["ads"])
            #expect(unknown.status == 400)

            _ = try await rest(emulator, .PATCH, path, body: [
                "voice": testVoice, "track": ["identifier": "emulator:track:wire?length=40000&segments=sponsor:1000-2000"],
            ])
            let loaded = try await socket.log.event("SegmentsLoaded")
            #expect(loaded == ["op": "event", "type": "SegmentsLoaded", "guildId": .string(guild),
                               "segments": [["category": "sponsor", "start": 1000, "end": 2000]]])
            let chapters = try await socket.log.event("ChaptersLoaded")
            #expect(chapters["chapters"]?.arrayValue?.first == ["name": "Intro", "start": 0, "end": 10000, "duration": 10000])
            await emulator.advance(byMilliseconds: 1000)
            let skipped = try await socket.log.event("SegmentSkipped")
            #expect(skipped["segment"] == ["category": "sponsor", "start": 1000, "end": 2000])
            #expect(await emulator.player(guildId: guild)?.position == 2000)

            #expect(try await rest(emulator, .DELETE, categories).status == 204)
            #expect(try await rest(emulator, .GET, categories).status == 404)
            await socket.close()
        }
    }

    @Test func lavaSrcSearchAndLyricsShapes() async throws {
        try await withEmulator(node: .init(voiceReadyDelayMs: 0, plugins: .all)) { emulator in
            let track = try await loadTrack(emulator, "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")
            #expect(track["info"]?["sourceName"] == "spotify")
            #expect(track["info"]?["uri"] == "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")
            let plugin = try #require(track["pluginInfo"])
            for key in ["albumName", "albumUrl", "albumArtUrl", "artistUrl", "artistArtworkUrl", "previewUrl"] {
                #expect(plugin[key]?.stringValue?.isEmpty == false, "pluginInfo.\(key)")
            }
            #expect(plugin["isPreview"] == false)

            let search = try await rest(emulator, .GET, "/v4/loadsearch?query=\(percentEncoded("amsearch:architects"))&types=album,text")
            let result = try #require(search.json)
            #expect(result["tracks"] == nil && result["artists"] == nil, "only the requested types are present")
            #expect(result["texts"] == [["text": "architects", "plugin": [:]], ["text": "architects live", "plugin": [:]]])
            let album = try #require(result["albums"]?.arrayValue?.first)
            #expect(album["tracks"] == [] && album["info"]?["selectedTrack"] == -1 && album["pluginInfo"]?["type"] == "album")
            #expect(try await rest(emulator, .GET, "/v4/loadsearch?query=architects").status == 204)
            #expect(try await rest(emulator, .GET, "/v4/loadsearch?query=spsearch:x&types=song").status == 400)

            let encoded = try #require(track["encoded"]?.stringValue)
            let lyrics = try #require(try await rest(emulator, .GET, "/v4/lyrics?encodedTrack=\(percentEncoded(encoded))&skipTrackSource=false").json)
            #expect(lyrics["sourceName"] == "spotify" && lyrics["text"] == .null)
            #expect(lyrics["lines"]?.arrayValue?.first?["timestamp"] == 8000)
            #expect(lyrics["lines"]?.arrayValue?.first?["duration"] == .null)
            let silent = try await loadTrack(emulator, "emulator:track:instrumental?lyrics=none")
            let none = try await rest(emulator, .GET, "/v4/lyrics?track=\(percentEncoded(try #require(silent["encoded"]?.stringValue)))")
            #expect(none.status == 204)

            // A LavaSrc track cannot be played on a node without LavaSrc.
            await emulator.setPlugins(EmulatedPlugins(lavaSrc: false))
            let (socket, path) = try await connectPlayer(emulator, guild: guild)
            let refused = try await rest(emulator, .PATCH, path, body: ["voice": testVoice, "track": ["encoded": .string(encoded)]])
            #expect(refused.status == 400, "\(refused.text)")
            await socket.close()
        }
    }

    @Test func lavaSrcRecommendationsArePlaylistsOfTheirSource() async throws {
        try await withEmulator(node: .init(voiceReadyDelayMs: 0, plugins: EmulatedPlugins(lavaSrc: true))) { emulator in
            let loaded = try #require(try await rest(
                emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded("sprec:seed_tracks=0eG08cBeKk0mzykKjw4hcQ"))").json)
            #expect(loaded["loadType"] == "playlist")
            #expect(loaded["data"]?["info"]?["name"] == "Spotify Recommendations")
            #expect(loaded["data"]?["pluginInfo"]?["type"] == "recommendations")
            let tracks = loaded["data"]?["tracks"]?.arrayValue ?? []
            #expect(tracks.count == 5 && tracks.allSatisfy { $0["info"]?["sourceName"] == "spotify" })
            let deezer = try #require(try await rest(emulator, .GET, "/v4/loadtracks?identifier=dzrec:123456789").json)
            #expect(deezer["data"]?["info"]?["name"] == "Deezer Recommendations")
        }
    }
}
