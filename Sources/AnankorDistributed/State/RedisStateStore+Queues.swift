import AnankorCore
import Foundation
import RedisKit

extension RedisStateStore {
    public func enqueue(_ entries: [QueueEntry], in session: SessionKey, at placement: QueuePlacement) async throws -> Int {
        let encoded = try entries.map(Self.encode)
        guard !encoded.isEmpty else { return Int(try await command("queue length", "LLEN", keys.queue(session)).int ?? 0) }
        // LPUSH pushes one by one onto the head, so the entries go in reversed to keep their order.
        let values: [any RedisArgument] = placement == .end ? encoded : encoded.reversed()
        let length = try await call("enqueue in \(session)") {
            try await self.redis.send(placement == .end ? "RPUSH" : "LPUSH", arguments: [keys.queue(session)] + values)
        }
        return Int(length.int ?? 0)
    }

    public func advance(_ session: SessionKey, expecting expected: QueueEntryID?, reason: AdvanceReason, now: Date)
        async throws -> AdvanceOutcome
    {
        let reply = try await script(
            RedisStateScripts.advance, "advance \(session)", keys: keys.queueKeys(session),
            [expected?.rawValue ?? "", reason.rawValue, now.epochMilliseconds, QueueRules.historyLimit]
        ).elements
        switch reply.first?.string {
        case "playing" where reply.count == 2: return .playing(try Self.decode(QueueEntry.self, reply[1]))
        case "ended": return .ended
        case "stale":
            let current = reply.count > 1 ? reply[1].string ?? "" : ""
            return .stale(current: current.isEmpty ? nil : QueueEntryID(current))
        default: throw Self.corrupt("advance reply")
        }
    }

    public func previous(_ session: SessionKey, now: Date) async throws -> QueueEntry? {
        let reply = try await script(RedisStateScripts.previous, "previous in \(session)", keys: keys.queueKeys(session),
                                     [now.epochMilliseconds])
        return reply.string == nil ? nil : try Self.decode(QueueEntry.self, reply)
    }

    public func queuePage(_ session: SessionKey, offset: Int, limit: Int) async throws -> QueuePage {
        guard offset >= 0, limit >= 0 else {
            throw StateStoreError(code: .invalidArgument, message: "offset and limit must be ≥ 0")
        }
        let total = Int(try await command("queue length", "LLEN", keys.queue(session)).int ?? 0)
        guard limit > 0 else { return QueuePage(entries: [], offset: offset, total: total) }
        let values = try await command("read queue", "LRANGE", keys.queue(session), offset, offset + limit - 1).elements
        return QueuePage(entries: try values.map { try Self.decode(QueueEntry.self, $0) }, offset: offset, total: total)
    }

    public func removeFromQueue(_ session: SessionKey, at index: Int) async throws -> QueueEntry? {
        let reply = try await script(RedisStateScripts.removeAt, "remove from \(session)", keys: [keys.queue(session)], [index])
        return reply.string == nil ? nil : try Self.decode(QueueEntry.self, reply)
    }

    public func moveInQueue(_ session: SessionKey, from: Int, to: Int) async throws -> QueueEntry? {
        let reply = try await script(RedisStateScripts.move, "move in \(session)", keys: [keys.queue(session)], [from, to])
        return reply.string == nil ? nil : try Self.decode(QueueEntry.self, reply)
    }

    public func shuffleQueue(_ session: SessionKey, seed: UInt64) async throws {
        try await script(RedisStateScripts.shuffle, "shuffle \(session)", keys: [keys.queue(session)],
                         [Int(SeededGenerator.initialState(forSeed: seed))])
    }

    public func clearQueue(_ session: SessionKey) async throws -> Int {
        Int(try await script(RedisStateScripts.clear, "clear \(session)", keys: [keys.queue(session)], []).int ?? 0)
    }

    public func history(_ session: SessionKey, limit: Int) async throws -> [QueueEntry] {
        guard limit >= 0 else { throw StateStoreError(code: .invalidArgument, message: "limit must be ≥ 0") }
        guard limit > 0 else { return [] }
        let values = try await command("read history", "LRANGE", keys.history(session), -limit, -1).elements
        return try values.reversed().map { try Self.decode(QueueEntry.self, $0) }
    }

    public func setLoopMode(_ mode: LoopMode, for session: SessionKey) async throws {
        try await command("set loop mode", "HSET", keys.sessionState(session), "loop", mode.rawValue)
    }

    public func loopMode(_ session: SessionKey) async throws -> LoopMode {
        let value = try await command("read loop mode", "HGET", keys.sessionState(session), "loop")
        return value.string.flatMap(LoopMode.init(rawValue:)) ?? .off
    }

    public func nowPlaying(_ session: SessionKey) async throws -> NowPlaying? {
        let fields = try await command("read now playing", "HMGET", keys.sessionState(session), "np", "pos", "paused", "at")
            .elements
        guard fields.count == 4, fields[0].string != nil else { return nil }
        return NowPlaying(entry: try Self.decode(QueueEntry.self, fields[0]), positionMs: fields[1].int ?? 0,
                          paused: fields[2].int == 1, updatedAt: Date(epochMilliseconds: fields[3].int ?? 0))
    }

    public func updatePosition(_ session: SessionKey, entry: QueueEntryID, positionMs: Int64, paused: Bool?, at: Date)
        async throws -> Bool
    {
        let reply = try await script(RedisStateScripts.updatePosition, "update position", keys: [keys.sessionState(session)],
                                     [entry.rawValue, positionMs, paused.map { $0 ? "1" : "0" } ?? "", at.epochMilliseconds])
        return reply.int == 1
    }

    public func endSession(_ session: SessionKey) async throws {
        try await call("end \(session)") {
            try await self.redis.send("DEL", arguments: keys.queueKeys(session) + [keys.details(session)])
        }
        try await command("forget activity", "ZREM", keys.activity, session.description)
        try await command("forget stay", "SREM", keys.stay, session.description)
    }

    // MARK: - Session details

    public func sessionDetails(_ session: SessionKey) async throws -> SessionDetails? {
        let value = try await command("read details of \(session)", "HGET", keys.details(session), "json")
        return value.string == nil ? nil : try Self.decode(SessionDetails.self, value)
    }

    public func saveSessionDetails(_ details: SessionDetails) async throws -> SessionDetails? {
        var saved = details
        saved.version = details.version + 1
        let reply = try await script(RedisStateScripts.saveDetails, "save details of \(details.session)",
                                     keys: [keys.details(details.session)], [details.version, try Self.encode(saved)])
        return reply.int == 1 ? saved : nil
    }

    // MARK: - Session activity

    public func touchSession(_ session: SessionKey, at: Date) async throws {
        // GT: an older touch never moves activity back in time.
        try await command("touch session", "ZADD", keys.activity, "GT", at.epochMilliseconds, session.description)
    }

    public func setStay(_ stay: Bool, for session: SessionKey) async throws {
        try await command("set stay", stay ? "SADD" : "SREM", keys.stay, session.description)
        try await command("register session", "ZADD", keys.activity, "NX", 0, session.description)
    }

    public func idleSessions(since cutoff: Date, limit: Int) async throws -> [SessionKey] {
        guard limit >= 0 else { throw StateStoreError(code: .invalidArgument, message: "limit must be ≥ 0") }
        let reply = try await script(RedisStateScripts.idleSessions, "read idle sessions", keys: [keys.activity, keys.stay],
                                     [cutoff.epochMilliseconds, limit])
        return reply.elements.compactMap { $0.string.flatMap(SessionKey.init) }
    }
}
