/// How to reach and use one Lavalink node.
public struct NodeConfiguration: Sendable {
    /// A name for logs, errors and the pool (e.g. `eu-1`).
    public var name: String
    public var endpoint: NodeEndpoint
    /// The Discord user id of the bot whose players this connection drives.
    public var userId: String
    /// Sent as `Client-Name` (`NAME/VERSION`).
    public var clientName: String
    /// How long the node keeps the session and its players after the websocket drops.
    public var resumeTimeout: Duration
    public var backoff: ReconnectBackoff
    /// Consecutive failed reconnect attempts after which the node counts as lost (its players are
    /// moved elsewhere by a pool). A dropped socket that reconnects at once keeps its players.
    public var failedAttemptsBeforeLost: Int
    public var requestTimeout: Duration
    /// A session id saved by an earlier connection (possibly another process of the same bot):
    /// the first connection sends it as `Session-Id`, so a node that still keeps that session
    /// answers `ready {resumed: true}` with its players still playing. A node that no longer
    /// knows it starts a fresh session.
    public var resumeSessionId: String?
    /// Where the node runs (one of `NodeRegion.all`); a pool puts a new player on a node in its
    /// voice server's region first. Nil: no region, placed by load alone.
    public var region: String?

    public init(
        name: String, endpoint: NodeEndpoint, userId: String, clientName: String = "LavalinkKit/1.0",
        resumeTimeout: Duration = .seconds(60), backoff: ReconnectBackoff = ReconnectBackoff(),
        failedAttemptsBeforeLost: Int = 1, requestTimeout: Duration = .seconds(10), resumeSessionId: String? = nil,
        region: String? = nil
    ) {
        self.region = region
        self.name = name
        self.endpoint = endpoint
        self.userId = userId
        self.clientName = clientName
        self.resumeTimeout = resumeTimeout
        self.backoff = backoff
        self.failedAttemptsBeforeLost = max(1, failedAttemptsBeforeLost)
        self.requestTimeout = requestTimeout
        self.resumeSessionId = resumeSessionId.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// What a node reports to its subscribers.
public enum NodeEvent: Sendable, Hashable {
    /// `ready` received; `resumed` says whether the node kept the previous session's players.
    case ready(sessionId: String, resumed: Bool)
    case playerUpdate(guildId: String, state: PlayerState)
    case stats(NodeStats)
    case player(PlayerEvent)
    /// The websocket closed; the node is retrying.
    case disconnected
    /// Reconnecting failed `failedAttemptsBeforeLost` times in a row: its players need another node.
    case lost
}

/// Connection status of a node.
public enum NodeStatus: Sendable, Hashable {
    case connecting
    case connected(sessionId: String)
    case reconnecting(failedAttempts: Int)
    /// Refused for good (too old, wrong password); `run()` has thrown.
    case refused
    case stopped

    public var isAvailable: Bool {
        if case .connected = self { return true }
        return false
    }
}
