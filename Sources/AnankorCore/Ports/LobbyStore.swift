import Foundation

/// Game lobbies (DESIGN §5): hot coordination state every master reads and changes. Saves compare
/// `Lobby.version`, so two masters handling sign-ups at once never lose one.
public protocol LobbyStore: Sendable {
    func lobby(_ id: LobbyID, in guild: GuildID) async throws -> Lobby?
    /// Saves `lobby` if the stored version is still `lobby.version` (0: nothing stored yet);
    /// returns what was stored (version raised by one), or nil when another writer saved first.
    /// The guild's list holds the lobbies whose `isListed` is true as saved: a lobby that is no
    /// longer active leaves it, unless it awaits the next lobby of its series.
    func saveLobby(_ lobby: Lobby) async throws -> Lobby?
    /// The listed lobbies of a guild (open, started, and closed ones awaiting the next lobby of
    /// their series), oldest first.
    func listedLobbies(in guild: GuildID) async throws -> [Lobby]
}

extension LobbyStore {
    /// Open and started lobbies of a guild, oldest first.
    public func openLobbies(in guild: GuildID) async throws -> [Lobby] {
        try await listedLobbies(in: guild).filter(\.state.isActive)
    }
}

/// What `updateLobby` did.
public enum LobbyUpdate<Value: Sendable>: Sendable {
    /// The lobby does not exist.
    case missing
    /// The change decided not to save (it returned nil).
    case unchanged(Lobby)
    /// Saved; the stored lobby and what the change returned.
    case saved(Lobby, Value)
}

extension LobbyStore {
    /// Reads, changes and saves a lobby, retrying on the fresh version when another writer got
    /// there first. `change` returns nil to leave the lobby as it is (a refusal).
    public func updateLobby<Value: Sendable>(
        _ id: LobbyID, in guild: GuildID, _ change: (inout Lobby) -> Value?
    ) async throws -> LobbyUpdate<Value> {
        for _ in 0..<16 {
            guard var lobby = try await self.lobby(id, in: guild) else { return .missing }
            let original = lobby
            guard let result = change(&lobby) else { return .unchanged(original) }
            if let saved = try await saveLobby(lobby) { return .saved(saved, result) }
        }
        throw StateStoreError(code: .unavailable, message: "lobby \(id) keeps changing under concurrent writers")
    }
}
