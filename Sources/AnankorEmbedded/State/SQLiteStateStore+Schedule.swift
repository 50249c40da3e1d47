import AnankorCore
import Foundation
import GRDB

extension SQLiteStateStore {
    public func schedule(_ item: ScheduleItem) async throws -> Bool {
        try await write("schedule \(item.id)") { db in
            let due = item.dueAt.epochMilliseconds
            try db.execute(sql: """
                INSERT OR IGNORE INTO schedule_item (id, due_at, ready_at, grp, payload) VALUES (?, ?, ?, ?, ?)
                """, arguments: [item.id.rawValue, due, due, item.group, item.payload])
            return db.changesCount == 1
        }
    }

    public func claimDue(now: Date, limit: Int, claimant: LeaseHolder, lease: Duration) async throws -> [ScheduleClaim] {
        try requireNonNegative(limit, "limit")
        let nowMs = now.epochMilliseconds
        let until = nowMs + max(1, lease.wholeMilliseconds)
        return try await write("claim due items") { db in
            // A claimed item's ready_at moves to the end of its lease: it is due again only if the
            // claimer did not complete it in time.
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM schedule_item WHERE ready_at <= ? ORDER BY ready_at, id LIMIT ?",
                arguments: [nowMs, limit])
            return try rows.map { row in
                let token: Int64 = (row["claim_token"] as Int64) + 1
                let attempt: Int = (row["attempts"] as Int) + 1
                let id: String = row["id"]
                try db.execute(sql: "UPDATE schedule_item SET claimant = ?, claim_token = ?, attempts = ?, ready_at = ? WHERE id = ?",
                               arguments: [claimant.rawValue, token, attempt, until, id])
                return ScheduleClaim(item: Self.item(row), claimant: claimant, token: FencingToken(UInt64(token)),
                                     attempt: attempt, leaseUntil: Date(epochMilliseconds: until))
            }
        }
    }

    public func complete(_ claim: ScheduleClaim) async throws -> Bool {
        try await write("complete \(claim.item.id)") { db in
            try db.execute(sql: "DELETE FROM schedule_item WHERE id = ? AND claim_token = ? AND claimant = ?",
                           arguments: [claim.item.id.rawValue, Int64(claim.token.rawValue), claim.claimant.rawValue])
            return db.changesCount == 1
        }
    }

    public func cancelScheduled(_ id: ScheduleItemID) async throws -> Bool {
        try await write("cancel \(id)") { db in
            try db.execute(sql: "DELETE FROM schedule_item WHERE id = ?", arguments: [id.rawValue])
            return db.changesCount == 1
        }
    }

    public func cancelScheduled(group: String) async throws -> Int {
        try await write("cancel group") { db in
            try db.execute(sql: "DELETE FROM schedule_item WHERE grp = ?", arguments: [group])
            return db.changesCount
        }
    }

    public func scheduledItem(_ id: ScheduleItemID) async throws -> ScheduleItem? {
        try await read("read scheduled item") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM schedule_item WHERE id = ?", arguments: [id.rawValue]).map(Self.item)
        }
    }

    static func item(_ row: Row) -> ScheduleItem {
        ScheduleItem(id: ScheduleItemID(row["id"]), dueAt: Date(epochMilliseconds: row["due_at"]), group: row["grp"],
                     payload: row["payload"])
    }

    // MARK: - Session activity

    public func touchSession(_ session: SessionKey, at: Date) async throws {
        try await write("touch session") { db in
            try db.execute(sql: """
                INSERT INTO session_activity (session, last_activity) VALUES (?, ?)
                ON CONFLICT(session) DO UPDATE SET last_activity = MAX(last_activity, excluded.last_activity)
                """, arguments: [session.description, at.epochMilliseconds])
        }
    }

    public func setStay(_ stay: Bool, for session: SessionKey) async throws {
        try await write("set stay") { db in
            try db.execute(sql: """
                INSERT INTO session_activity (session, last_activity, stay) VALUES (?, 0, ?)
                ON CONFLICT(session) DO UPDATE SET stay = excluded.stay
                """, arguments: [session.description, stay])
        }
    }

    public func idleSessions(since cutoff: Date, limit: Int) async throws -> [SessionKey] {
        try requireNonNegative(limit, "limit")
        return try await read("read idle sessions") { db in
            try String.fetchAll(db, sql: """
                SELECT session FROM session_activity WHERE last_activity <= ? AND stay = 0
                ORDER BY last_activity, session LIMIT ?
                """, arguments: [cutoff.epochMilliseconds, limit]).compactMap(SessionKey.init)
        }
    }

    // MARK: - Resume info

    public func saveResumeInfo(_ info: ResumeInfo, for key: ResumeKey) async throws {
        let data = try StateCoding.encode(info)
        try await write("save resume info") { db in
            try db.execute(sql: """
                INSERT INTO resume_info (bot, shard, info) VALUES (?, ?, ?)
                ON CONFLICT(bot, shard) DO UPDATE SET info = excluded.info
                """, arguments: [key.bot.column, key.shard, data])
        }
    }

    public func resumeInfo(for key: ResumeKey) async throws -> ResumeInfo? {
        try await read("read resume info") { db in
            try Data.fetchOne(db, sql: "SELECT info FROM resume_info WHERE bot = ? AND shard = ?",
                              arguments: [key.bot.column, key.shard]).map { try StateCoding.decode(ResumeInfo.self, $0) }
        }
    }

    public func clearResumeInfo(for key: ResumeKey) async throws {
        try await write("clear resume info") { db in
            try db.execute(sql: "DELETE FROM resume_info WHERE bot = ? AND shard = ?", arguments: [key.bot.column, key.shard])
        }
    }
}
