import AnankorCore
import Foundation
import GRDB

extension SQLiteLedger {
    @discardableResult
    public func recordGameSession(_ summary: GameSessionSummary) async throws(LedgerError) -> Bool {
        try summary.validate()
        let body: Data
        do {
            body = try Self.encode(summary)
        } catch {
            throw LedgerError(.invalidInput, "game session summary could not be encoded", underlying: error)
        }
        return try await write("record game session") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO ledger_game_session (guild, id, ended_at, summary) VALUES (?, ?, ?, ?)",
                arguments: [summary.guild.column, summary.id, summary.endedAt.epochMilliseconds, body])
            guard db.changesCount == 1 else { return false }
            for participation in summary.participations {
                try db.execute(
                    sql: """
                        INSERT INTO ledger_game_participation
                        (user, guild, session_id, game, ended_at, no_show, seconds_played) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        participation.user.column, participation.guild.column, participation.sessionID,
                        participation.game, participation.endedAt.epochMilliseconds, participation.noShow,
                        participation.secondsPlayed,
                    ])
            }
            return true
        }
    }

    public func gameSessions(
        guild: GuildID, limit: Int, after cursor: GameSessionCursor?
    ) async throws(LedgerError) -> GameSessionPage {
        guard GameSessionPage.limits.contains(limit) else {
            throw LedgerError(.invalidInput, "page size must be \(GameSessionPage.limits), got \(limit)")
        }
        return try await read("game sessions") { db in
            // One row more than asked tells whether another page exists.
            let rows: [Row]
            if let cursor {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT summary FROM ledger_game_session
                        WHERE guild = ? AND (ended_at < ? OR (ended_at = ? AND id < ?))
                        ORDER BY ended_at DESC, id DESC LIMIT ?
                        """,
                    arguments: [guild.column, cursor.endedAt, cursor.endedAt, cursor.id, limit + 1])
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT summary FROM ledger_game_session WHERE guild = ? ORDER BY ended_at DESC, id DESC LIMIT ?",
                    arguments: [guild.column, limit + 1])
            }
            let summaries = try rows.prefix(limit).map { row in
                try Self.decode(GameSessionSummary.self, row["summary"], what: "game session summary")
            }
            return GameSessionPage(summaries: summaries, next: rows.count > limit ? summaries.last?.cursor : nil)
        }
    }

    public func gameStats(user: UserID, guild: GuildID?) async throws(LedgerError) -> UserGameStats {
        try await read("game stats") { db in
            var sql = "SELECT * FROM ledger_game_participation WHERE user = ?"
            var arguments: StatementArguments = [user.column]
            if let guild {
                sql += " AND guild = ?"
                arguments += [guild.column]
            }
            let participations = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                GameParticipation(
                    user: user, guild: GuildID(column: row["guild"]), sessionID: row["session_id"], game: row["game"],
                    endedAt: Date(epochMilliseconds: row["ended_at"]), noShow: row["no_show"],
                    secondsPlayed: row["seconds_played"])
            }
            return UserGameStats.tally(user: user, participations)
        }
    }
}
