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
        _ = try await store.bind(Fixed.session(1, 2), to: WorkerID(3), cap: 5, now: Fixed.t0)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL journal file beside the database")
        // A second opening of the same file (a restarted process) sees the data and does not
        // re-run migrations.
        let reopened = try SQLiteStateStore(path: path)
        #expect(try await reopened.binding(for: Fixed.session(1, 2))?.worker == WorkerID(3))
    }

    @Test("an unreadable path fails with a clear, typed error")
    func unreadablePath() {
        #expect { try SQLiteStateStore(path: "/proc/anankor-no-such-dir/state.sqlite") } throws: { error in
            (error as? StateStoreError)?.code == .unavailable
        }
    }
}
