import AnankorCore
import Foundation
import RedisKit

extension RedisStateStore {
    public func lobby(_ id: LobbyID, in guild: GuildID) async throws -> Lobby? {
        let value = try await command("read lobby \(id)", "HGET", keys.lobby(guild, id), "json")
        return value.string == nil ? nil : try Self.decode(Lobby.self, value)
    }

    public func saveLobby(_ lobby: Lobby) async throws -> Lobby? {
        var saved = lobby
        saved.version = lobby.version + 1
        let reply = try await script(
            RedisStateScripts.saveLobby, "save lobby \(lobby.id)",
            keys: [keys.lobby(lobby.guild, lobby.id), keys.openLobbies(lobby.guild)],
            [lobby.version, try Self.encode(saved), lobby.id.rawValue, lobby.createdAt.epochMilliseconds,
             lobby.isListed ? 1 : 0])
        return reply.int == 1 ? saved : nil
    }

    public func listedLobbies(in guild: GuildID) async throws -> [Lobby] {
        let ids = try await command("read listed lobbies", "ZRANGE", keys.openLobbies(guild), 0, -1)
        var lobbies: [Lobby] = []
        for id in ids.elements.compactMap(\.string) {
            if let lobby = try await lobby(LobbyID(id), in: guild), lobby.isListed { lobbies.append(lobby) }
        }
        return lobbies
    }
}
