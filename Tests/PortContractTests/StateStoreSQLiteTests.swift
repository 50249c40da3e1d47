import AnankorCore
import AnankorEmbedded
import Foundation
import Testing

@Suite("SQLite state store")
struct StateStoreSQLiteTests {
    @Test("the database runs in WAL mode and reopens with its migrations applied once")
    func walAndReopen() async throws {
        let directory = try ScratchDirectory()
        let path = directory.url.appendingPathComponent("state.sqlite").path
        let store = try SQLiteStateStore(path: path)
        #expect(try await store.saveSessionRecord(Self.bound(Fixed.session(1, 2), to: WorkerID(3)), due: nil))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL journal file beside the database")
        // A second opening of the same file (a restarted process) sees the data and does not
        // re-run migrations.
        let reopened = try SQLiteStateStore(path: path)
        #expect(try await reopened.sessionRecord(Fixed.session(1, 2))?.binding?.worker == WorkerID(3))
    }

    @Test("`anankor run`'s state store and ledger share one file and one pool; both survive a reopen")
    func sharedFile() async throws {
        let directory = try ScratchDirectory()
        let path = directory.url.appendingPathComponent("run.sqlite").path
        let (state, ledger) = try EmbeddedDatabase.stores(path: path)
        let key = try #require(IdempotencyKey.interaction("42"))
        // Writes to both at once: one writer, so neither waits on the other's file lock.
        async let bound = state.saveSessionRecord(Self.bound(Fixed.session(1, 2), to: WorkerID(3)), due: nil)
        async let claimed = ledger.claim(key, lease: .seconds(30), now: Fixed.t0)
        #expect(try await bound)
        #expect(try await claimed.token != nil)
        let (reopenedState, reopenedLedger) = try EmbeddedDatabase.stores(path: path)
        #expect(try await reopenedState.sessionRecord(Fixed.session(1, 2))?.binding?.worker == WorkerID(3))
        #expect(try await reopenedLedger.claim(key, lease: .seconds(30), now: Fixed.t0) == .inProgress(expiresAt: Fixed.t0.adding(.seconds(30))))
    }

    /// A first record of `session`, bound to `worker`.
    static func bound(_ session: SessionKey, to worker: WorkerID) -> SessionRecord {
        var record = SessionRecord(session: session, now: Fixed.t0)
        record.version = 1
        record.binding = SessionBinding(worker: worker, boundAt: Fixed.t0)
        return record
    }

    @Test("an unreadable path fails with a clear, typed error")
    func unreadablePath() {
        #expect { try SQLiteStateStore(path: "/proc/anankor-no-such-dir/state.sqlite") } throws: { error in
            (error as? StateStoreError)?.code == .unavailable
        }
    }
}
