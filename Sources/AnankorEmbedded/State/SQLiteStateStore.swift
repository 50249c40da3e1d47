import AnankorCore
import Foundation
import GRDB

/// The embedded `StateStore`: one SQLite file in WAL mode. Every invariant is one write
/// transaction (GRDB serialises writers), and the file survives restarts: reopening it recovers
/// session records, leases and the schedule.
public final class SQLiteStateStore: StateStore {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending `state.*` migrations.
    public convenience init(path: String) throws {
        let pool: DatabasePool
        do {
            pool = try EmbeddedDatabase.open(path: path, label: "anankor.state")
        } catch {
            throw StateStoreError(code: .unavailable, message: "cannot open the state database at \(path)",
                                  underlying: error)
        }
        try self.init(pool: pool)
    }

    /// Uses an open database (which may also hold the ledger's tables) and migrates it.
    public init(pool: DatabasePool) throws {
        self.pool = pool
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw StateStoreError(code: .unavailable, message: "cannot apply the state migrations", underlying: error)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("state.v1") { db in
            try db.execute(sql: Self.schemaV1)
        }
        migrator.registerMigration("state.v2") { db in
            try db.execute(sql: """
                CREATE TABLE session_details (
                    session TEXT PRIMARY KEY, version INTEGER NOT NULL, details BLOB NOT NULL)
                """)
        }
        migrator.registerMigration("state.v3") { db in
            try db.execute(sql: """
                CREATE TABLE lobby (
                    guild INTEGER NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, active INTEGER NOT NULL,
                    created_at INTEGER NOT NULL, lobby BLOB NOT NULL, PRIMARY KEY (guild, id));
                CREATE INDEX lobby_active_by_guild ON lobby(guild, active, created_at);
                """)
        }
        migrator.registerMigration("state.v4") { db in
            try db.execute(sql: Self.sessionRecordSchema)
        }
        migrator.registerMigration("state.v5") { db in
            // A session is one record now (`session_record`); the tables of the per-field layout
            // go. Sessions that were playing during the upgrade start over with `/play`.
            try db.execute(sql: """
                DROP TABLE binding; DROP TABLE queue_entry; DROP TABLE history_entry; DROP TABLE session_state;
                DROP TABLE session_activity; DROP TABLE session_details;
                """)
        }
        migrator.registerMigration("state.v6") { db in
            try db.execute(sql: """
                CREATE TABLE worker_role (
                    worker INTEGER NOT NULL, guild INTEGER NOT NULL, roles TEXT NOT NULL, PRIMARY KEY (guild, worker));
                """)
        }
        return migrator
    }

    /// The schema, documented in docs/state.md. Snowflakes are stored as their 64-bit pattern,
    /// times as epoch milliseconds, sessions as `guild/channel` text.
    static let schemaV1 = """
        CREATE TABLE binding (
            guild INTEGER NOT NULL, channel INTEGER NOT NULL, worker INTEGER NOT NULL,
            bound_at INTEGER NOT NULL,
            PRIMARY KEY (guild, channel), UNIQUE (guild, worker));
        CREATE INDEX binding_by_worker ON binding(worker);
        CREATE TABLE queue_entry (
            session TEXT NOT NULL, position INTEGER NOT NULL, entry BLOB NOT NULL,
            PRIMARY KEY (session, position));
        CREATE TABLE history_entry (
            session TEXT NOT NULL, position INTEGER NOT NULL, entry BLOB NOT NULL,
            PRIMARY KEY (session, position));
        CREATE TABLE session_state (
            session TEXT PRIMARY KEY, loop_mode TEXT NOT NULL DEFAULT 'off',
            now_playing BLOB, position_ms INTEGER NOT NULL DEFAULT 0, paused INTEGER NOT NULL DEFAULT 0,
            position_at INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE session_activity (
            session TEXT PRIMARY KEY, last_activity INTEGER NOT NULL, stay INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX session_activity_by_time ON session_activity(last_activity);
        CREATE TABLE lease (
            name TEXT PRIMARY KEY, holder TEXT, fence INTEGER NOT NULL, expires_at INTEGER NOT NULL);
        CREATE TABLE worker (
            worker INTEGER PRIMARY KEY, fence INTEGER NOT NULL, load INTEGER NOT NULL,
            last_seen INTEGER NOT NULL, expires_at INTEGER NOT NULL);
        CREATE TABLE worker_guild (
            worker INTEGER NOT NULL, guild INTEGER NOT NULL, PRIMARY KEY (worker, guild));
        CREATE INDEX worker_guild_by_guild ON worker_guild(guild);
        CREATE TABLE schedule_item (
            id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, ready_at INTEGER NOT NULL, grp TEXT,
            payload BLOB NOT NULL, claimant TEXT, claim_token INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX schedule_item_by_ready ON schedule_item(ready_at);
        CREATE INDEX schedule_item_by_group ON schedule_item(grp);
        CREATE TABLE resume_info (
            bot INTEGER NOT NULL, shard INTEGER NOT NULL, info BLOB NOT NULL, PRIMARY KEY (bot, shard));
        """

    // MARK: - Access with errors mapped to StateStoreError (each call is one counted round trip)

    func write<T: Sendable>(_ operation: String, function: String = #function,
                            _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        StoreRoundTrips.sqlite.count(function)
        do {
            return try await pool.write(body)
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw StateStoreError(code: .unavailable, message: "\(operation) failed", underlying: error)
        }
    }

    func read<T: Sendable>(_ operation: String, function: String = #function,
                           _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        StoreRoundTrips.sqlite.count(function)
        do {
            return try await pool.read(body)
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw StateStoreError(code: .unavailable, message: "\(operation) failed", underlying: error)
        }
    }
}

// MARK: - Column coding

extension DiscordIdentifier {
    /// Snowflakes fit in 63 bits today; the bit pattern keeps any 64-bit value round-tripping.
    var column: Int64 { Int64(bitPattern: rawValue) }
    init(column: Int64) { self.init(UInt64(bitPattern: column)) }
}

enum StateCoding {
    /// `JSONEncoder`'s JSON, written in one pass (`StoredJSON`): records are rewritten on every change.
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try StoredJSON.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data?) throws -> T {
        guard let data else {
            throw StateStoreError(code: .corrupt, message: "missing stored \(T.self)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw StateStoreError(code: .corrupt, message: "stored \(T.self) is unreadable", underlying: error)
        }
    }
}

func requireNonNegative(_ value: Int, _ name: String) throws {
    guard value >= 0 else {
        throw StateStoreError(code: .invalidArgument, message: "\(name) must be ≥ 0, got \(value)")
    }
}
