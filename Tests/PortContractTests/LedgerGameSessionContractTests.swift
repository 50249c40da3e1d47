import AnankorCore
import Foundation
import Testing

extension LedgerContractTests {
    @Suite struct GameSessions {
        let guild = GuildID(500)
        let ada = UserID(1)
        let bob = UserID(2)
        let cy = UserID(3)

        /// Session `index` ends at `index * 100 s`; pairs share an end time to exercise the id tie-break.
        func summary(_ index: Int, guild: GuildID? = nil) -> GameSessionSummary {
            let end = LedgerTime.at((index / 2) * 100)
            return GameSessionSummary(
                id: "lobby-\(String(format: "%03d", index))", guild: guild ?? self.guild, title: "Session \(index)",
                game: index % 3 == 0 ? "Chess" : "Go", host: ada, startedAt: end.addingTimeInterval(-60), endedAt: end,
                participants: [GameSessionSummary.Participant(user: ada, role: "host")])
        }

        @Test("summaries page most recent first across more than one page", arguments: LedgerAdapter.allCases)
        func paginatesRecentFirst(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                for index in [7, 0, 3, 11, 1, 2, 9, 4, 5, 10, 6, 8, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] {
                    #expect(try await ledger.recordGameSession(summary(index)))
                }
                try await ledger.recordGameSession(summary(99, guild: GuildID(501)))

                var ids: [String] = []
                var cursor: GameSessionCursor?
                var pages = 0
                repeat {
                    let page = try await ledger.gameSessions(guild: guild, limit: 10, after: cursor)
                    #expect(page.summaries.count <= 10)
                    ids += page.summaries.map(\.id)
                    cursor = page.next
                    pages += 1
                    if let next = cursor { #expect(GameSessionCursor(next.description) == next, "cursors survive their text form") }
                } while cursor != nil && pages < 10
                #expect(pages == 3)
                let expected = (0...22).sorted { ($0 / 2, $0) > ($1 / 2, $1) }.map { summary($0).id }
                #expect(ids == expected)

                let exact = try await ledger.gameSessions(guild: GuildID(501), limit: 1, after: nil)
                #expect(exact.summaries == [summary(99, guild: GuildID(501))])
                #expect(exact.next == nil, "a page that holds the last item has no next cursor")
                #expect(try await ledger.gameSessions(guild: GuildID(502), limit: 5, after: nil) == GameSessionPage(summaries: [], next: nil))
            }
        }

        @Test("a summary is written once per id", arguments: LedgerAdapter.allCases)
        func summaryWrittenOnce(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                #expect(try await ledger.recordGameSession(summary(1)))
                var redelivered = summary(1)
                redelivered.endedAt = redelivered.endedAt.addingTimeInterval(5)
                #expect(try await ledger.recordGameSession(redelivered) == false)
                let page = try await ledger.gameSessions(guild: guild, limit: 10, after: nil)
                #expect(page.summaries == [summary(1)])
                #expect(try await ledger.gameStats(user: ada, guild: nil).sessionsPlayed == 1)
            }
        }

        @Test("user stats count sessions, time, favourites and no-shows", arguments: LedgerAdapter.allCases)
        func statsAreCorrect(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                typealias P = GameSessionSummary.Participant
                func session(_ id: String, _ guild: GuildID, _ game: String?, start: Int, end: Int, _ players: [P]) -> GameSessionSummary {
                    GameSessionSummary(
                        id: id, guild: guild, title: id, game: game, host: ada, startedAt: LedgerTime.at(start),
                        endedAt: LedgerTime.at(end), participants: players)
                }
                let other = GuildID(777)
                let sessions = [
                    session("a", guild, "Chess", start: 0, end: 3600, [P(user: ada), P(user: bob, noShow: true)]),
                    session("b", guild, "Go", start: 4000, end: 5800, [
                        P(user: ada, joinedAt: LedgerTime.at(4600)), P(user: bob, leftAt: LedgerTime.at(4300)),
                    ]),
                    session("c", other, "Chess", start: 6000, end: 6600, [P(user: ada, role: "white"), P(user: cy)]),
                    session("d", guild, "Go", start: 7000, end: 7300, [P(user: ada, noShow: true)]),
                    session("e", other, nil, start: 8000, end: 8100, [P(user: ada)]),
                    session("f", guild, "Poker", start: 9000, end: 9060, [P(user: ada)]),
                ]
                for summary in sessions { try await ledger.recordGameSession(summary) }

                let all = try await ledger.gameStats(user: ada, guild: nil)
                #expect(all.sessionsPlayed == 5)
                #expect(all.noShows == 1)
                #expect(all.secondsPlayed == 3600 + 1200 + 600 + 100 + 60)
                #expect(all.favouriteGames == [
                    .init(game: "Chess", sessions: 2, secondsPlayed: 4200), .init(game: "Go", sessions: 1, secondsPlayed: 1200),
                    .init(game: "Poker", sessions: 1, secondsPlayed: 60),
                ])
                #expect(all.lastPlayedAt == LedgerTime.at(9060))

                let inGuild = try await ledger.gameStats(user: ada, guild: guild)
                #expect(inGuild.sessionsPlayed == 3)
                #expect(inGuild.secondsPlayed == 3600 + 1200 + 60)
                #expect(inGuild.noShows == 1)

                let bobStats = try await ledger.gameStats(user: bob, guild: nil)
                #expect(bobStats == UserGameStats(
                    user: bob, sessionsPlayed: 1, secondsPlayed: 300, favouriteGames: [.init(game: "Go", sessions: 1, secondsPlayed: 300)],
                    noShows: 1, lastPlayedAt: LedgerTime.at(5800)))
                #expect(try await ledger.gameStats(user: UserID(404), guild: nil) == UserGameStats(user: UserID(404)))
            }
        }

        @Test("invalid summaries and page sizes are refused", arguments: LedgerAdapter.allCases)
        func invalidInputIsRefused(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                var backwards = summary(1)
                backwards.startedAt = backwards.endedAt.addingTimeInterval(1)
                var crowded = summary(2)
                crowded.participants = (0...GameSessionSummary.maxParticipants).map { .init(user: UserID(UInt64($0) + 10)) }
                var twice = summary(3)
                twice.participants += twice.participants
                for bad in [backwards, crowded, twice] {
                    let error = await #expect(throws: LedgerError.self) { try await ledger.recordGameSession(bad) }
                    #expect(error?.code == .invalidInput)
                }
                for limit in [0, 101] {
                    let error = await #expect(throws: LedgerError.self) { try await ledger.gameSessions(guild: guild, limit: limit, after: nil) }
                    #expect(error?.code == .invalidInput)
                }
                #expect(GameSessionCursor("not-a-cursor") == nil)
                #expect(GameSessionCursor("-5:x") == nil)
            }
        }
    }
}
