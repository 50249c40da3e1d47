import AnankorCore
import Foundation
import GRDB

extension SQLiteLedger {
    public func savePlaylist(_ playlist: SavedPlaylist) async throws(LedgerError) {
        try playlist.validate()
        let tracks: Data
        do {
            tracks = try Self.encode(playlist.tracks)
        } catch {
            throw LedgerError(.invalidInput, "playlist tracks could not be encoded", underlying: error)
        }
        let summary = playlist.summary
        try await write("save playlist") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO ledger_playlist
                    (owner, name_key, name, tracks, track_count, total_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    playlist.owner.column, SavedPlaylist.nameKey(playlist.name), playlist.name, tracks,
                    summary.trackCount, summary.totalMilliseconds, playlist.updatedAt.epochMilliseconds,
                ])
        }
    }

    public func playlists(owner: UserID) async throws(LedgerError) -> [SavedPlaylistSummary] {
        try await read("list playlists") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT name, track_count, total_ms, updated_at FROM ledger_playlist WHERE owner = ? ORDER BY name_key",
                arguments: [owner.column]
            ).map { row in
                SavedPlaylistSummary(
                    owner: owner, name: row["name"], trackCount: row["track_count"], totalMilliseconds: row["total_ms"],
                    updatedAt: Date(epochMilliseconds: row["updated_at"]))
            }
        }
    }

    public func playlist(owner: UserID, name: String) async throws(LedgerError) -> SavedPlaylist? {
        try await read("load playlist") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT name, tracks, updated_at FROM ledger_playlist WHERE owner = ? AND name_key = ?",
                    arguments: [owner.column, SavedPlaylist.nameKey(name)])
            else { return nil }
            return SavedPlaylist(
                owner: owner, name: row["name"],
                tracks: try Self.decode([SavedPlaylist.Track].self, row["tracks"], what: "playlist tracks"),
                updatedAt: Date(epochMilliseconds: row["updated_at"]))
        }
    }

    @discardableResult
    public func deletePlaylist(owner: UserID, name: String) async throws(LedgerError) -> Bool {
        try await write("delete playlist") { db in
            try db.execute(
                sql: "DELETE FROM ledger_playlist WHERE owner = ? AND name_key = ?",
                arguments: [owner.column, SavedPlaylist.nameKey(name)])
            return db.changesCount > 0
        }
    }
}
