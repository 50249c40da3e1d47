/// A failure the emulator makes a track suffer while it plays.
public enum TrackFault: Sendable, Equatable {
    /// The track throws when playback reaches `atMs` (a `TrackExceptionEvent`, then `TrackEndEvent`
    /// with `loadFailed` when nothing was played yet, else `finished`, as lavaplayer reports it).
    case exception(atMs: Int64, message: String = "Something broke when playing the track.",
        severity: TrackException.Severity = .fault)
    /// Playback freezes at `atMs`; after the stuck threshold a `TrackStuckEvent` follows and the
    /// track stays stuck until the client replaces or stops it.
    case stuck(atMs: Int64)

    var position: Int64 {
        switch self {
        case .exception(let at, _, _), .stuck(let at): max(0, at)
        }
    }

    /// The fault built into a catalogue identifier (`emulator:exception…`, `emulator:stuck…`).
    static func builtIn(for identifier: String) -> TrackFault? {
        guard let special = SpecialIdentifier(identifier) else { return nil }
        let at = Int64(special.intParameter("at") ?? 5000)
        switch special.kind {
        case "exception": return .exception(atMs: at)
        case "stuck": return .stuck(atMs: at)
        default: return nil
        }
    }
}

/// A Discord voice server update as the client forwarded it (`voice` in the player PATCH).
public struct VoiceState: Sendable, Equatable {
    public var token: String
    public var endpoint: String
    public var sessionId: String
    public var channelId: String

    public init(token: String, endpoint: String, sessionId: String, channelId: String) {
        self.token = token
        self.endpoint = endpoint
        self.sessionId = sessionId
        self.channelId = channelId
    }

    static let empty = VoiceState(token: "", endpoint: "", sessionId: "", channelId: "")

    var json: JSONValue {
        ["token": .string(token), "endpoint": .string(endpoint), "sessionId": .string(sessionId), "channelId": .string(channelId)]
    }
}
