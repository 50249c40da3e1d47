import AnankorCore
import Foundation
import GRDB

/// The embedded `Ledger`: SQLite in WAL mode through GRDB. Each once-only rule is one write
/// transaction, and GRDB runs one writer at a time, so concurrent claims see each other.
public final class SQLiteLedger: Ledger {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending `ledger.*` migrations.
    public convenience init(path: String) throws(LedgerError) {
        let pool: DatabasePool
        do {
            pool = try EmbeddedDatabase.open(path: path, label: "anankor.ledger")
        } catch {
            throw LedgerError(.unavailable, "cannot open the ledger database at \(path)", underlying: error)
        }
        try self.init(pool: pool)
    }

    /// Uses an open database (which may also hold other stores' tables) and migrates it.
    public init(pool: DatabasePool) throws(LedgerError) {
        self.pool = pool
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw LedgerError(.unavailable, "cannot apply the ledger migrations", underlying: error)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("ledger.v1") { db in
            try db.execute(sql: schemaV1)
        }
        migrator.registerMigration("ledger.sponsorblock") { db in
            // A JSON array of category names; NULL means the default categories.
            try db.execute(sql: "ALTER TABLE ledger_guild_settings ADD COLUMN sponsorblock_categories BLOB")
        }
        migrator.registerMigration("ledger.voteskip") { db in
            // Percent of listeners whose votes skip a track; NULL means the default (or the guild's).
            try db.execute(sql: "ALTER TABLE ledger_guild_settings ADD COLUMN vote_skip_share INTEGER")
            try db.execute(sql: "ALTER TABLE ledger_voice_channel_settings ADD COLUMN vote_skip_share INTEGER")
        }
        return migrator
    }

    /// The schema, documented in docs/data-model.md. Snowflakes are stored as their 64-bit
    /// pattern, times as epoch milliseconds.
    static let schemaV1 = """
        CREATE TABLE ledger_idempotency (
            key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT NOT NULL, result BLOB NOT NULL,
            updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
        CREATE INDEX ledger_idempotency_by_expiry ON ledger_idempotency(expires_at);
        CREATE TABLE ledger_guild_settings (
            guild INTEGER PRIMARY KEY, version INTEGER NOT NULL, dj_role INTEGER, locale TEXT,
            default_volume INTEGER, prefix TEXT, session_cap INTEGER, stay_channels BLOB NOT NULL);
        CREATE TABLE ledger_voice_channel_settings (
            guild INTEGER NOT NULL, channel INTEGER NOT NULL, volume INTEGER, autoplay INTEGER NOT NULL,
            dj_only INTEGER NOT NULL, announce_channel INTEGER, PRIMARY KEY (guild, channel));
        CREATE TABLE ledger_affinity (
            guild INTEGER NOT NULL, channel INTEGER NOT NULL, worker INTEGER NOT NULL,
            last_used INTEGER NOT NULL, PRIMARY KEY (guild, channel));
        CREATE TABLE ledger_game_session (
            guild INTEGER NOT NULL, id TEXT NOT NULL, ended_at INTEGER NOT NULL, summary BLOB NOT NULL,
            PRIMARY KEY (guild, id));
        CREATE INDEX ledger_game_session_recent ON ledger_game_session(guild, ended_at DESC, id DESC);
        CREATE TABLE ledger_game_participation (
            user INTEGER NOT NULL, guild INTEGER NOT NULL, session_id TEXT NOT NULL, game TEXT,
            ended_at INTEGER NOT NULL, no_show INTEGER NOT NULL, seconds_played INTEGER NOT NULL,
            PRIMARY KEY (user, guild, session_id));
        CREATE TABLE ledger_playlist (
            owner INTEGER NOT NULL, name_key TEXT NOT NULL, name TEXT NOT NULL, tracks BLOB NOT NULL,
            track_count INTEGER NOT NULL, total_ms INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (owner, name_key));
        """

    // MARK: - Access with errors mapped to LedgerError

    func write<T: Sendable>(
        _ operation: String, function: String = #function, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(LedgerError) -> T {
        StoreRoundTrips.sqlite.count(function)
        return try await mappingErrors(operation) { try await pool.write(body) }
    }

    func read<T: Sendable>(
        _ operation: String, function: String = #function, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(LedgerError) -> T {
        StoreRoundTrips.sqlite.count(function)
        return try await mappingErrors(operation) { try await pool.read(body) }
    }

    /// Passes `LedgerError`s through and wraps anything else (SQLite, GRDB) as `.unavailable`.
    private func mappingErrors<T>(_ operation: String, _ body: () async throws -> T) async throws(LedgerError) -> T {
        do {
            return try await body()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.unavailable, "SQLite \(operation) failed", underlying: error)
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: Data?, what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(type, from: bytes ?? Data())
        } catch {
            throw LedgerError(.corruptRecord, "stored \(what) could not be read", underlying: error)
        }
    }
}

