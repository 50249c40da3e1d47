import AnankorCore
import Foundation
import RedisKit

/// Session records: `{sr}:rec:<guild>/<channel>` holds the version and the record JSON; the
/// save script keeps the guild's bound hash, the worker's index and the due set in step.
extension RedisStateStore {
    public func sessionRecord(_ session: SessionKey) async throws -> SessionRecord? {
        try Self.sessionRecord(session, from: try await command("read session record \(session)", "HMGET",
                                                                keys.sessionRecord(session), "v", "r"))
    }

    /// The record in an `HMGET <record> v r` reply.
    static func sessionRecord(_ session: SessionKey, from reply: RESPValue) throws -> SessionRecord? {
        let fields = reply.elements
        guard fields.count == 2 else { throw Self.corrupt("session record \(session)") }
        if fields[0].isNull && fields[1].isNull { return nil }
        guard let version = fields[0].int else { throw Self.corrupt("session record \(session) version") }
        let record = try Self.decode(SessionRecord.self, fields[1])
        guard record.session == session, Int64(record.version) == version else {
            throw StateStoreError(code: .corrupt, message: "stored session record of \(session) holds \(record.session) "
                + "at version \(record.version), its key says version \(version)")
        }
        return record
    }

    public func saveSessionRecord(_ record: SessionRecord, due: Date?) async throws -> Bool {
        guard record.version >= 1 else {
            throw StateStoreError(code: .invalidArgument, message: "a saved session record has version ≥ 1, got \(record.version)")
        }
        let session = record.session
        let reply = try await script(
            RedisSessionRecordScripts.save, "save session record \(session)",
            keys: [keys.sessionRecord(session), keys.sessionsBound(session.guild), keys.sessionsDue],
            [record.version, try Self.encode(record), session.channel.description, session.description,
             record.binding?.worker.description ?? "", record.binding?.boundAt.epochMilliseconds ?? 0,
             due.map { String($0.epochMilliseconds) } ?? "", keys.sessionsOfWorkerPrefix])
        guard let saved = reply.int else { throw Self.corrupt("save session record reply") }
        return saved == 1
    }

    @discardableResult
    public func deleteSessionRecord(_ session: SessionKey, version: Int) async throws -> Bool {
        let reply = try await script(
            RedisSessionRecordScripts.delete, "delete session record \(session)",
            keys: [keys.sessionRecord(session), keys.sessionsBound(session.guild), keys.sessionsDue],
            [version, session.channel.description, session.description, keys.sessionsOfWorkerPrefix])
        guard let deleted = reply.int else { throw Self.corrupt("delete session record reply") }
        return deleted == 1
    }

    public func boundSessions(in guild: GuildID) async throws -> [Binding] {
        let pairs = try await command("read bound sessions of guild \(guild)", "HGETALL", keys.sessionsBound(guild)).pairs ?? []
        return try pairs.map { try Self.binding(guild, channel: $0.key.string, $0.value.string) }
            .sorted { $0.session.channel < $1.session.channel }
    }

    public func guildSessions(in guild: GuildID, record session: SessionKey?) async throws -> GuildSessions {
        // One pipeline (one flush, one round trip), not a script: the worker bots of a guild live
        // under another hash tag than the session records, and a script touches one slot only.
        var commands = [RedisCommand("HGETALL", keys.sessionsBound(guild)), RedisCommand("SMEMBERS", keys.workersOfGuild(guild))]
        if let session { commands.append(RedisCommand("HMGET", keys.sessionRecord(session), "v", "r")) }
        let replies = try await call("read sessions of guild \(guild)") { try await redis.pipeline(commands) }
        guard replies.count == commands.count else { throw Self.corrupt("sessions of guild \(guild)") }
        let (bound, members) = try (replies[0].get(), replies[1].get())
        let bindings = try (bound.pairs ?? []).map { try Self.binding(guild, channel: $0.key.string, $0.value.string) }
            .sorted { $0.session.channel < $1.session.channel }
        let workers = Set(members.elements.compactMap { $0.string.flatMap(WorkerID.init) })
        var record: SessionRecord?
        if let session { record = try Self.sessionRecord(session, from: try replies[2].get()) }
        return GuildSessions(record: record, bindings: bindings, workers: workers)
    }

    public func boundSessions(of worker: WorkerID) async throws -> [Binding] {
        let pairs = try await command("read bound sessions of worker \(worker)", "HGETALL",
                                      keys.sessionsOfWorker(worker)).pairs ?? []
        return try pairs.map { pair in
            guard let session = pair.key.string.flatMap(SessionKey.init), let millis = pair.value.int else {
                throw Self.corrupt("bound sessions of worker \(worker)")
            }
            return Binding(session: session, worker: worker, boundAt: Date(epochMilliseconds: millis))
        }.sorted { ($0.session.guild, $0.session.channel) < ($1.session.guild, $1.session.channel) }
    }

    public func dueSessions(at now: Date, limit: Int) async throws -> [SessionKey] {
        guard limit >= 0 else { throw StateStoreError(code: .invalidArgument, message: "limit must be ≥ 0, got \(limit)") }
        guard limit > 0 else { return [] }
        let members = try await command("read due sessions", "ZRANGEBYSCORE", keys.sessionsDue, "-inf",
                                        now.epochMilliseconds, "LIMIT", 0, limit).elements
        return try members.map { member in
            guard let session = member.string.flatMap(SessionKey.init) else { throw Self.corrupt("due sessions") }
            return session
        }
    }

    /// A bound-sessions entry: `channel` → `worker:boundAtMs`.
    static func binding(_ guild: GuildID, channel: String?, _ value: String?) throws -> Binding {
        guard let channel = channel.flatMap(ChannelID.init), let value else { throw corrupt("binding") }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let worker = WorkerID(String(parts[0])), let millis = Int64(parts[1]) else {
            throw corrupt("binding")
        }
        return Binding(session: SessionKey(guild: guild, channel: channel), worker: worker,
                       boundAt: Date(epochMilliseconds: millis))
    }
}
