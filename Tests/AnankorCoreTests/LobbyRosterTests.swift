import Foundation
import Testing

@testable import AnankorCore

@Suite("Lobby roster policy")
struct LobbyRosterTests {
    let t0 = Date(timeIntervalSince1970: 1_795_532_400)

    func lobby(seats: Int, roles: [LobbyRole] = []) -> Lobby {
        Lobby(id: LobbyID("l1"), guild: GuildID(1), textChannel: ChannelID(2), host: UserID(100), title: "Raid",
              seats: seats, roles: roles, startAt: t0.addingTimeInterval(3600), createdAt: t0)
    }

    @Test func signUpBeyondSeatsGoesToTheBenchAndALeavePromotesTheFirst() {
        var lobby = lobby(seats: 2)
        #expect(lobby.join(UserID(1), role: nil, now: t0).0 == .seated)
        #expect(lobby.join(UserID(2), role: nil, now: t0).0 == .seated)
        #expect(lobby.join(UserID(3), role: nil, now: t0).0 == .benched(place: 1))
        #expect(lobby.join(UserID(4), role: nil, now: t0).0 == .benched(place: 2))
        #expect(lobby.join(UserID(3), role: nil, now: t0).0 == .alreadyJoined)
        let outcome = lobby.leave(UserID(1))
        #expect(outcome == LobbyLeaveOutcome(left: true, promoted: [UserID(3)]))
        #expect(lobby.participants.map(\.user) == [UserID(2), UserID(3)])
        #expect(lobby.bench.map(\.user) == [UserID(4)])
        // Leaving the bench promotes nobody; leaving twice changes nothing.
        #expect(lobby.leave(UserID(4)) == LobbyLeaveOutcome(left: true))
        #expect(lobby.leave(UserID(4)) == LobbyLeaveOutcome(left: false))
    }

    @Test func rolesWithTheirOwnSeatCounts() {
        var lobby = lobby(seats: 3, roles: [LobbyRole(name: "Tank", seats: 1), LobbyRole(name: "dps")])
        #expect(lobby.join(UserID(1), role: "tank", now: t0).0 == .seated)
        #expect(lobby.participants[0].role == "Tank", "the lobby's spelling is kept")
        #expect(lobby.join(UserID(2), role: "tank", now: t0).0 == .benched(place: 1))
        #expect(lobby.join(UserID(3), role: "healer", now: t0).0 == .unknownRole)
        #expect(lobby.join(UserID(4), role: "dps", now: t0).0 == .seated)
        // With no role picked, the first role with a free seat.
        #expect(lobby.join(UserID(5), role: nil, now: t0).0 == .seated)
        #expect(lobby.member(UserID(5))?.role == "dps")
        #expect(lobby.join(UserID(6), role: "dps", now: t0).0 == .benched(place: 2))
        // A dps seat frees: the tank on the bench does not fit it, the dps behind does.
        #expect(lobby.leave(UserID(4)).promoted == [UserID(6)])
        #expect(lobby.bench.map(\.user) == [UserID(2)])
        // The tank seat frees: the waiting tank takes it.
        #expect(lobby.leave(UserID(1)).promoted == [UserID(2)])
        // Switching role gives up the seat and signs up again.
        let (switched, promoted) = lobby.join(UserID(5), role: "tank", now: t0)
        #expect(switched == .benched(place: 1) && promoted.isEmpty)
    }

    @Test func readyOnlyForSeatedMembersAndManagePermissions() {
        var lobby = lobby(seats: 1)
        lobby.join(UserID(1), role: nil, now: t0)
        lobby.join(UserID(2), role: nil, now: t0)
        #expect(lobby.setReady(UserID(1), true) == true)
        #expect(lobby.setReady(UserID(1), nil) == false)
        #expect(lobby.setReady(UserID(1), nil) == true)
        #expect(lobby.setReady(UserID(2), true) == nil, "bench members cannot be ready")
        #expect(lobby.readyParticipants == [UserID(1)])
        #expect(lobby.canManage(UserID(100), hasManageEvents: false))
        #expect(lobby.canManage(UserID(1), hasManageEvents: true))
        #expect(!lobby.canManage(UserID(1), hasManageEvents: false))
        lobby.state = .cancelled
        #expect(lobby.join(UserID(3), role: nil, now: t0).0 == .closed)
    }

    @Test func remindersAndParsing() {
        var lobby = lobby(seats: 4)
        #expect(lobby.reminderTimes(after: t0).map(\.offset) == [900, 0])
        #expect(lobby.reminderTimes(after: t0.addingTimeInterval(3000)).map(\.offset) == [0])
        lobby.startAt = nil
        #expect(lobby.reminderTimes(after: t0).isEmpty)
        #expect(Lobby.parseReminderOffsets("30m, 5, 0") == [1800, 300, 0])
        #expect(Lobby.parseReminderOffsets("soon") == nil)
        #expect(Lobby.parseReminderOffsets("1,2,3,4,5,6") == nil)
        #expect(LobbyRole.parseList("tank:2, healer:2, dps") == [
            LobbyRole(name: "tank", seats: 2), LobbyRole(name: "healer", seats: 2), LobbyRole(name: "dps"),
        ])
        #expect(LobbyRole.parseList("tank, Tank") == nil)
        #expect(LobbyRole.parseList("tank:0") == nil)
        #expect(LobbyRole.parseList(" , ") == nil)
    }

    @Test func summaryMarksNoShowsAndKeepsBenchPlayers() throws {
        var lobby = lobby(seats: 2)
        lobby.join(UserID(1), role: nil, now: t0)
        lobby.join(UserID(2), role: nil, now: t0)
        lobby.join(UserID(3), role: nil, now: t0)
        lobby.join(UserID(4), role: nil, now: t0)
        #expect(lobby.summary(endedAt: t0) == nil, "never started")
        lobby.startedAt = t0
        lobby.markSeenInVoice([UserID(1), UserID(3), UserID(1)])
        let summary = try #require(lobby.summary(endedAt: t0.addingTimeInterval(600)))
        #expect(summary.participants.map(\.user) == [UserID(1), UserID(2), UserID(3)])
        #expect(summary.participants.map(\.noShow) == [false, true, false])
        #expect(summary.endedAt.timeIntervalSince(summary.startedAt) == 600)
    }
}
