import Foundation

/// A monotonically increasing number handed out with each new lease on a name. Whoever acts on
/// shared state presents it; a holder whose token is lower than the current one is stale.
public struct FencingToken: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(UInt64.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a lease is on.
public struct LeaseName: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The lease a worker process holds on a worker bot's token: one process per token.
    public static func workerToken(_ worker: WorkerID) -> Self { Self("token:\(worker)") }
    /// A master's lease on one gateway shard of the master bot.
    public static func shard(_ id: Int) -> Self { Self("shard:\(id)") }
    /// A seat at the table of running masters: each master holds one while it runs, so the others
    /// can count how many share the shards. Seats `0..<shardCount` exist (more masters than shards
    /// would not change anyone's share).
    public static func masterSeat(_ index: Int) -> Self { Self("master-seat:\(index)") }
    /// Taken for 5 s by whichever process IDENTIFYs a shard of this `max_concurrency` bucket, so
    /// processes that split a bot's shards keep Discord's pace together.
    public static func identifyBucket(_ bucket: Int) -> Self { Self("identify:\(bucket)") }
}

/// Identifies one running process that holds leases (host + pid + start nonce, for example).
public struct LeaseHolder: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

public struct Lease: Sendable, Hashable, Codable {
    public var name: LeaseName
    public var holder: LeaseHolder
    public var fencingToken: FencingToken
    public var expiresAt: Date

    public init(name: LeaseName, holder: LeaseHolder, fencingToken: FencingToken, expiresAt: Date) {
        self.name = name
        self.holder = holder
        self.fencingToken = fencingToken
        self.expiresAt = expiresAt
    }
}

public enum LeaseOutcome: Sendable, Hashable {
    case acquired(Lease)
    /// Someone else holds it until `Lease.expiresAt`.
    case held(Lease)

    public var lease: Lease? {
        if case .acquired(let lease) = self { lease } else { nil }
    }
}

/// A worker as the registry sees it.
public struct WorkerStatus: Sendable, Hashable, Codable {
    public var worker: WorkerID
    public var fencingToken: FencingToken
    /// Sessions it plays (or any load figure the router compares; lower is preferred).
    public var load: Int
    public var lastSeen: Date
    public var expiresAt: Date

    public init(worker: WorkerID, fencingToken: FencingToken, load: Int, lastSeen: Date, expiresAt: Date) {
        self.worker = worker
        self.fencingToken = fencingToken
        self.load = load
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
    }

    public func isAlive(at now: Date) -> Bool { expiresAt > now }
}
