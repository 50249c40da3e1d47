import Foundation
import Testing

@testable import LavalinkKit

@Suite("Decoding Lavalink payloads from its documentation")
struct DecodingTests {
    @Test func readyCarriesSessionAndResumeFlag() throws {
        let message = try Fixtures.decode(NodeMessage.self, Fixtures.ready)
        #expect(message == .ready(resumed: false, sessionId: "la3kfsdf5eafe848"))
    }

    @Test func playerUpdateCarriesState() throws {
        let message = try Fixtures.decode(NodeMessage.self, Fixtures.playerUpdate)
        #expect(message == .playerUpdate(
            guildId: "817327181659111454",
            state: PlayerState(time: 1_500_467_109, position: 60000, connected: true, ping: 50)
        ))
    }

    @Test func statsFromWebsocketAndREST() throws {
        guard case .stats(let stats) = try Fixtures.decode(NodeMessage.self, Fixtures.stats) else {
            Issue.record("not stats")
            return
        }
        #expect(stats.players == 1)
        #expect(stats.cpu.cores == 4)
        #expect(stats.frameStats == NodeStats.FrameStats(sent: 6000, nulled: 10, deficit: -3010))
        let rest = try Fixtures.decode(NodeStats.self, Fixtures.restStats)
        #expect(rest.frameStats == nil)
        #expect(rest.memory.used == 123_456_789)
    }

    @Test func trackEventsDecodeWithTheirFields() throws {
        guard case .event(let start) = try Fixtures.decode(NodeMessage.self, Fixtures.trackStart),
              case .trackStart(let track) = start.kind
        else { Issue.record("not a track start"); return }
        #expect(track.info.title == "Rick Astley - Never Gonna Give You Up")
        #expect(track.info.length == 212_000)
        #expect(track.info.isrc == nil)
        #expect(track.userData == .emptyObject)

        guard case .event(let end) = try Fixtures.decode(NodeMessage.self, Fixtures.trackEnd),
              case .trackEnd(_, let reason) = end.kind
        else { Issue.record("not a track end"); return }
        #expect(reason == .finished)
        #expect(reason.mayStartNext)

        guard case .event(let exception) = try Fixtures.decode(NodeMessage.self, Fixtures.trackException),
              case .trackException(_, let error) = exception.kind
        else { Issue.record("not an exception"); return }
        #expect(error.severity == .common)
        #expect(error.message == "...")

        guard case .event(let stuck) = try Fixtures.decode(NodeMessage.self, Fixtures.trackStuck),
              case .trackStuck(_, let threshold) = stuck.kind
        else { Issue.record("not stuck"); return }
        #expect(threshold == 123_456_789)

        guard case .event(let closed) = try Fixtures.decode(NodeMessage.self, Fixtures.webSocketClosed) else {
            Issue.record("not an event"); return
        }
        #expect(closed.kind == .webSocketClosed(code: 4006, reason: "Your session is no longer valid.", byRemote: true))
    }

    @Test(arguments: [
        ("finished", true), ("loadFailed", true), ("stopped", false), ("replaced", false), ("cleanup", false),
        ("somethingNew", false),
    ])
    func onlyFinishedAndLoadFailedMayStartNext(raw: String, mayStartNext: Bool) {
        let reason = TrackEndReason(rawValue: raw)
        #expect(reason.mayStartNext == mayStartNext)
        #expect(reason.rawValue == raw)
    }

    @Test func unknownOpsAndEventTypesDoNotFail() throws {
        #expect(try Fixtures.decode(NodeMessage.self, #"{"op": "pluginThing", "x": 1}"#) == .unknown(op: "pluginThing"))
        let event = try Fixtures.decode(NodeMessage.self, #"{"op": "event", "type": "SegmentsLoaded", "guildId": "1"}"#)
        #expect(event == .event(PlayerEvent(guildId: "1", kind: .unknown(type: "SegmentsLoaded"))))
        let severity = try Fixtures.decode(TrackException.self, #"{"message": null, "severity": "catastrophic", "cause": "x"}"#)
        #expect(severity.severity == .other("catastrophic"))
    }

    @Test func loadResultsAreTyped() throws {
        let track = try Fixtures.decode(LoadResult.self, #"{"loadType": "track", "data": \#(Fixtures.track)}"#)
        #expect(track.tracks.map(\.info.identifier) == ["dQw4w9WgXcQ"])

        let playlist = try Fixtures.decode(LoadResult.self, """
            {"loadType": "playlist", "data": {"info": {"name": "Mix", "selectedTrack": 0}, "pluginInfo": {},
             "tracks": [\(Fixtures.track), \(Fixtures.track)]}}
            """)
        guard case .playlist(let list) = playlist else { Issue.record("not a playlist"); return }
        #expect(list.info.name == "Mix")
        #expect(list.tracks.count == 2)
        #expect(list.selected?.info.identifier == "dQw4w9WgXcQ")

        let search = try Fixtures.decode(LoadResult.self, #"{"loadType": "search", "data": [\#(Fixtures.track)]}"#)
        #expect(search.tracks.count == 1)
        #expect(try Fixtures.decode(LoadResult.self, #"{"loadType": "empty", "data": {}}"#) == .empty)

        let error = try Fixtures.decode(LoadResult.self, """
            {"loadType": "error", "data": {"message": "Something went wrong", "severity": "fault", "cause": "..."}}
            """)
        #expect(error == .error(TrackException(message: "Something went wrong", severity: .fault, cause: "...")))
        #expect(try Fixtures.decode(LoadResult.self, #"{"loadType": "lyrics", "data": {}}"#) == .unknown(loadType: "lyrics"))
    }

    @Test func playerInfoAndErrorBody() throws {
        let player = try Fixtures.decode(Player.self, Fixtures.player)
        #expect(player.state.position == 60000)
        #expect(player.voice?.channelId == nil)
        #expect(player.filters.isEmpty)

        let info = try Fixtures.decode(NodeInfo.self, Fixtures.info)
        #expect(info.version.semver == "4.2.2")
        #expect(info.plugins.map(\.name) == ["some-plugin"])

        let body = try Fixtures.decode(LavalinkErrorBody.self, Fixtures.errorBody)
        #expect(body.status == 404)
        #expect(body.message == "Session not found")
    }

    @Test func playerUpdateSendsExplicitNullsOnlyWhereMeant() throws {
        let stop = try encodeToObject(PlayerUpdate.stop)
        #expect(stop == ["track": ["encoded": NSNull()]] as NSDictionary)

        let clear = try encodeToObject(PlayerUpdate(endTime: .clear, volume: 50))
        #expect(clear == ["endTime": NSNull(), "volume": 50] as NSDictionary)

        let play = try encodeToObject(PlayerUpdate(
            track: .encoded("abc", userData: .object(["requester": .string("42")])), position: 1000, paused: true,
            voice: VoiceState(token: "t", endpoint: "e", sessionId: "s", channelId: "c")
        ))
        #expect(play == [
            "track": ["encoded": "abc", "userData": ["requester": "42"]],
            "position": 1000, "paused": true,
            "voice": ["token": "t", "endpoint": "e", "sessionId": "s", "channelId": "c"],
        ] as NSDictionary)
        #expect(try encodeToObject(PlayerUpdate()) == [:] as NSDictionary)
    }

    @Test func secretsStayOutOfDescriptions() {
        let endpoint = NodeEndpoint(host: "localhost", port: 2333, password: "hunter2-secret")
        let config = NodeConfiguration(name: "a", endpoint: endpoint, userId: "1")
        #expect(!"\(config)".contains("hunter2-secret"))
        #expect(!"\(VoiceState(token: "voice-token-x", endpoint: "e", sessionId: "s", channelId: "c"))".contains("voice-token-x"))
        var bridge = VoiceBridge()
        _ = bridge.voiceServerUpdate(token: "voice-token-y", endpoint: "e")
        #expect(!"\(bridge)".contains("voice-token-y"))
    }
}

func encodeToObject(_ value: some Encodable) throws -> NSDictionary {
    let data = try JSONEncoder().encode(value)
    return try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
}
