import NIOCore

extension RedisCommandSender {
    /// `XADD key [MAXLEN ~ n] id field value …`; returns the new entry's id.
    @discardableResult
    public func xadd(
        _ key: String, id: String = "*", fields: [(String, any RedisArgument)], trim: RedisStreamTrim? = nil
    ) async throws -> String {
        var arguments: [any RedisArgument] = [key]
        if let trim { arguments += trim.arguments }
        arguments.append(id)
        for (name, value) in fields { arguments += [name, value] }
        return try ReplyReader(command: "XADD").string(await send(RedisCommand("XADD", arguments)))
    }

    /// `XGROUP CREATE key group start MKSTREAM`. Returns false when the group already existed
    /// (`BUSYGROUP` is not an error here: creating a group is meant to be idempotent).
    @discardableResult
    public func xgroupCreate(_ key: String, group: String, startID: String = "$", makeStream: Bool = true) async throws -> Bool {
        var arguments: [any RedisArgument] = ["CREATE", key, group, startID]
        if makeStream { arguments.append("MKSTREAM") }
        do {
            _ = try await send(RedisCommand("XGROUP", arguments))
            return true
        } catch let error as RedisError where error.serverErrorPrefix == "BUSYGROUP" {
            return false
        }
    }

    /// `XGROUP DELCONSUMER`; returns how many entries were still pending for that consumer (they are
    /// dropped from the PEL, so check XPENDING first if they matter).
    @discardableResult
    public func xgroupDelConsumer(_ key: String, group: String, consumer: String) async throws -> Int {
        Int(try ReplyReader(command: "XGROUP").int(await send(RedisCommand("XGROUP", "DELCONSUMER", key, group, consumer))))
    }

    /// `XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key… id…`.
    ///
    /// Use `>` for new entries, `0` (or an id) for this consumer's own pending history. With
    /// `block` the command runs on a dedicated connection when sent through `RedisClient`; an empty
    /// result means the block time passed without entries. `block: .zero` blocks indefinitely.
    public func xreadgroup(
        group: String, consumer: String, streams: [(key: String, id: String)],
        count: Int? = nil, block: Duration? = nil, noAck: Bool = false
    ) async throws -> [RedisStreamRead] {
        var arguments: [any RedisArgument] = ["GROUP", group, consumer]
        if let count { arguments += ["COUNT", count] }
        var blocking = RedisCommand.Blocking.none
        if let block {
            let millis = block.redisMilliseconds
            arguments += ["BLOCK", millis]
            blocking = millis == 0 ? .indefinitely : .upTo(block)
        }
        if noAck { arguments.append("NOACK") }
        arguments.append("STREAMS")
        arguments += streams.map(\.key) as [any RedisArgument]
        arguments += streams.map(\.id) as [any RedisArgument]
        let reply = try await send(RedisCommand("XREADGROUP", arguments, blocking: blocking))
        return try StreamReplyReader(command: "XREADGROUP").streams(reply)
    }

    /// Reads one stream; the entries only.
    public func xreadgroup(
        group: String, consumer: String, key: String, id: String = ">",
        count: Int? = nil, block: Duration? = nil
    ) async throws -> [RedisStreamEntry] {
        try await xreadgroup(group: group, consumer: consumer, streams: [(key, id)], count: count, block: block)
            .flatMap(\.entries)
    }

    /// `XACK`; returns how many ids were acknowledged.
    @discardableResult
    public func xack(_ key: String, group: String, ids: [String]) async throws -> Int {
        Int(try ReplyReader(command: "XACK").int(await send(RedisCommand("XACK", [key, group] + ids))))
    }

    /// `XAUTOCLAIM key group consumer min-idle start [COUNT n]`: takes over entries pending longer
    /// than `minIdle`. Read `deletedIDs` too: those are gone and were removed from the PEL.
    public func xautoclaim(
        _ key: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0", count: Int? = nil
    ) async throws -> RedisAutoClaim {
        var arguments: [any RedisArgument] = [key, group, consumer, minIdle.redisMilliseconds, start]
        if let count { arguments += ["COUNT", count] }
        return try StreamReplyReader(command: "XAUTOCLAIM").autoClaim(await send(RedisCommand("XAUTOCLAIM", arguments)))
    }

