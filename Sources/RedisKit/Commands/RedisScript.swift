import Crypto
import NIOCore

/// A Lua script: its source and SHA1, so it is sent by hash and loaded only when the server lacks it.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA1 of `source`, as `SCRIPT LOAD` returns it.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

extension RedisCommandSender {
    /// `EVALSHA`; on `NOSCRIPT` (first use, or a server that restarted and lost its script cache)
    /// loads the script with `SCRIPT LOAD` and runs it again.
    @discardableResult
    public func eval(_ script: RedisScript, keys: [String] = [], arguments: [any RedisArgument] = []) async throws -> RESPValue {
        let command = RedisCommand("EVALSHA", [script.sha1, keys.count] + keys + arguments)
        do {
            return try await send(command)
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            _ = try await send(RedisCommand("SCRIPT", "LOAD", script.source))
            return try await send(command)
        }
    }
}
