import NIOCore

/// `SET` conditions.
public enum RedisSetCondition: Sendable, Hashable {
    case always
    /// `NX`: only when the key does not exist.
    case ifNotExists
    /// `XX`: only when the key exists.
    case ifExists
}

extension Duration {
    /// Whole milliseconds, rounded up so a positive duration never becomes 0 (which Redis rejects).
    var redisMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return attoseconds % 1_000_000_000_000_000 > 0 ? millis + 1 : millis
    }
}

extension RedisCommandSender {
    public func get(_ key: String) async throws -> ByteBuffer? {
        try ReplyReader(command: "GET").optionalBytes(await send(RedisCommand("GET", key)))
    }

    public func getString(_ key: String) async throws -> String? {
        try await get(key).map { String(buffer: $0) }
    }

    /// `SET key value [NX|XX] [PX ms]`. Returns whether the value was written (false when the
    /// condition did not hold).
    @discardableResult
    public func set(
        _ key: String, to value: some RedisArgument,
        condition: RedisSetCondition = .always, expiration: Duration? = nil
    ) async throws -> Bool {
        var arguments: [any RedisArgument] = [key, value]
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        if let expiration { arguments += ["PX", expiration.redisMilliseconds] }
        let reply = try await send(RedisCommand("SET", arguments))
        return !reply.isNull
    }

    /// `GETDEL`: the value, removed atomically.
    public func getdel(_ key: String) async throws -> ByteBuffer? {
        try ReplyReader(command: "GETDEL").optionalBytes(await send(RedisCommand("GETDEL", key)))
    }

    @discardableResult
    public func incr(_ key: String) async throws -> Int64 {
        try ReplyReader(command: "INCR").int(await send(RedisCommand("INCR", key)))
    }

    @discardableResult
    public func incrby(_ key: String, by amount: Int64) async throws -> Int64 {
        try ReplyReader(command: "INCRBY").int(await send(RedisCommand("INCRBY", key, amount)))
    }

    /// Deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        Int(try ReplyReader(command: "DEL").int(await send(RedisCommand("DEL", keys))))
    }

    /// How many of the keys exist (a key named twice counts twice).
    public func exists(_ keys: String...) async throws -> Int {
        Int(try ReplyReader(command: "EXISTS").int(await send(RedisCommand("EXISTS", keys))))
    }

    /// `EXPIRE` in whole seconds; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, after duration: Duration) async throws -> Bool {
        try ReplyReader(command: "EXPIRE").int(await send(RedisCommand("EXPIRE", key, duration.components.seconds))) == 1
    }

    /// `PEXPIRE` in milliseconds; false when the key does not exist.
    @discardableResult
    public func pexpire(_ key: String, after duration: Duration) async throws -> Bool {
        try ReplyReader(command: "PEXPIRE").int(await send(RedisCommand("PEXPIRE", key, duration.redisMilliseconds))) == 1
    }

    /// `PTTL`: the remaining time to live, or `nil` when the key does not exist or has no expiry.
    public func pttl(_ key: String) async throws -> Duration? {
        let millis = try ReplyReader(command: "PTTL").int(await send(RedisCommand("PTTL", key)))
        return millis < 0 ? nil : .milliseconds(millis)
    }
}
