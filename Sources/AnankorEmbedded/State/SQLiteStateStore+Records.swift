import AnankorCore
import Foundation
import GRDB

/// Session records: one row per session, the record as JSON beside its version and the index
/// columns routing and timers read (`worker`/`bound_at` from its binding, `due`), all written by
/// the one statement that checks the version.
extension SQLiteStateStore {
    static let sessionRecordSchema = """
        CREATE TABLE session_record (
            guild INTEGER NOT NULL, channel INTEGER NOT NULL, version INTEGER NOT NULL,
            worker INTEGER, bound_at INTEGER, due INTEGER, record BLOB NOT NULL,
            PRIMARY KEY (guild, channel));
        CREATE INDEX session_record_by_worker ON session_record(worker, guild, channel) WHERE worker IS NOT NULL;
        CREATE UNIQUE INDEX session_record_worker_per_guild ON session_record(guild, worker) WHERE worker IS NOT NULL;
        CREATE INDEX session_record_by_due ON session_record(due, guild, channel) WHERE due IS NOT NULL;
        """

    public func sessionRecord(_ session: SessionKey) async throws -> SessionRecord? {
        let guild = session.guild.column, channel = session.channel.column
        let stored = try await read("read session record \(session)") { db -> (version: Int, data: Data?)? in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT version, record FROM session_record WHERE guild = ? AND channel = ?"),
                             arguments: [guild, channel]).map { ($0["version"], $0["record"]) }
        }
        guard let stored else { return nil }
        return try Self.decodeRecord(stored.data, version: stored.version, session: session)
    }

    public func saveSessionRecord(_ record: SessionRecord, due: Date?) async throws -> Bool {
        guard record.version >= 1 else {
            throw StateStoreError(code: .invalidArgument, message: "a saved session record has version ≥ 1, got \(record.version)")
        }
        let data = try StateCoding.encode(record)
        let arguments: StatementArguments = [
            record.session.guild.column, record.session.channel.column, record.version,
            record.binding?.worker.column, record.binding?.boundAt.epochMilliseconds, due?.epochMilliseconds, data,
        ]
        let first = record.version == 1
        return try await write("save session record \(record.session)") { db in
            // Version 1 only over nothing; later versions only over the one before. One statement
            // either way, so the check and the write cannot be split. The unique (guild, worker)
            // index refuses a worker already bound to another channel of the guild.
            do {
                if first {
                    try db.cachedStatement(sql: """
                        INSERT INTO session_record (guild, channel, version, worker, bound_at, due, record)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild, channel) DO NOTHING
                        """).execute(arguments: arguments)
                } else {
                    try db.cachedStatement(sql: """
                        UPDATE session_record SET version = ?3, worker = ?4, bound_at = ?5, due = ?6, record = ?7
                        WHERE guild = ?1 AND channel = ?2 AND version = ?3 - 1
                        """).execute(arguments: arguments)
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                return false
            }
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func deleteSessionRecord(_ session: SessionKey, version: Int) async throws -> Bool {
        let guild = session.guild.column, channel = session.channel.column
        return try await write("delete session record \(session)") { db in
            try db.cachedStatement(sql: "DELETE FROM session_record WHERE guild = ? AND channel = ? AND version = ?")
                .execute(arguments: [guild, channel, version])
            return db.changesCount > 0
        }
    }

    public func boundSessions(in guild: GuildID) async throws -> [Binding] {
        let key = guild.column
        return try await read("read bound sessions of guild \(guild)") { db in
            try Self.recordBindings(db, sql: """
                SELECT guild, channel, worker, bound_at FROM session_record
                WHERE guild = ? AND worker IS NOT NULL ORDER BY channel
                """, [key])
        }
    }

    public func guildSessions(in guild: GuildID, record session: SessionKey?) async throws -> GuildSessions {
        let key = guild.column
        let stored = try await read("read sessions of guild \(guild)") { db -> (record: (version: Int, data: Data?)?, bindings: [Binding], workers: Set<WorkerID>) in
            // One read transaction: the three reads see one state of the database.
            let record = try session.flatMap { session in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT version, record FROM session_record WHERE guild = ? AND channel = ?"),
                                 arguments: [session.guild.column, session.channel.column]).map { (version: $0["version"] as Int, data: $0["record"] as Data?) }
            }
            let bindings = try Self.recordBindings(db, sql: """
                SELECT guild, channel, worker, bound_at FROM session_record
                WHERE guild = ? AND worker IS NOT NULL ORDER BY channel
                """, [key])
            let workers = Set(try Int64.fetchAll(db, sql: "SELECT worker FROM worker_guild WHERE guild = ?", arguments: [key])
                .map(WorkerID.init(column:)))
            return (record, bindings, workers)
        }
        var record: SessionRecord?
        if let session, let found = stored.record {
            record = try Self.decodeRecord(found.data, version: found.version, session: session)
        }
        return GuildSessions(record: record, bindings: stored.bindings, workers: stored.workers)
    }

    public func boundSessions(of worker: WorkerID) async throws -> [Binding] {
        let key = worker.column
        return try await read("read bound sessions of worker \(worker)") { db in
            try Self.recordBindings(db, sql: """
                SELECT guild, channel, worker, bound_at FROM session_record
                WHERE worker = ? ORDER BY guild, channel
                """, [key])
        }
    }

    public func dueSessions(at now: Date, limit: Int) async throws -> [SessionKey] {
        try requireNonNegative(limit, "limit")
        let cutoff = now.epochMilliseconds
        return try await read("read due sessions") { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT guild, channel FROM session_record
                WHERE due IS NOT NULL AND due <= ? ORDER BY due, guild, channel LIMIT ?
                """), arguments: [cutoff, limit]).map { row in
                SessionKey(guild: GuildID(column: row["guild"]), channel: ChannelID(column: row["channel"]))
            }
        }
    }

    static func recordBindings(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [Binding] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
            Binding(session: SessionKey(guild: GuildID(column: row["guild"]), channel: ChannelID(column: row["channel"])),
                    worker: WorkerID(column: row["worker"]), boundAt: Date(epochMilliseconds: row["bound_at"]))
        }
    }

    /// Decodes a stored record and checks it is the one its row says (a row copied or edited by
    /// hand would otherwise hand the master another session's state).
    static func decodeRecord(_ data: Data?, version: Int, session: SessionKey) throws -> SessionRecord {
        let record = try StateCoding.decode(SessionRecord.self, data)
        guard record.session == session, record.version == version else {
            throw StateStoreError(code: .corrupt, message: "stored session record of \(session) holds \(record.session) "
                + "at version \(record.version), its row says version \(version)")
        }
        return record
    }
}
