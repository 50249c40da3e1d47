/// A dispatch (op 0). Typed for the events Anankor uses; everything else arrives raw.
public enum GatewayEvent: Sendable, Hashable {
    case ready(Ready)
    case resumed
    case guildCreate(Guild)
    case guildUpdate(Guild)
    case guildDelete(UnavailableGuild)
    case channelCreate(Channel)
    case channelUpdate(Channel)
    case channelDelete(Channel)
    case guildMemberAdd(GuildMemberEvent)
    case guildMemberUpdate(GuildMemberEvent)
    case guildMemberRemove(GuildMemberRemove)
    case guildRoleCreate(GuildRoleEvent)
    case guildRoleUpdate(GuildRoleEvent)
    case guildRoleDelete(GuildRoleDelete)
    case voiceStateUpdate(VoiceState)
    case voiceServerUpdate(VoiceServerUpdate)
    case interactionCreate(Interaction)
    case messageCreate(Message)
    case guildMembersChunk(GuildMembersChunk)
    /// Any other dispatch, or a typed one whose payload did not decode.
    case other(name: String, data: JSONValue)

    public var name: String {
        switch self {
        case .ready: "READY"
        case .resumed: "RESUMED"
        case .guildCreate: "GUILD_CREATE"
        case .guildUpdate: "GUILD_UPDATE"
        case .guildDelete: "GUILD_DELETE"
        case .channelCreate: "CHANNEL_CREATE"
        case .channelUpdate: "CHANNEL_UPDATE"
        case .channelDelete: "CHANNEL_DELETE"
        case .guildMemberAdd: "GUILD_MEMBER_ADD"
        case .guildMemberUpdate: "GUILD_MEMBER_UPDATE"
        case .guildMemberRemove: "GUILD_MEMBER_REMOVE"
        case .guildRoleCreate: "GUILD_ROLE_CREATE"
        case .guildRoleUpdate: "GUILD_ROLE_UPDATE"
        case .guildRoleDelete: "GUILD_ROLE_DELETE"
        case .voiceStateUpdate: "VOICE_STATE_UPDATE"
        case .voiceServerUpdate: "VOICE_SERVER_UPDATE"
        case .interactionCreate: "INTERACTION_CREATE"
        case .messageCreate: "MESSAGE_CREATE"
        case .guildMembersChunk: "GUILD_MEMBERS_CHUNK"
        case .other(let name, _): name
        }
    }
}

/// GUILD_MEMBERS_CHUNK: one answer to op 8.
public struct GuildMembersChunk: Codable, Sendable, Hashable {
    public var guildID: Snowflake<Guild>
    public var members: [GuildMember]
    public var chunkIndex: Int
    public var chunkCount: Int
    /// Requested ids that are not members.
    public var notFound: [Snowflake<User>]?
    public var nonce: String?

    enum CodingKeys: String, CodingKey {
        case members, nonce
        case guildID = "guild_id"
        case chunkIndex = "chunk_index"
        case chunkCount = "chunk_count"
        case notFound = "not_found"
    }
}

/// READY.
public struct Ready: Codable, Sendable, Hashable {
    public struct PartialApplication: Codable, Sendable, Hashable {
        public var id: Snowflake<Application>
        public var flags: Int?
    }

    public var v: Int
    public var user: User
    public var guilds: [UnavailableGuild]
    public var sessionID: String
    public var resumeGatewayURL: String
    public var shard: [Int]?
    public var application: PartialApplication?

    enum CodingKeys: String, CodingKey {
        case v, user, guilds, shard, application
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
    }
}

/// A frame from the gateway, by opcode.
public enum GatewayMessage: Sendable, Hashable {
    case dispatch(sequence: Int?, event: GatewayEvent)
    /// Op 1: the server asks for a heartbeat now.
    case heartbeatRequest
    /// Op 7.
    case reconnect
    /// Op 9.
    case invalidSession(resumable: Bool)
    /// Op 10.
    case hello(heartbeatInterval: Duration)
    /// Op 11.
    case heartbeatAck
    case unknown(opcode: Int)
}
