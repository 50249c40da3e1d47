/// A message the node sends on its websocket. Unknown ops decode to `.unknown` instead of failing,
/// so a newer server never breaks the connection.
public enum NodeMessage: Sendable, Hashable {
    case ready(resumed: Bool, sessionId: String)
    case playerUpdate(guildId: String, state: PlayerState)
    case stats(NodeStats)
    case event(PlayerEvent)
    case unknown(op: String)
}

/// A player event (`op: event`), keyed by guild.
public struct PlayerEvent: Sendable, Hashable {
    public var guildId: String
    public var kind: Kind

    public init(guildId: String, kind: Kind) {
        self.guildId = guildId
        self.kind = kind
    }

    public enum Kind: Sendable, Hashable {
        case trackStart(Track)
        case trackEnd(Track, reason: TrackEndReason)
        case trackException(Track, TrackException)
        case trackStuck(Track, thresholdMs: Int64)
        /// The node's voice connection to Discord closed (code 4006 session invalid, 4014
        /// disconnected, 4017 end-to-end encryption required, …).
        case webSocketClosed(code: Int, reason: String, byRemote: Bool)
        /// An event of a plugin this client knows (SponsorBlock's segments and chapters).
        case plugin(PluginEvent)
        case unknown(type: String)
    }
}

public enum TrackEndReason: Sendable, Hashable {
    case finished
    case loadFailed
    case stopped
    case replaced
    case cleanup
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "finished": self = .finished
        case "loadFailed": self = .loadFailed
        case "stopped": self = .stopped
        case "replaced": self = .replaced
        case "cleanup": self = .cleanup
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .finished: "finished"
        case .loadFailed: "loadFailed"
        case .stopped: "stopped"
        case .replaced: "replaced"
        case .cleanup: "cleanup"
        case .other(let raw): raw
        }
    }

    /// Whether a queue should start its next track (Lavalink's table: only finished and loadFailed).
    public var mayStartNext: Bool {
        switch self {
        case .finished, .loadFailed: true
        case .stopped, .replaced, .cleanup, .other: false
        }
    }
}

extension NodeMessage: Decodable {
    private enum Keys: String, CodingKey {
        case op, resumed, sessionId, guildId, state, type, track, reason, exception, thresholdMs, code, byRemote
        case segments, segment, chapters, chapter
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let op = try container.decode(String.self, forKey: .op)
        switch op {
        case "ready":
            self = .ready(
                resumed: try container.decode(Bool.self, forKey: .resumed),
                sessionId: try container.decode(String.self, forKey: .sessionId)
            )
        case "playerUpdate":
            self = .playerUpdate(
                guildId: try container.decode(String.self, forKey: .guildId),
                state: try container.decode(PlayerState.self, forKey: .state)
            )
        case "stats":
            self = .stats(try NodeStats(from: decoder))
        case "event":
            let guildId = try container.decode(String.self, forKey: .guildId)
            let type = try container.decode(String.self, forKey: .type)
            let kind: PlayerEvent.Kind
            switch type {
            case "TrackStartEvent":
                kind = .trackStart(try container.decode(Track.self, forKey: .track))
            case "TrackEndEvent":
                kind = .trackEnd(
                    try container.decode(Track.self, forKey: .track),
                    reason: TrackEndReason(rawValue: try container.decode(String.self, forKey: .reason))
                )
            case "TrackExceptionEvent":
                kind = .trackException(
                    try container.decode(Track.self, forKey: .track),
                    try container.decode(TrackException.self, forKey: .exception)
                )
            case "TrackStuckEvent":
                kind = .trackStuck(
                    try container.decode(Track.self, forKey: .track),
                    thresholdMs: try container.decode(Int64.self, forKey: .thresholdMs)
                )
            case "WebSocketClosedEvent":
                kind = .webSocketClosed(
                    code: try container.decode(Int.self, forKey: .code),
                    reason: try container.decodeIfPresent(String.self, forKey: .reason) ?? "",
                    byRemote: try container.decodeIfPresent(Bool.self, forKey: .byRemote) ?? false
                )
            // A plugin event of another shape (another plugin version) is unknown, never an error.
            case "SegmentsLoaded":
                kind = (try? container.decode([SponsorBlock.Segment].self, forKey: .segments))
                    .map { .plugin(.segmentsLoaded($0)) } ?? .unknown(type: type)
            case "SegmentSkipped":
                kind = (try? container.decode(SponsorBlock.Segment.self, forKey: .segment))
                    .map { .plugin(.segmentSkipped($0)) } ?? .unknown(type: type)
            case "ChaptersLoaded":
                kind = (try? container.decode([SponsorBlock.Chapter].self, forKey: .chapters))
                    .map { .plugin(.chaptersLoaded($0)) } ?? .unknown(type: type)
            case "ChapterStarted":
                kind = (try? container.decode(SponsorBlock.Chapter.self, forKey: .chapter))
                    .map { .plugin(.chapterStarted($0)) } ?? .unknown(type: type)
            default:
                kind = .unknown(type: type)
            }
            self = .event(PlayerEvent(guildId: guildId, kind: kind))
        default:
            self = .unknown(op: op)
        }
    }
}
