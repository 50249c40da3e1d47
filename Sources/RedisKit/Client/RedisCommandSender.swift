import NIOCore

/// Anything that can send a command: the pooled `RedisClient` or one `RedisConnection`.
/// The typed command helpers are extensions on this protocol, so they work on both.
public protocol RedisCommandSender: Sendable {
    /// Sends the command and returns the server's reply; error replies throw `RedisError` `.server`.
    func send(_ command: RedisCommand) async throws -> RESPValue
}

extension RedisCommandSender {
    /// The generic form: `send("SET", "key", "value")`.
    @discardableResult
    public func send(_ name: String, _ arguments: any RedisArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }

    @discardableResult
    public func send(_ name: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }
}
