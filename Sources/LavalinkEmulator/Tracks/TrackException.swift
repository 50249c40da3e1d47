/// Lavalink's exception object (load errors and `TrackExceptionEvent`).
public struct TrackException: Sendable, Equatable {
    public enum Severity: String, Sendable {
        case common, suspicious, fault
    }

    public var message: String?
    public var severity: Severity
    public var cause: String
    public var causeStackTrace: String

    public init(message: String?, severity: Severity, cause: String, causeStackTrace: String? = nil) {
        self.message = message
        self.severity = severity
        self.cause = cause
        self.causeStackTrace = causeStackTrace ?? "\(cause)\n\tat emulator.LavalinkEmulator(emulated)\n"
    }

    var json: JSONValue {
        [
            "message": .optional(message),
            "severity": .string(severity.rawValue),
            "cause": .string(cause),
            "causeStackTrace": .string(causeStackTrace),
        ]
    }
}

/// The result of `/v4/loadtracks`.
public enum LoadResult: Sendable, Equatable {
    case track(Track)
    /// `pluginInfo` carries LavaSrc's playlist fields (type, url, artworkUrl, author, totalTracks).
    case playlist(name: String, selectedTrack: Int, tracks: [Track], pluginInfo: JSONValue = [:])
    case search([Track])
    case empty
    case error(TrackException)

    var json: JSONValue {
        switch self {
        case .track(let track):
            return ["loadType": "track", "data": track.json()]
        case .playlist(let name, let selected, let tracks, let pluginInfo):
            return [
                "loadType": "playlist",
                "data": [
                    "info": ["name": .string(name), "selectedTrack": .int(selected)],
                    "pluginInfo": pluginInfo,
                    "tracks": .array(tracks.map { $0.json() }),
                ],
            ]
        case .search(let tracks):
            return ["loadType": "search", "data": .array(tracks.map { $0.json() })]
        case .empty:
            return ["loadType": "empty", "data": [:]]
        case .error(let exception):
            return ["loadType": "error", "data": exception.json]
        }
    }
}
