import Foundation
import Testing

@testable import AnankorCore

@Suite("Lobby hosting and lifetime")
struct LobbyLifetimeTests {
    let t0 = Date(timeIntervalSince1970: 1_795_532_400)
    let host = UserID(100)

    func lobby(seats: Int = 2, startAt: Date? = nil) -> Lobby {
        var lobby = Lobby(id: LobbyID("l1"), guild: GuildID(1), textChannel: ChannelID(2), host: host, title: "Raid",
                          seats: seats, startAt: startAt, createdAt: t0)
        lobby.join(host, role: nil, now: t0)
        return lobby
    }

    func started(_ lobby: Lobby) -> Lobby {
        var lobby = lobby
        lobby.state = .started
        lobby.startedAt = t0.addingTimeInterval(60)
        lobby.voiceChannel = ChannelID(9)
        return lobby
    }

    @Test func aLeavingHostHandsOverInSignUpOrderSeatedFirst() {
        var lobby = lobby(seats: 2)
        lobby.join(UserID(1), role: nil, now: t0)
        lobby.join(UserID(2), role: nil, now: t0)  // benched
        let outcome = lobby.leave(host)
        #expect(outcome == LobbyLeaveOutcome(left: true, promoted: [UserID(2)], newHost: UserID(1)))
        #expect(lobby.host == UserID(1))
        // Someone else leaving keeps the host.
        #expect(lobby.leave(UserID(2)).newHost == nil && lobby.host == UserID(1))
    }

    @Test func theLastHostLeavingLeavesNobodyToHandOverTo() {
        var lobby = lobby()
        #expect(lobby.leave(host) == LobbyLeaveOutcome(left: true))
        #expect(lobby.signedUp.isEmpty && lobby.host == host)
    }

    @Test func aHostAwayPastTheGraceHandsOverToAMemberInTheChannel() {
        var lobby = started(lobby(seats: 3))
        lobby.join(UserID(1), role: nil, now: t0)
        lobby.join(UserID(2), role: nil, now: t0)
        let later = t0.addingTimeInterval(600)
        #expect(lobby.checkHost(present: [host, UserID(1)], now: later, grace: 60) == nil, "present: nothing to save")
        #expect(lobby.checkHost(present: [UserID(2)], now: later, grace: 60) == .away)
        #expect(lobby.hostAwaySince == later)
        #expect(lobby.checkHost(present: [UserID(2)], now: later.addingTimeInterval(59), grace: 60) == nil)
        // Back within the grace: the mark is cleared and the clock starts again next time.
        #expect(lobby.checkHost(present: [host], now: later.addingTimeInterval(30), grace: 60) == .back)
        #expect(lobby.hostAwaySince == nil)
        #expect(lobby.checkHost(present: [UserID(2)], now: later.addingTimeInterval(100), grace: 60) == .away)
        let handOver = lobby.checkHost(present: [UserID(2), UserID(77)], now: later.addingTimeInterval(160), grace: 60)
        #expect(handOver == .handedOver(to: UserID(2)), "the first signed-up member who is there, not a stranger")
        #expect(lobby.host == UserID(2) && lobby.hostAwaySince == nil)
    }

    @Test func aHostAwayWithNobodyInTheChannelAbandonsTheLobby() {
        var lobby = started(lobby())
        lobby.join(UserID(1), role: nil, now: t0)
        #expect(lobby.checkHost(present: [UserID(77)], now: t0, grace: 60) == .away)
        let before = lobby
        #expect(lobby.checkHost(present: [UserID(77)], now: t0.addingTimeInterval(60), grace: 60) == .abandoned)
        #expect(lobby == before, "abandoning changes nothing: closing is the caller's compare-and-set")
    }

    @Test func hostChecksOnlyApplyToStartedLobbiesWithAChannel() {
        var open = lobby()
        #expect(open.checkHost(present: [], now: t0, grace: 0) == nil)
        var starting = started(lobby())
        starting.voiceChannel = nil  // the temporary channel is not there yet
        #expect(starting.checkHost(present: [], now: t0, grace: 0) == nil)
    }

    @Test func timeouts() {
        let hour: TimeInterval = 3600
        #expect(lobby().timesOut(maxDuration: 6 * hour, openExpiry: 2 * hour) == t0.addingTimeInterval(2 * hour),
                "an open lobby without a start expires after its creation")
        let scheduled = lobby(startAt: t0.addingTimeInterval(5 * hour))
        #expect(scheduled.timesOut(maxDuration: 6 * hour, openExpiry: 2 * hour) == t0.addingTimeInterval(7 * hour),
                "one with a start expires after its start time")
        let running = started(scheduled)
        #expect(running.timesOut(maxDuration: 6 * hour, openExpiry: 2 * hour) == t0.addingTimeInterval(60 + 6 * hour))
        var ended = running
        ended.state = .ended
        #expect(ended.timesOut(maxDuration: 6 * hour, openExpiry: 2 * hour) == nil)
    }

    @Test func lobbyIDsAsTyped() {
        #expect(Lobby.isWellFormedID("mi3k2x1a9zq"))
        #expect(!Lobby.isWellFormedID(""))
        #expect(!Lobby.isWellFormedID("ABC"), "ids are lowercase; callers lowercase what was typed")
        #expect(!Lobby.isWellFormedID("lobby:join:x"))
        #expect(!Lobby.isWellFormedID(String(repeating: "a", count: 33)))
    }

    @Test func lobbiesStoredBeforeTheHostMarkStillDecode() throws {
        let lobby = started(lobby())
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(lobby)) as? [String: Any])
        object["hostAwaySince"] = nil
        let decoded = try JSONDecoder().decode(Lobby.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded == lobby)
    }
}
