import AnankorCore
import Foundation
import GRDB

/// Opens the embedded mode's SQLite file. WAL with `synchronous = NORMAL`: a commit survives the
/// process crashing (it is in the log), and only a power loss can drop the last commits; FULL
/// syncs the disk on every commit, which the benchmark showed on every command
/// (docs/performance.md).
public enum EmbeddedDatabase {
    static func open(path: String, label: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.label = label
        // A second process on the same file waits briefly instead of failing at once.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// The state store and the ledger on one file and one connection pool, as `anankor run`
    /// keeps them: one writer, so the two never wait on each other's file lock.
    public static func stores(path: String) throws -> (state: SQLiteStateStore, ledger: SQLiteLedger) {
        let pool: DatabasePool
        do {
            pool = try open(path: path, label: "anankor.embedded")
        } catch {
            throw StateStoreError(code: .unavailable, message: "cannot open the database at \(path)", underlying: error)
        }
        return (try SQLiteStateStore(pool: pool), try SQLiteLedger(pool: pool))
    }
}
