import NIOCore

extension RedisCommandSender {
    /// `LPUSH`; returns the new length.
    @discardableResult
    public func lpush(_ key: String, _ values: [any RedisArgument]) async throws -> Int {
        Int(try ReplyReader(command: "LPUSH").int(await send(RedisCommand("LPUSH", [key] + values))))
    }

    /// `RPUSH`; returns the new length.
    @discardableResult
    public func rpush(_ key: String, _ values: [any RedisArgument]) async throws -> Int {
        Int(try ReplyReader(command: "RPUSH").int(await send(RedisCommand("RPUSH", [key] + values))))
    }

    public func lpop(_ key: String) async throws -> ByteBuffer? {
        try ReplyReader(command: "LPOP").optionalBytes(await send(RedisCommand("LPOP", key)))
    }

    public func rpop(_ key: String) async throws -> ByteBuffer? {
        try ReplyReader(command: "RPOP").optionalBytes(await send(RedisCommand("RPOP", key)))
    }

    /// `LRANGE key start stop` (inclusive, negative indices count from the end).
    public func lrange(_ key: String, _ start: Int, _ stop: Int) async throws -> [ByteBuffer] {
        let reader = ReplyReader(command: "LRANGE")
        return try reader.array(await send(RedisCommand("LRANGE", key, start, stop))).map { value throws(RedisError) in
            try reader.optionalBytes(value) ?? ByteBuffer()
        }
    }

    public func llen(_ key: String) async throws -> Int {
        Int(try ReplyReader(command: "LLEN").int(await send(RedisCommand("LLEN", key))))
    }

    public func lindex(_ key: String, _ index: Int) async throws -> ByteBuffer? {
        try ReplyReader(command: "LINDEX").optionalBytes(await send(RedisCommand("LINDEX", key, index)))
    }

    /// `LREM key count value`; returns how many were removed.
    @discardableResult
    public func lrem(_ key: String, count: Int, value: some RedisArgument) async throws -> Int {
        Int(try ReplyReader(command: "LREM").int(await send(RedisCommand("LREM", key, count, value))))
    }

    public func ltrim(_ key: String, _ start: Int, _ stop: Int) async throws {
        _ = try await send(RedisCommand("LTRIM", key, start, stop))
    }
}
