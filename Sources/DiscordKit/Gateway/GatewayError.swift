/// A gateway failure that stops a shard: reconnecting would not help, an operator must act.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// 4004: the token is wrong or was reset.
        case authenticationFailed
        /// 4010: the shard id or count is invalid.
        case invalidShard
        /// 4011: too many guilds for one session; more shards are needed.
        case shardingRequired
        /// 4012: the gateway refused API version 10.
        case invalidAPIVersion
        /// 4013: the intents value is invalid.
        case invalidIntents
        /// 4014: privileged intents not enabled for this application.
        case disallowedIntents
        /// The gateway URL could not be used.
        case invalidURL
        /// A command was sent while the shard had no ready connection.
        case notConnected
    }

    public var code: Code
    /// The websocket close code, when the gateway sent one.
    public var closeCode: Int?
    public var message: String

    public init(code: Code, closeCode: Int?, message: String) {
        self.code = code
        self.closeCode = closeCode
        self.message = message
    }

    public var description: String {
        closeCode.map { "gateway closed with \($0): \(message)" } ?? "gateway: \(message)"
    }

    /// The documented non-reconnectable close codes, as errors; nil for the others.
    static func fatal(closeCode: Int) -> GatewayError? {
        switch closeCode {
        case 4004: .init(code: .authenticationFailed, closeCode: closeCode,
                         message: "authentication failed: check the bot token (it may have been reset)")
        case 4010: .init(code: .invalidShard, closeCode: closeCode, message: "invalid shard: check shard id and shard count")
        case 4011: .init(code: .shardingRequired, closeCode: closeCode,
                         message: "sharding required: run more shards (see GET /gateway/bot `shards`)")
        case 4012: .init(code: .invalidAPIVersion, closeCode: closeCode, message: "the gateway refused API version 10")
        case 4013: .init(code: .invalidIntents, closeCode: closeCode, message: "invalid intents value")
        case 4014: .init(code: .disallowedIntents, closeCode: closeCode,
                         message: "disallowed intents: enable the privileged intents in the developer portal or drop them")
        default: nil
        }
    }
}
