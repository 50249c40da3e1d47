/// A Discord user (`users/@me`, message authors, interaction invokers, members).
public struct User: Codable, Sendable, Hashable {
    public var id: Snowflake<User>
    public var username: String
    public var discriminator: String?
    public var globalName: String?
    public var avatar: String?
    public var bot: Bool?
    public var system: Bool?
    public var publicFlags: Int?

    public init(id: Snowflake<User>, username: String, discriminator: String? = "0", globalName: String? = nil,
                avatar: String? = nil, bot: Bool? = nil) {
        self.id = id
        self.username = username
        self.discriminator = discriminator
        self.globalName = globalName
        self.avatar = avatar
        self.bot = bot
    }

    enum CodingKeys: String, CodingKey {
        case id, username, discriminator, avatar, bot, system
        case globalName = "global_name"
        case publicFlags = "public_flags"
    }
}

/// The application (`applications/@me`, READY's `application`).
public struct Application: Codable, Sendable, Hashable {
    public var id: Snowflake<Application>
    public var name: String?
    public var description: String?
    public var icon: String?
    public var botPublic: Bool?
    public var botRequireCodeGrant: Bool?
    public var owner: User?
    public var verifyKey: String?
    public var flags: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, description, icon, owner, flags
        case botPublic = "bot_public"
        case botRequireCodeGrant = "bot_require_code_grant"
        case verifyKey = "verify_key"
    }
}

/// `GET /gateway/bot`.
public struct GatewayBot: Codable, Sendable, Hashable {
    public struct SessionStartLimit: Codable, Sendable, Hashable {
        public var total: Int
        public var remaining: Int
        /// Milliseconds until the limit resets.
        public var resetAfter: Int
        public var maxConcurrency: Int

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    public var url: String
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