    /// XPENDING summary: how many entries are pending and for whom.
    public func xpending(_ key: String, group: String) async throws -> RedisPendingSummary {
        let reader = ReplyReader(command: "XPENDING")
        let reply = try await send(RedisCommand("XPENDING", key, group))
        let parts = try reader.array(reply)
        guard parts.count == 4 else { throw RedisError.unexpected(reply, command: "XPENDING", expected: "a 4-element summary") }
        var consumers: [String: Int] = [:]
        for element in try reader.arrayOrEmpty(parts[3]) {
            let pair = try reader.array(element)
            guard pair.count == 2 else { throw RedisError.unexpected(element, command: "XPENDING", expected: "[consumer, count]") }
            consumers[try reader.string(pair[0])] = Int(try reader.int(pair[1]))
        }
        return RedisPendingSummary(
            count: Int(try reader.int(parts[0])),
            lowestID: parts[1].isNull ? nil : try reader.string(parts[1]),
            highestID: parts[2].isNull ? nil : try reader.string(parts[2]),
            consumers: consumers)
    }

    /// XPENDING extended form: per entry its consumer, idle time and delivery count.
    public func xpending(
        _ key: String, group: String, start: String = "-", end: String = "+", count: Int,
        consumer: String? = nil, minIdle: Duration? = nil
    ) async throws -> [RedisPendingEntry] {
        var arguments: [any RedisArgument] = [key, group]
        if let minIdle { arguments += ["IDLE", minIdle.redisMilliseconds] }
        arguments += [start, end, count]
        if let consumer { arguments.append(consumer) }
        let reader = ReplyReader(command: "XPENDING")
        return try reader.arrayOrEmpty(await send(RedisCommand("XPENDING", arguments))).map { element throws(RedisError) in
            let parts = try reader.array(element)
            guard parts.count == 4 else { throw RedisError.unexpected(element, command: "XPENDING", expected: "[id, consumer, idle, deliveries]") }
            return RedisPendingEntry(
                id: try reader.string(parts[0]), consumer: try reader.string(parts[1]),
                idle: .milliseconds(try reader.int(parts[2])), deliveryCount: Int(try reader.int(parts[3])))
        }
    }

    /// `XINFO GROUPS key`.
    public func xinfoGroups(_ key: String) async throws -> [RedisStreamGroupInfo] {
        let stream = StreamReplyReader(command: "XINFO")
        return try stream.reader.array(await send(RedisCommand("XINFO", "GROUPS", key))).map { element throws(RedisError) in
            let fields = try stream.fields(element)
            return RedisStreamGroupInfo(
                name: try stream.reader.string(fields["name"] ?? .null),
                consumers: try stream.intField(fields, "consumers"),
                pending: try stream.intField(fields, "pending"),
                lastDeliveredID: try stream.reader.string(fields["last-delivered-id"] ?? .null),
                entriesRead: fields["entries-read"]?.int.map(Int.init),
                lag: fields["lag"]?.int.map(Int.init))
        }
    }

    /// `XINFO CONSUMERS key group`.
    public func xinfoConsumers(_ key: String, group: String) async throws -> [RedisStreamConsumerInfo] {
        let stream = StreamReplyReader(command: "XINFO")
        return try stream.reader.array(await send(RedisCommand("XINFO", "CONSUMERS", key, group))).map { element throws(RedisError) in
            let fields = try stream.fields(element)
            return RedisStreamConsumerInfo(
                name: try stream.reader.string(fields["name"] ?? .null),
                pending: try stream.intField(fields, "pending"),
                idle: .milliseconds(try stream.intField(fields, "idle")),
                inactive: fields["inactive"]?.int.flatMap { $0 < 0 ? nil : .milliseconds($0) })
        }
    }

    /// `XRANGE key start end [COUNT n]`.
    public func xrange(_ key: String, start: String = "-", end: String = "+", count: Int? = nil) async throws -> [RedisStreamEntry] {
        var arguments: [any RedisArgument] = [key, start, end]
        if let count { arguments += ["COUNT", count] }
        return try StreamReplyReader(command: "XRANGE").entries(await send(RedisCommand("XRANGE", arguments)))
    }

    @discardableResult
    public func xdel(_ key: String, ids: [String]) async throws -> Int {
        Int(try ReplyReader(command: "XDEL").int(await send(RedisCommand("XDEL", [key] + ids))))
    }

    /// `XTRIM`; returns how many entries were removed.
    @discardableResult
    public func xtrim(_ key: String, _ trim: RedisStreamTrim) async throws -> Int {
        Int(try ReplyReader(command: "XTRIM").int(await send(RedisCommand("XTRIM", [key] + trim.arguments))))
    }

    public func xlen(_ key: String) async throws -> Int {
        Int(try ReplyReader(command: "XLEN").int(await send(RedisCommand("XLEN", key))))
    }
}
