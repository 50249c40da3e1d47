import Foundation

public struct ScheduleItemID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A durable scheduled item (a game reminder, for example); `payload` is opaque to the store.
public struct ScheduleItem: Sendable, Hashable, Codable {
    public var id: ScheduleItemID
    public var dueAt: Date
    /// Items of one group (one lobby) can be cancelled together.
    public var group: String?
    public var payload: Data

    public init(id: ScheduleItemID, dueAt: Date, group: String? = nil, payload: Data) {
        self.id = id
        self.dueAt = dueAt
        self.group = group
        self.payload = payload
    }
}

/// A due item claimed by one process until `leaseUntil`; if it is not completed by then (the
/// claimer crashed), another claimer gets it with a higher `attempt`.
public struct ScheduleClaim: Sendable, Hashable {
    public var item: ScheduleItem
    public var claimant: LeaseHolder
    public var token: FencingToken
    public var attempt: Int
    public var leaseUntil: Date

    public init(item: ScheduleItem, claimant: LeaseHolder, token: FencingToken, attempt: Int, leaseUntil: Date) {
        self.item = item
        self.claimant = claimant
        self.token = token
        self.attempt = attempt
        self.leaseUntil = leaseUntil
    }
}

/// Where a gateway (and Lavalink) connection can be resumed after a restart or a takeover.
public struct ResumeKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The bot user whose token the connection uses.
    public var bot: UserID
    public var shard: Int

    public init(bot: UserID, shard: Int = 0) {
        self.bot = bot
        self.shard = shard
    }

    public var description: String { "\(bot):\(shard)" }
}

public struct ResumeInfo: Sendable, Hashable, Codable {
    public var gatewaySessionID: String?
    public var sequence: Int?
    public var resumeGatewayURL: String?
    public var lavalinkSessionID: String?
    public var updatedAt: Date

    public init(gatewaySessionID: String? = nil, sequence: Int? = nil, resumeGatewayURL: String? = nil,
                lavalinkSessionID: String? = nil, updatedAt: Date) {
        self.gatewaySessionID = gatewaySessionID
        self.sequence = sequence
        self.resumeGatewayURL = resumeGatewayURL
        self.lavalinkSessionID = lavalinkSessionID
        self.updatedAt = updatedAt
    }
}

extension ResumeInfo {
    /// Lavalink session ids by node name. A worker keeps them in shard 0's record as a JSON object
    /// `{"node name": "session id"}`; a bare id (not JSON) is read as the first node's. The master
    /// reads them too, to look at (and stop) a worker's players through Lavalink's REST API.
    public func lavalinkSessions(nodeNames: [String]) -> [String: String] {
        guard let raw = lavalinkSessionID, !raw.isEmpty else { return [:] }
        if raw.hasPrefix("{"), let decoded = try? JSONDecoder().decode([String: String].self, from: Data(raw.utf8)) {
            return decoded.filter { nodeNames.contains($0.key) && !$0.value.isEmpty }
        }
        return nodeNames.first.map { [$0: raw] } ?? [:]
    }
}

/// Why a state operation failed.
public enum StateStoreErrorCode: String, PortErrorCode {
    /// The backing store cannot be reached or failed; retry later.
    case unavailable
    /// The presented fencing token is no longer current: the caller lost its lease and must stop.
    case staleFence
    /// An argument is out of range (negative limit, cap below 1, …).
    case invalidArgument
    /// Stored data could not be decoded.
    case corrupt

    public static let port = "state store"
}

public typealias StateStoreError = PortError<StateStoreErrorCode>
