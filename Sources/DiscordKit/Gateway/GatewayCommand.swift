import Foundation

/// Gateway intents (`IDENTIFY.intents`).
public struct GatewayIntents: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    /// Privileged.
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    public static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    /// Privileged.
    public static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let directMessages = GatewayIntents(rawValue: 1 << 12)
    /// Privileged.
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)
}

/// Op 4: join (`channelID`), move, or leave (`channelID` nil) voice in a guild.
public struct VoiceStateUpdate: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var channelID: Snowflake<Channel>?
    public var selfMute: Bool
    public var selfDeaf: Bool

    public init(guildID: Snowflake<Guild>, channelID: Snowflake<Channel>?, selfMute: Bool = false, selfDeaf: Bool = true) {
        self.guildID = guildID
        self.channelID = channelID
        self.selfMute = selfMute
        self.selfDeaf = selfDeaf
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case channelID = "channel_id"
        case selfMute = "self_mute"
        case selfDeaf = "self_deaf"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guildID, forKey: .guildID)
        try container.encode(channelID, forKey: .channelID) // null leaves voice: must be sent
        try container.encode(selfMute, forKey: .selfMute)
        try container.encode(selfDeaf, forKey: .selfDeaf)
    }
}

/// Op 8: ask for a guild's members; they arrive as GUILD_MEMBERS_CHUNK dispatches. Either a
/// username prefix (`query`, "" for everyone, which needs GUILD_MEMBERS) or up to 100 `userIDs`.
public struct RequestGuildMembers: Encodable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var query: String?
    /// 0: no limit (only with `query` "" and the GUILD_MEMBERS intent).
    public var limit: Int
    public var presences: Bool
    public var userIDs: [Snowflake<User>]?
    /// Echoed in every chunk, to tell the answers to concurrent requests apart (≤ 32 bytes).
    public var nonce: String?

    public init(guildID: Snowflake<Guild>, query: String? = "", limit: Int = 0, presences: Bool = false,
                userIDs: [Snowflake<User>]? = nil, nonce: String? = nil) {
        self.guildID = guildID
        self.query = userIDs == nil ? (query ?? "") : query
        self.limit = limit
        self.presences = presences
        self.userIDs = userIDs
        self.nonce = nonce
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case query, limit, presences, nonce
        case userIDs = "user_ids"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guildID, forKey: .guildID)
        try container.encodeIfPresent(query, forKey: .query)
        try container.encode(limit, forKey: .limit)
        try container.encode(presences, forKey: .presences)
        try container.encodeIfPresent(userIDs, forKey: .userIDs)
        try container.encodeIfPresent(nonce, forKey: .nonce)
    }
}

/// Op 3 and IDENTIFY's `presence`.
public struct PresenceUpdate: Codable, Sendable, Hashable {
    public struct Activity: Codable, Sendable, Hashable {
        public var name: String
        /// 0 playing, 2 listening, 3 watching, 4 custom, 5 competing.
        public var type: Int
        public var state: String?
        public init(name: String, type: Int, state: String? = nil) {
            self.name = name
            self.type = type
            self.state = state
        }
    }

    public var since: Int?
    public var activities: [Activity]
    public var status: String
    public var afk: Bool

    public init(activities: [Activity] = [], status: String = "online", afk: Bool = false, since: Int? = nil) {
        self.activities = activities
        self.status = status
        self.afk = afk
        self.since = since
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(since, forKey: .since)
        try container.encode(activities, forKey: .activities)
        try container.encode(status, forKey: .status)
        try container.encode(afk, forKey: .afk)
    }
}

/// A payload the client sends. The token is added at encoding time by the shard.
enum GatewayCommand: Sendable, Hashable {
    case heartbeat(sequence: Int?)
    case identify(Identify)
    case resume(sessionID: String, sequence: Int?)
    case voiceStateUpdate(VoiceStateUpdate)
    case presenceUpdate(PresenceUpdate)
    case requestGuildMembers(RequestGuildMembers)

    struct Identify: Sendable, Hashable {
        var intents: GatewayIntents
        var shard: [Int]
        var properties: [String: String]
        var presence: PresenceUpdate?
        var largeThreshold: Int?
    }

    var opcode: Int {
        switch self {
        case .heartbeat: 1
        case .identify: 2
        case .presenceUpdate: 3
        case .voiceStateUpdate: 4
        case .resume: 6
        case .requestGuildMembers: 8
        }
    }

    /// The JSON frame; `token` only goes into IDENTIFY and RESUME.
    func encoded(token: BotToken) throws -> String {
        let data: Data
        switch self {
        case .heartbeat(let sequence):
            return #"{"op":1,"d":\#(sequence.map(String.init) ?? "null")}"#
        case .identify(let identify):
            struct Body: Encodable {
                let token: String
                let intents: Int
                let properties: [String: String]
                let shard: [Int]
                let presence: PresenceUpdate?
                let large_threshold: Int?
                let compress = false
            }
            data = try Self.encoder.encode(Envelope(op: 2, d: Body(
                token: token.secret, intents: identify.intents.rawValue, properties: identify.properties,
                shard: identify.shard, presence: identify.presence, large_threshold: identify.largeThreshold)))
        case .resume(let sessionID, let sequence):
            struct Body: Encodable {
                let token: String
                let session_id: String
                let seq: Int?
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(token, forKey: .token)
                    try container.encode(session_id, forKey: .session_id)
                    try container.encode(seq, forKey: .seq)
                }
                enum CodingKeys: CodingKey { case token, session_id, seq }
            }
            data = try Self.encoder.encode(Envelope(op: 6, d: Body(token: token.secret, session_id: sessionID, seq: sequence)))
        case .voiceStateUpdate(let update):
            data = try Self.encoder.encode(Envelope(op: 4, d: update))
        case .presenceUpdate(let presence):
            data = try Self.encoder.encode(Envelope(op: 3, d: presence))
        case .requestGuildMembers(let request):
            data = try Self.encoder.encode(Envelope(op: 8, d: request))
        }
        return String(decoding: data, as: UTF8.self)
    }

    private struct Envelope<Payload: Encodable>: Encodable {
        let op: Int
        let d: Payload
    }

    private static let encoder = JSONEncoder()
}
