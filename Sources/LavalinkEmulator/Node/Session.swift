/// A message the node pushes down a client's websocket.
enum OutboundMessage: Sendable {
    case text(String)
    /// Close the websocket (the node is being killed or the session replaced).
    case close
}

/// A client's Lavalink session: its players outlive a websocket drop when resuming is enabled.
struct Session {
    struct Connection {
        let id: UInt64
        let continuation: AsyncStream<OutboundMessage>.Continuation
    }

    let id: String
    let userId: String
    var clientName: String
    var resuming = false
    var timeoutSeconds: Int64 = 60
    var connection: Connection?
    /// Virtual time the websocket dropped, while resumable and disconnected.
    var disconnectedAt: Int64?
    /// Events held while disconnected, delivered on resume.
    var queued: [String] = []
    var players: [String: Player] = [:]
    var lastStatsSent: Int64
    /// SponsorBlock: the categories to skip, by guild (set with PUT …/sponsorblock/categories).
    var sponsorBlockCategories: [String: [String]] = [:]

    init(id: String, userId: String, clientName: String, now: Int64) {
        self.id = id
        self.userId = userId
        self.clientName = clientName
        self.lastStatsSent = now
    }

    /// Sends now, or queues when the session waits for a resume (events only, as Lavalink does:
    /// player updates and stats of a disconnected session are simply not produced).
    mutating func send(_ message: JSONValue, queueIfDisconnected: Bool) {
        let text = message.text
        if let connection {
            connection.continuation.yield(.text(text))
        } else if queueIfDisconnected, resuming {
            queued.append(text)
        }
    }

    /// Guild ids in numeric order (shorter first, then by text: ids are decimal). `utf8.count`,
    /// not `count`: this runs on every tick over every player, and `count` walks the string.
    var sortedGuildIds: [String] {
        players.keys.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count < $1.utf8.count : $0 < $1 }
    }
}

/// A track start the node accepted: the benchmarks measure interaction → play with these.
/// A track that played to its end (a `TrackEndEvent` with reason `finished` was sent).
public struct TrackEndRecord: Sendable, Equatable {
    public var sessionId: String
    public var userId: String
    public var guildId: String
    public var identifier: String
    /// Wall-clock time the event was handed to the session, in Unix milliseconds.
    public var sentAtUnixMs: Double
    /// The node's virtual time of the end.
    public var virtualTime: Int64
}

public struct TrackStartRecord: Sendable, Equatable {
    public var sessionId: String
    public var userId: String
    public var guildId: String
    public var identifier: String
    public var title: String
    /// Where in the track playback starts (a resumed or moved player starts past 0).
    public var position: Int64
    /// Wall-clock time the PATCH that started the track was received, in Unix milliseconds.
    public var receivedAtUnixMs: Double
    /// The node's virtual time at that moment.
    public var virtualTime: Int64
}
