import Foundation
import Testing

@testable import AnankorCore

@Suite struct LedgerValueTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func recordBlocksUntilItsExpiry() {
        let key = IdempotencyKey("job:1")!
        let token = ClaimToken(rawValue: "t")
        let working = IdempotencyRecord(key: key, state: .inProgress, token: token, updatedAt: start, expiresAt: start.addingTimeInterval(30))
        #expect(working.blockingClaim(at: start.addingTimeInterval(29.999)) == .inProgress(expiresAt: start.addingTimeInterval(30)))
        #expect(working.blockingClaim(at: start.addingTimeInterval(30)) == nil, "the lease ends exactly at expiresAt")
        let done = IdempotencyRecord(key: key, state: .complete, token: token, result: [1], updatedAt: start, expiresAt: start.addingTimeInterval(60))
        #expect(done.blockingClaim(at: start.addingTimeInterval(59)) == .completed(result: [1], completedAt: start))
        #expect(done.blockingClaim(at: start.addingTimeInterval(61)) == nil)
    }

    @Test func participantTimeIsClampedToTheSession() {
        let summary = GameSessionSummary(
            id: "s", guild: GuildID(1), title: "t", host: UserID(1), startedAt: start, endedAt: start.addingTimeInterval(600),
            participants: [])
        #expect(summary.secondsPlayed(by: .init(user: UserID(1))) == 600)
        #expect(summary.secondsPlayed(by: .init(user: UserID(1), joinedAt: start.addingTimeInterval(-100), leftAt: start.addingTimeInterval(9999))) == 600)
        #expect(summary.secondsPlayed(by: .init(user: UserID(1), joinedAt: start.addingTimeInterval(500), leftAt: start.addingTimeInterval(100))) == 0)
        #expect(summary.secondsPlayed(by: .init(user: UserID(1), noShow: true)) == 0)
    }

    @Test func favouritesRankBySessionsThenTimeThenName() {
        let user = UserID(1)
        func played(_ game: String?, _ seconds: Int64, noShow: Bool = false) -> GameParticipation {
            GameParticipation(user: user, guild: GuildID(1), sessionID: UUID().uuidString, game: game, endedAt: start, noShow: noShow, secondsPlayed: seconds)
        }
        let stats = UserGameStats.tally(user: user, [
            played("Beta", 10), played("Alpha", 10), played("Gamma", 50), played("Delta", 5), played("Delta", 5),
            played(nil, 100), played("Omega", 0, noShow: true),
            GameParticipation(user: UserID(2), guild: GuildID(1), sessionID: "x", game: "Zeta", endedAt: start, noShow: false, secondsPlayed: 9),
        ])
        #expect(stats.favouriteGames.map(\.game) == ["Delta", "Gamma", "Alpha"])
        #expect(stats.sessionsPlayed == 6)
        #expect(stats.secondsPlayed == 180)
        #expect(stats.noShows == 1)
    }

    @Test(arguments: ["0:a", "1800000000000:lobby:with:colons", "42:ünï"])
    func cursorTextRoundTrips(_ text: String) throws {
        let cursor = try #require(GameSessionCursor(text))
        #expect(cursor.description == text)
    }

    @Test(arguments: ["", ":", "12", "x:y", "5:", "-1:a", "99999999999999999999:a"])
    func malformedCursorsAreRejected(_ text: String) {
        #expect(GameSessionCursor(text) == nil)
    }

    @Test func playlistNamesMatchWithoutCaseOrPadding() {
        #expect(SavedPlaylist.nameKey("  Road TRIP ") == "road trip")
    }
}
