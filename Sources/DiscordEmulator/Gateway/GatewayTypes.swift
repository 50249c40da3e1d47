import DequeModule


/// What a connection's writer task sends next.
enum GatewayOutbound: Sendable {
    /// A complete JSON payload.
    case payload(String)
    /// Close frame with a Discord close code, then end the connection.
    case close(code: UInt16, reason: String)
    /// Cut the TCP connection without a close frame (a network drop).
    case drop
}

struct GatewayConnectionState {
    let id: Int
    let outbound: AsyncStream<GatewayOutbound>.Continuation
    var sessionID: String?
    /// Emulator times of recent client payloads (send limit).
    var recentPayloads: Array<Duration> = []
    var closed = false
    /// `zlib-stream`, `zstd-stream` or nil (text frames), for the control API.
    var compression: String?
    /// Emulator time (`EmulatorClock.elapsed`) of the last heartbeat or of the connection's
    /// opening: zombie detection, so a test with a frozen clock decides when a connection lapses.
    var lastHeartbeat: Duration
}

struct GatewaySession {
    let id: String
    let applicationID: UInt64
    let shardID: Int
    let shardCount: Int
    let intents: UInt64
    let largeThreshold: Int
    var seq = 0
    /// Dispatches kept for RESUME: (seq, payload).
    /// The last events sent, for RESUME (bounded by `resumeBufferSize`; a deque, so keeping the
    /// window costs no copy per event).
    var buffer: Deque<(seq: Int, payload: String)> = []
    var connectionID: Int?
    var resumable = true

    func handles(guildID: UInt64?) -> Bool {
        guard let guildID else { return shardID == 0 }
        return Int((guildID >> 22) % UInt64(shardCount)) == shardID
    }
}

/// Discord's gateway close codes.
enum GatewayCloseCode {
    static let unknownError: UInt16 = 4000
    static let unknownOpcode: UInt16 = 4001
    static let decodeError: UInt16 = 4002
    static let notAuthenticated: UInt16 = 4003
    static let authenticationFailed: UInt16 = 4004
    static let alreadyAuthenticated: UInt16 = 4005
    static let invalidSeq: UInt16 = 4007
    static let rateLimited: UInt16 = 4008
    static let sessionTimedOut: UInt16 = 4009
    static let invalidShard: UInt16 = 4010
    static let shardingRequired: UInt16 = 4011
    static let invalidAPIVersion: UInt16 = 4012
    static let invalidIntents: UInt16 = 4013
    static let disallowedIntents: UInt16 = 4014
}
