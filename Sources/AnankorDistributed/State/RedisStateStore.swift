import AnankorCore
import Foundation
import RedisKit

/// The distributed `StateStore`: Redis, with one Lua script per multi-key invariant
/// (`RedisStateScripts`, `RedisCoordinationScripts`). Several masters share it safely.
public final class RedisStateStore: StateStore {
    let redis: any RedisCommandSender
    let keys: RedisStateKeys

    /// - Parameter prefix: starts every key, so several deployments can share one Redis.
    public init(redis: any RedisCommandSender, prefix: String = "anankor:") {
        self.redis = redis
        keys = RedisStateKeys(prefix: prefix)
    }

    // MARK: - Calls with errors mapped to StateStoreError

    @discardableResult
    func script(_ script: RedisScript, _ operation: String, function: String = #function, keys: [String],
                _ arguments: [any RedisArgument]) async throws -> RESPValue
    {
        try await call(operation, function: function) { try await self.redis.eval(script, keys: keys, arguments: arguments) }
    }

    @discardableResult
    func command(_ operation: String, _ name: String, _ arguments: any RedisArgument..., function: String = #function)
        async throws -> RESPValue
    {
        try await call(operation, function: function) { try await self.redis.send(name, arguments: arguments) }
    }

    /// One round trip (counted under the calling port method): a command, a pipeline or a script
    /// (`EVALSHA`, and `EVAL` after `NOSCRIPT`, count once: the reload is the server's cache, not
    /// the adapter's design).
    func call<T>(_ operation: String, function: String = #function, _ body: () async throws -> T) async throws -> T {
        StoreRoundTrips.redis.count(function)
        do {
            return try await body()
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw StateStoreError(code: .unavailable, message: "\(operation) failed", underlying: error)
        }
    }

    static func corrupt(_ what: String) -> StateStoreError {
        StateStoreError(code: .corrupt, message: "unexpected Redis data for \(what)")
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        // `JSONEncoder`'s JSON, written in one pass (`StoredJSON`): records are rewritten on every change.
        String(decoding: try StoredJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: RESPValue?) throws -> T {
        guard let text = value?.string else { throw corrupt("\(T.self)") }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StateStoreError(code: .corrupt, message: "stored \(T.self) is unreadable", underlying: error)
        }
    }
}

extension RESPValue {
    /// Array elements, or none for a null/absent reply.
    var elements: [RESPValue] { array ?? [] }
}
