import AnankorCore
import Foundation
import GRDB

extension SQLiteStateStore {
    public func lobby(_ id: LobbyID, in guild: GuildID) async throws -> Lobby? {
        let key = id.rawValue
        let data = try await read("read lobby \(id)") { db in
            try Data.fetchOne(db, sql: "SELECT lobby FROM lobby WHERE guild = ? AND id = ?",
                              arguments: [guild.column, key])
        }
        return try data.map { try StateCoding.decode(Lobby.self, $0) }
    }

    public func saveLobby(_ lobby: Lobby) async throws -> Lobby? {
        var saved = lobby
        saved.version = lobby.version + 1
        let data = try StateCoding.encode(saved)
        let expected = lobby.version
        let key = lobby.id.rawValue
        let guild = lobby.guild.column
        // The `active` column marks the listed lobbies (see `LobbyStore.saveLobby`).
        let active = lobby.isListed ? 1 : 0
        let created = lobby.createdAt.epochMilliseconds
        let stored = try await write("save lobby \(lobby.id)") { db -> Bool in
            let current = try Int.fetchOne(db, sql: "SELECT version FROM lobby WHERE guild = ? AND id = ?",
                                           arguments: [guild, key]) ?? 0
            guard current == expected else { return false }
            try db.execute(sql: """
                INSERT INTO lobby (guild, id, version, active, created_at, lobby) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(guild, id) DO UPDATE SET version = excluded.version, active = excluded.active,
                    lobby = excluded.lobby
                """, arguments: [guild, key, expected + 1, active, created, data])
            return true
        }
        return stored ? saved : nil
    }

    public func listedLobbies(in guild: GuildID) async throws -> [Lobby] {
        let rows = try await read("read listed lobbies") { db in
            try Data.fetchAll(db, sql: "SELECT lobby FROM lobby WHERE guild = ? AND active = 1 ORDER BY created_at, id",
                              arguments: [guild.column])
        }
        return try rows.map { try StateCoding.decode(Lobby.self, $0) }
    }
}
