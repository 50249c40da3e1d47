/// The gateway's outbound limit: 120 payloads per 60 s per connection (more closes it with
/// 4008). A few slots are kept for heartbeats so commands can never starve them.
public actor GatewaySendLimiter {
    private let time: DiscordTimeSource
    private let limit: Int
    private let window: Duration
    private let reservedForHeartbeats: Int
    private var sent: [Duration] = []

    public init(time: DiscordTimeSource, limit: Int = 120, window: Duration = .seconds(60), reservedForHeartbeats: Int = 5) {
        self.time = time
        self.limit = limit
        self.window = window
        self.reservedForHeartbeats = reservedForHeartbeats
    }

    /// Waits until one more payload may go out, and counts it.
    public func acquire(heartbeat: Bool = false) async throws {
        while true {
            let now = time.now()
            sent.removeAll { now - $0 >= window }
            let allowed = heartbeat ? limit : limit - reservedForHeartbeats
            if sent.count < allowed {
                sent.append(now)
                return
            }
            let oldest = sent[sent.count - allowed]
            try await time.sleep(oldest + window - now)
        }
    }

    public func reset() { sent.removeAll() }
}

/// When a shard may IDENTIFY. Discord allows one IDENTIFY per `max_concurrency` bucket every 5 s
/// for the whole bot, whichever process sends it: processes that split a bot's shards share one
/// pacing (a lease in a store they all reach, for example); one process alone uses
/// `IdentifyLimiter`.
public protocol IdentifyPacing: Sendable {
    /// Returns when `shardID` may IDENTIFY now; throws when cancelled.
    func waitForTurn(shardID: Int) async throws
}

/// Identify concurrency: shards start in buckets of `shard_id % max_concurrency`, one IDENTIFY per
/// bucket every 5 s. Shared by the shards of one process.
public actor IdentifyLimiter: IdentifyPacing {
    private let time: DiscordTimeSource
    private let maxConcurrency: Int
    private let interval: Duration
    private var nextAllowed: [Int: Duration] = [:]

    public init(time: DiscordTimeSource, maxConcurrency: Int, interval: Duration = .seconds(5)) {
        self.time = time
        self.maxConcurrency = max(1, maxConcurrency)
        self.interval = interval
    }

    /// Waits for this shard's bucket, then holds it for `interval`.
    public func waitForTurn(shardID: Int) async throws {
        let bucket = shardID % maxConcurrency
        let now = time.now()
        let slot = max(now, nextAllowed[bucket] ?? now)
        nextAllowed[bucket] = slot + interval
        if slot > now { try await time.sleep(slot - now) }
    }
}
