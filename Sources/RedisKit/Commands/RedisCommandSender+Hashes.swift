import NIOCore

extension RedisCommandSender {
    /// `HSET`; returns how many fields were new.
    @discardableResult
    public func hset(_ key: String, fields: [(String, any RedisArgument)]) async throws -> Int {
        var arguments: [any RedisArgument] = [key]
        for (name, value) in fields { arguments += [name, value] }
        return Int(try ReplyReader(command: "HSET").int(await send(RedisCommand("HSET", arguments))))
    }

    @discardableResult
    public func hset(_ key: String, field: String, to value: some RedisArgument) async throws -> Int {
        try await hset(key, fields: [(field, value)])
    }

    /// `HSETNX`: sets the field only if absent; returns whether it did.
    @discardableResult
    public func hsetnx(_ key: String, field: String, to value: some RedisArgument) async throws -> Bool {
        try ReplyReader(command: "HSETNX").int(await send(RedisCommand("HSETNX", key, field, value))) == 1
    }

    public func hget(_ key: String, field: String) async throws -> ByteBuffer? {
        try ReplyReader(command: "HGET").optionalBytes(await send(RedisCommand("HGET", key, field)))
    }

    /// `HMGET`: one optional value per field, in order.
    public func hmget(_ key: String, fields: [String]) async throws -> [ByteBuffer?] {
        let reader = ReplyReader(command: "HMGET")
        let reply = try await send(RedisCommand("HMGET", [key] + fields))
        return try reader.array(reply).map { value throws(RedisError) in try reader.optionalBytes(value) }
    }

    /// `HGETALL` as a dictionary (field names are UTF-8 text).
    public func hgetall(_ key: String) async throws -> [String: ByteBuffer] {
        let reader = ReplyReader(command: "HGETALL")
        var result: [String: ByteBuffer] = [:]
        for entry in try reader.pairs(await send(RedisCommand("HGETALL", key))) {
            result[try reader.string(entry.key)] = try reader.optionalBytes(entry.value) ?? ByteBuffer()
        }
        return result
    }

    @discardableResult
    public func hdel(_ key: String, fields: [String]) async throws -> Int {
        Int(try ReplyReader(command: "HDEL").int(await send(RedisCommand("HDEL", [key] + fields))))
    }

    @discardableResult
    public func hincrby(_ key: String, field: String, by amount: Int64) async throws -> Int64 {
        try ReplyReader(command: "HINCRBY").int(await send(RedisCommand("HINCRBY", key, field, amount)))
    }

    public func hlen(_ key: String) async throws -> Int {
        Int(try ReplyReader(command: "HLEN").int(await send(RedisCommand("HLEN", key))))
    }

    public func hexists(_ key: String, field: String) async throws -> Bool {
        try ReplyReader(command: "HEXISTS").int(await send(RedisCommand("HEXISTS", key, field))) == 1
    }
}
