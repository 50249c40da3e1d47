import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: lobbies")
struct StateStoreLobbyContractTests {
    @Test("lobbies are saved on the version read, listed while active, per guild", arguments: StateStoreAdapter.all)
    func lobbies(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let guild = GuildID(1)
        let id = LobbyID("raid-1")
        #expect(try await store.lobby(id, in: guild) == nil)
        var lobby = Lobby(id: id, guild: guild, textChannel: ChannelID(5), host: UserID(7), title: "Raid", seats: 2,
                          roles: [LobbyRole(name: "tank", seats: 1)], startAt: Fixed.at(3600), createdAt: Fixed.t0)
        lobby.join(UserID(7), role: "tank", now: Fixed.t0)
        let saved = try #require(try await store.saveLobby(lobby))
        #expect(saved.version == 1)
        #expect(try await store.lobby(id, in: guild) == saved)
        // Same id in another guild is another lobby.
        #expect(try await store.lobby(id, in: GuildID(2)) == nil)
        let later = Lobby(id: LobbyID("raid-2"), guild: guild, textChannel: ChannelID(5), host: UserID(8),
                          title: "Later", seats: 4, createdAt: Fixed.at(10))
        #expect(try await store.saveLobby(later)?.version == 1)
        #expect(try await store.saveLobby(later) == nil, "a second create with the same id loses")
        #expect(try await store.openLobbies(in: guild).map(\.id.rawValue) == ["raid-1", "raid-2"])

        // Two masters read version 1; the first save wins, the second is told to retry.
        var first = saved
        first.join(UserID(9), role: "tank", now: Fixed.at(1))
        var second = saved
        second.join(UserID(10), role: "tank", now: Fixed.at(1))
        #expect(try await store.saveLobby(first)?.version == 2)
        #expect(try await store.saveLobby(second) == nil)

        // The retrying helper applies the change on the fresh version: 10 goes to the bench behind 9.
        let update = try await store.updateLobby(id, in: guild) { lobby in lobby.join(UserID(10), role: "tank", now: Fixed.at(2)).0 }
        guard case .saved(let stored, let outcome) = update else { Issue.record("not saved: \(update)"); return }
        #expect(outcome == .benched(place: 2))
        #expect(stored.version == 3 && stored.bench.map(\.user) == [UserID(9), UserID(10)])
        let refused = try await store.updateLobby(id, in: guild) { _ -> Int? in nil }
        guard case .unchanged(let unchanged) = refused else { Issue.record("changed: \(refused)"); return }
        #expect(unchanged.version == 3)
        guard case .missing = try await store.updateLobby(LobbyID("nope"), in: guild, { _ in 1 }) else {
            Issue.record("a missing lobby was updated"); return
        }

        // An ended lobby is kept (for its buttons) but leaves the open list.
        var ended = stored
        ended.state = .ended
        #expect(try await store.saveLobby(ended)?.version == 4)
        #expect(try await store.openLobbies(in: guild).map(\.id.rawValue) == ["raid-2"])
        #expect(try await store.lobby(id, in: guild)?.state == .ended)
        #expect(try await store.openLobbies(in: GuildID(2)).isEmpty)
    }

    @Test("a lobby's series is stored with it; its next lobby is created once", arguments: StateStoreAdapter.all)
    func series(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let guild = GuildID(1)
        var lobby = Lobby(id: LobbyID("weekly1"), guild: guild, textChannel: ChannelID(5), host: UserID(7),
                          title: "Raid", seats: 2, startAt: Fixed.at(3600), createdAt: Fixed.t0)
        lobby.series = LobbySeries(id: lobby.id, rule: .weekly, start: Fixed.at(3600),
                                   zone: TimeZone(identifier: "Europe/Berlin")!, host: UserID(7))
        let saved = try #require(try await store.saveLobby(lobby))
        #expect(try await store.lobby(lobby.id, in: guild)?.series == lobby.series)
        var ended = saved
        ended.state = .ended
        let closed = try #require(try await store.saveLobby(ended))
        // Two masters (or one retrying) make the same next lobby: the store keeps the first.
        let next = try #require(closed.nextInSeries(now: Fixed.at(7200)))
        #expect(try await store.saveLobby(next)?.version == 1)
        #expect(try await store.saveLobby(next) == nil)
        #expect(try await store.openLobbies(in: guild).map(\.series?.occurrence) == [2])
        // The closed lobby stays listed (not open) until its next lobby is recorded as saved, so a
        // sweep can finish the hand-on after a crash; then it leaves the list.
        #expect(try await store.listedLobbies(in: guild).map(\.id) == [lobby.id, next.id])
        var handedOn = closed
        let marked = handedOn.markNextSaved()
        #expect(marked)
        #expect(try await store.saveLobby(handedOn) != nil)
        #expect(try await store.listedLobbies(in: guild).map(\.id) == [next.id])
        // A stopped series leaves the list when it closes.
        var stopped = try #require(try await store.lobby(next.id, in: guild))
        stopped.stopSeries()
        stopped.state = .cancelled
        #expect(try await store.saveLobby(stopped) != nil)
        #expect(try await store.listedLobbies(in: guild).isEmpty)
    }
}
