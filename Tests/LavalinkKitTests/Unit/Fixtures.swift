import Foundation

/// Payloads copied from Lavalink's own API documentation (docs/api/websocket.md, rest.md).
enum Fixtures {
    static let encodedRick = "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA=="

    static let track = """
    {
      "encoded": "\(encodedRick)",
      "info": {
        "identifier": "dQw4w9WgXcQ",
        "isSeekable": true,
        "author": "RickAstleyVEVO",
        "length": 212000,
        "isStream": false,
        "position": 0,
        "title": "Rick Astley - Never Gonna Give You Up",
        "uri": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "artworkUrl": "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg",
        "isrc": null,
        "sourceName": "youtube"
      },
      "pluginInfo": {}
    }
    """

    static let ready = #"{"op": "ready", "resumed": false, "sessionId": "la3kfsdf5eafe848"}"#

    static let playerUpdate = """
    {"op": "playerUpdate", "guildId": "817327181659111454",
     "state": {"time": 1500467109, "position": 60000, "connected": true, "ping": 50}}
    """

    static let stats = """
    {
      "op": "stats", "players": 1, "playingPlayers": 1, "uptime": 123456789,
      "memory": {"free": 123456789, "used": 123456789, "allocated": 123456789, "reservable": 123456789},
      "cpu": {"cores": 4, "systemLoad": 0.5, "lavalinkLoad": 0.5},
      "frameStats": {"sent": 6000, "nulled": 10, "deficit": -3010}
    }
    """

    static let restStats = """
    {
      "players": 1, "playingPlayers": 1, "uptime": 123456789,
      "memory": {"free": 123456789, "used": 123456789, "allocated": 123456789, "reservable": 123456789},
      "cpu": {"cores": 4, "systemLoad": 0.5, "lavalinkLoad": 0.5}
    }
    """

    static func event(_ type: String, _ extra: String) -> String {
        #"{"op": "event", "type": "\#(type)", "guildId": "817327181659111454", "track": \#(track)\#(extra)}"#
    }

    static let trackStart = event("TrackStartEvent", "")
    static let trackEnd = event("TrackEndEvent", #", "reason": "finished""#)
    static let trackException = event(
        "TrackExceptionEvent", #", "exception": {"message": "...", "severity": "common", "cause": "..."}"#
    )
    static let trackStuck = event("TrackStuckEvent", #", "thresholdMs": 123456789"#)
    static let webSocketClosed = """
    {"op": "event", "type": "WebSocketClosedEvent", "guildId": "817327181659111454",
     "code": 4006, "reason": "Your session is no longer valid.", "byRemote": true}
    """

    static let errorBody = """
    {"timestamp": 1667857581613, "status": 404, "error": "Not Found", "trace": "...",
     "message": "Session not found", "path": "/v4/sessions/xtaug914v9k5032f/players/817327181659111454"}
    """

    static let info = """
    {
      "version": {"semver": "4.2.2", "major": 4, "minor": 2, "patch": 2, "preRelease": null, "build": null},
      "buildTime": 1664223916812,
      "git": {"branch": "master", "commit": "85c5ab5", "commitTime": 1664223916812},
      "jvm": "18.0.2.1", "lavaplayer": "1.3.98.4-original",
      "sourceManagers": ["youtube", "soundcloud"],
      "filters": ["equalizer", "karaoke", "timescale", "channelMix"],
      "plugins": [{"name": "some-plugin", "version": "1.0.0"}]
    }
    """

    static let player = """
    {
      "guildId": "817327181659111454", "track": \(track), "volume": 100, "paused": false,
      "state": {"time": 1500467109, "position": 60000, "connected": true, "ping": 50},
      "voice": {"token": "...", "endpoint": "...", "sessionId": "..."},
      "filters": {}
    }
    """

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}
