import NIOCore

/// One end of a score range.
public enum RedisScoreBound: Sendable, Hashable, RedisArgument {
    case inclusive(Double)
    case exclusive(Double)
    case negativeInfinity
    case positiveInfinity

    public func writeRedisArgument(into buffer: inout ByteBuffer) {
        let text = switch self {
        case .inclusive(let score): Self.format(score)
        case .exclusive(let score): "(" + Self.format(score)
        case .negativeInfinity: "-inf"
        case .positiveInfinity: "+inf"
        }
        text.writeRedisArgument(into: &buffer)
    }

    private static func format(_ score: Double) -> String {
        score.isInfinite ? (score < 0 ? "-inf" : "+inf") : String(score)
    }
}

/// A sorted set member with its score.
public struct RedisScoredMember: Sendable, Hashable {
    public var member: ByteBuffer
    public var score: Double

    public init(member: ByteBuffer, score: Double) {
        self.member = member
        self.score = score
    }
}

extension RedisCommandSender {
    /// `ZADD key [NX|XX] score member …`; returns how many members were added.
    @discardableResult
    public func zadd(
        _ key: String, _ members: [(score: Double, member: any RedisArgument)],
        condition: RedisSetCondition = .always
    ) async throws -> Int {
        var arguments: [any RedisArgument] = [key]
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        for (score, member) in members { arguments += [score, member] }
        return Int(try ReplyReader(command: "ZADD").int(await send(RedisCommand("ZADD", arguments))))
    }

    @discardableResult
    public func zadd(_ key: String, score: Double, member: some RedisArgument) async throws -> Int {
        try await zadd(key, [(score, member)])
    }

    /// `ZRANGEBYSCORE key min max [LIMIT offset count]`: members in ascending score order.
    public func zrangeByScore(
        _ key: String, min: RedisScoreBound, max: RedisScoreBound, limit: (offset: Int, count: Int)? = nil
    ) async throws -> [ByteBuffer] {
        var arguments: [any RedisArgument] = [key, min, max]
        if let limit { arguments += ["LIMIT", limit.offset, limit.count] }
        let reader = ReplyReader(command: "ZRANGEBYSCORE")
        return try reader.array(await send(RedisCommand("ZRANGEBYSCORE", arguments))).map { value throws(RedisError) in
            try reader.optionalBytes(value) ?? ByteBuffer()
        }
    }

    /// Same with `WITHSCORES`.
    public func zrangeByScoreWithScores(
        _ key: String, min: RedisScoreBound, max: RedisScoreBound, limit: (offset: Int, count: Int)? = nil
    ) async throws -> [RedisScoredMember] {
        var arguments: [any RedisArgument] = [key, min, max, "WITHSCORES"]
        if let limit { arguments += ["LIMIT", limit.offset, limit.count] }
        return try Self.scoredMembers(await send(RedisCommand("ZRANGEBYSCORE", arguments)), command: "ZRANGEBYSCORE")
    }

    /// `ZRANGE key start stop WITHSCORES` by rank (0-based, negative from the end).
    public func zrangeWithScores(_ key: String, _ start: Int, _ stop: Int) async throws -> [RedisScoredMember] {
        try Self.scoredMembers(await send(RedisCommand("ZRANGE", key, start, stop, "WITHSCORES")), command: "ZRANGE")
    }

    /// `ZRANGE key start stop` by rank.
    public func zrange(_ key: String, _ start: Int, _ stop: Int) async throws -> [ByteBuffer] {
        let reader = ReplyReader(command: "ZRANGE")
        return try reader.array(await send(RedisCommand("ZRANGE", key, start, stop))).map { value throws(RedisError) in
            try reader.optionalBytes(value) ?? ByteBuffer()
        }
    }

    @discardableResult
    public func zrem(_ key: String, members: [any RedisArgument]) async throws -> Int {
        Int(try ReplyReader(command: "ZREM").int(await send(RedisCommand("ZREM", [key] + members))))
    }

    public func zcard(_ key: String) async throws -> Int {
        Int(try ReplyReader(command: "ZCARD").int(await send(RedisCommand("ZCARD", key))))
    }

    public func zscore(_ key: String, member: some RedisArgument) async throws -> Double? {
        let reply = try await send(RedisCommand("ZSCORE", key, member))
        if reply.isNull { return nil }
        return try ReplyReader(command: "ZSCORE").double(reply)
    }

    /// RESP3 sends `[[member, score], …]`, RESP2 a flat `[member, score, member, score, …]`.
    private static func scoredMembers(_ reply: RESPValue, command: String) throws(RedisError) -> [RedisScoredMember] {
        let reader = ReplyReader(command: command)
        let elements = try reader.array(reply)
        var result: [RedisScoredMember] = []
        if elements.allSatisfy({ $0.array?.count == 2 }) {
            for element in elements {
                let pair = try reader.array(element)
                result.append(RedisScoredMember(member: try reader.optionalBytes(pair[0]) ?? ByteBuffer(), score: try reader.double(pair[1])))
            }
            return result
        }
        guard elements.count % 2 == 0 else { throw .unexpected(reply, command: command, expected: "member/score pairs") }
        for index in stride(from: 0, to: elements.count, by: 2) {
            result.append(RedisScoredMember(
                member: try reader.optionalBytes(elements[index]) ?? ByteBuffer(), score: try reader.double(elements[index + 1])))
        }
        return result
    }
}
