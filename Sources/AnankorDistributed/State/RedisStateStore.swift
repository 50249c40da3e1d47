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
    func script(_ script: RedisScript, _ operation: String, keys: [String], _ arguments: [any RedisArgument])
        async throws -> RESPValue
    {
        try await call(operation) { try await self.redis.eval(script, keys: keys, arguments: arguments) }
    }

    @discardableResult
    func command(_ operation: String, _ name: String, _ arguments: any RedisArgument...) async throws -> RESPValue {
        try await call(operation) { try await self.redis.send(name, arguments: arguments) }
    }

    func call<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
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
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
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
