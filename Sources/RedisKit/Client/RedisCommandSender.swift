import NIOCore

/// Anything that can send a command: the pooled `RedisClient` or one `RedisConnection`.
/// The typed command helpers are extensions on this protocol, so they work on both.
public protocol RedisCommandSender: Sendable {
    /// Sends the command and returns the server's reply; error replies throw `RedisError` `.server`.
    func send(_ command: RedisCommand) async throws -> RESPValue
    /// Sends all commands with a single flush; one result per command, in order (a server error
    /// fails only its own command).
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]
}

extension RedisCommandSender {
    /// One command after another: for senders that cannot pipeline (wrappers in tests). The
    /// client and the connection send them in one flush.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        var results: [Result<RESPValue, RedisError>] = []
        for command in commands {
            do {
                results.append(.success(try await send(command)))
            } catch let error as RedisError where error.code == .server {
                results.append(.failure(error))
            }
        }
        return results
    }

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
