import AnankorCore
import AnankorEmbedded
import Foundation
import GRDB
import Testing

/// One adapter under contract: how to open a fresh, empty store and how to reopen the same data
/// (a process restart).
struct StateStoreAdapter: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> StateStoreFixture
    var testDescription: String { name }

    static let sqlite = StateStoreAdapter(name: "sqlite") {
        let directory = try ScratchDirectory()
        let path = directory.url.appendingPathComponent("state.sqlite").path
        return StateStoreFixture(store: try SQLiteStateStore(path: path), keepAlive: directory, reopen: {
            try SQLiteStateStore(path: path)
        }, overwriteSessionRecord: { session, bytes in
            // What a disk error or a hand edit leaves: the row is there, its record unreadable.
            let pool = try DatabasePool(path: path)
            try await pool.write { db in
                try db.execute(sql: "UPDATE session_record SET record = ? WHERE guild = ? AND channel = ?",
                               arguments: [Data(bytes), Int64(bitPattern: session.guild.rawValue),
                                           Int64(bitPattern: session.channel.rawValue)])
            }
        })
    }

    static var all: [StateStoreAdapter] { [.sqlite] + distributedStateStoreAdapters }
}

final class StateStoreFixture: Sendable {
    let store: any StateStore
    /// Opens the same data again, as a restarted process would.
    let reopen: @Sendable () async throws -> any StateStore
    private let keepAlive: any Sendable
    /// Replaces the stored bytes of a session record behind the adapter's back (corruption tests).
    let overwriteSessionRecord: @Sendable (SessionKey, [UInt8]) async throws -> Void

    /// Marks the end of a test's use; holding the fixture until here keeps its files or server.
    func release() { withExtendedLifetime(keepAlive) {} }

    init(store: any StateStore, keepAlive: any Sendable, reopen: @escaping @Sendable () async throws -> any StateStore,
         overwriteSessionRecord: @escaping @Sendable (SessionKey, [UInt8]) async throws -> Void) {
        self.store = store
        self.keepAlive = keepAlive
        self.reopen = reopen
        self.overwriteSessionRecord = overwriteSessionRecord
    }
}

/// A temporary directory removed when the last reference goes.
final class ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

enum Fixed {
    static let t0 = Date(epochMilliseconds: 1_700_000_000_000)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func entry(_ n: Int, requester: UInt64 = 42) -> QueueEntry {
        QueueEntry(id: QueueEntryID("e\(n)"),
                   track: Track(encoded: "QAAA\(n)", title: "Track \(n)", author: "Artist", lengthMs: 180_000),
                   requester: UserID(requester), addedAt: t0)
    }

    static func session(_ guild: UInt64, _ channel: UInt64) -> SessionKey {
        SessionKey(guild: GuildID(guild), channel: ChannelID(channel))
    }
}
