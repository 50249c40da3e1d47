import AnankorCore
import Foundation
import GRDB

extension SQLiteStateStore {
    public func enqueue(_ entries: [QueueEntry], in session: SessionKey, at placement: QueuePlacement) async throws -> Int {
        let key = session.description
        let encoded = try entries.map(StateCoding.encode)
        return try await write("enqueue in \(session)") { db in
            let bounds = try Row.fetchOne(
                db, sql: "SELECT MIN(position) AS low, MAX(position) AS high FROM queue_entry WHERE session = ?",
                arguments: [key])
            let low: Int64 = bounds?["low"] ?? 0
            let high: Int64 = bounds?["high"] ?? -1
            let start = placement == .end ? high + 1 : low - Int64(encoded.count)
            for (offset, data) in encoded.enumerated() {
                try db.execute(sql: "INSERT INTO queue_entry (session, position, entry) VALUES (?, ?, ?)",
                               arguments: [key, start + Int64(offset), data])
            }
            return try Self.queueCount(db, key)
        }
    }

    public func advance(_ session: SessionKey, expecting expected: QueueEntryID?, reason: AdvanceReason, now: Date)
        async throws -> AdvanceOutcome
    {
        let key = session.description
        return try await write("advance \(session)") { db in
            let state = try Self.sessionState(db, key)
            let current = try state.nowPlaying.map { try StateCoding.decode(QueueEntry.self, $0) }
            guard current?.id == expected else { return .stale(current: current?.id) }
            // QueueRules.advance, row by row: the profile showed whole-list rewrites of queue and
            // history (50 entries) on every track end as the embedded mode's hottest path.
            if let current, state.mode == .track, reason == .finished {
                try Self.setNowPlaying(db, key, current, now: now)
                return .playing(current)
            }
            if current != nil, let data = state.nowPlaying {
                let top = try Self.appendRow(db, "history_entry", key, data)
                try db.cachedStatement(sql: "DELETE FROM history_entry WHERE session = ? AND position <= ?")
                    .execute(arguments: [key, top - Int64(QueueRules.historyLimit)])
                if state.mode == .queue { _ = try Self.appendRow(db, "queue_entry", key, data) }
            }
            guard let head = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT position, entry FROM queue_entry WHERE session = ? ORDER BY position LIMIT 1"),
                arguments: [key])
            else {
                try Self.setNowPlaying(db, key, nil, now: now)
                return .ended
            }
            let position: Int64 = head["position"]
            let data: Data = head["entry"]
            try db.cachedStatement(sql: "DELETE FROM queue_entry WHERE session = ? AND position = ?")
                .execute(arguments: [key, position])
            let next = try StateCoding.decode(QueueEntry.self, data)
            try Self.setNowPlaying(db, key, encoded: data, now: now)
            return .playing(next)
        }
    }

    public func previous(_ session: SessionKey, now: Date) async throws -> QueueEntry? {
        let key = session.description
        return try await write("previous in \(session)") { db in
            var history = try Self.loadList(db, "history_entry", key)
            guard let previous = history.popLast() else { return nil }
            var queue = try Self.loadList(db, "queue_entry", key)
            if let data = try Self.sessionState(db, key).nowPlaying {
                queue.insert(try StateCoding.decode(QueueEntry.self, data), at: 0)
            }
            try Self.storeList(db, "queue_entry", key, queue)
            try Self.storeList(db, "history_entry", key, history)
            try Self.setNowPlaying(db, key, previous, now: now)
            return previous
        }
    }

    public func queuePage(_ session: SessionKey, offset: Int, limit: Int) async throws -> QueuePage {
        try requireNonNegative(offset, "offset")
        try requireNonNegative(limit, "limit")
        let key = session.description
        return try await read("read queue") { db in
            let rows = try Data.fetchAll(
                db, sql: "SELECT entry FROM queue_entry WHERE session = ? ORDER BY position LIMIT ? OFFSET ?",
                arguments: [key, limit, offset])
            return QueuePage(entries: try rows.map { try StateCoding.decode(QueueEntry.self, $0) }, offset: offset,
                             total: try Self.queueCount(db, key))
        }
    }

    public func removeFromQueue(_ session: SessionKey, at index: Int) async throws -> QueueEntry? {
        let key = session.description
        return try await write("remove from \(session)") { db in
            var queue = try Self.loadList(db, "queue_entry", key)
            guard queue.indices.contains(index) else { return nil }
            let removed = queue.remove(at: index)
            try Self.storeList(db, "queue_entry", key, queue)
            return removed
        }
    }

    public func moveInQueue(_ session: SessionKey, from: Int, to: Int) async throws -> QueueEntry? {
        let key = session.description
        return try await write("move in \(session)") { db in
            var queue = try Self.loadList(db, "queue_entry", key)
            guard queue.indices.contains(from), queue.indices.contains(to) else { return nil }
            let moved = queue.remove(at: from)
            queue.insert(moved, at: to)
            try Self.storeList(db, "queue_entry", key, queue)
            return moved
        }
    }

    public func shuffleQueue(_ session: SessionKey, seed: UInt64) async throws {
        let key = session.description
        try await write("shuffle \(session)") { db in
            var queue = try Self.loadList(db, "queue_entry", key)
            QueueRules.shuffle(&queue, seed: seed)
            try Self.storeList(db, "queue_entry", key, queue)
        }
    }

    public func clearQueue(_ session: SessionKey) async throws -> Int {
        let key = session.description
        return try await write("clear \(session)") { db in
            try db.execute(sql: "DELETE FROM queue_entry WHERE session = ?", arguments: [key])
            return db.changesCount
        }
    }

    public func history(_ session: SessionKey, limit: Int) async throws -> [QueueEntry] {
        try requireNonNegative(limit, "limit")
        let key = session.description
        return try await read("read history") { db in
            try Data.fetchAll(db, sql: "SELECT entry FROM history_entry WHERE session = ? ORDER BY position DESC LIMIT ?",
                              arguments: [key, limit]).map { try StateCoding.decode(QueueEntry.self, $0) }
        }
    }

    public func setLoopMode(_ mode: LoopMode, for session: SessionKey) async throws {
        let key = session.description
        try await write("set loop mode") { db in
            try db.execute(sql: """
                INSERT INTO session_state (session, loop_mode) VALUES (?, ?)
                ON CONFLICT(session) DO UPDATE SET loop_mode = excluded.loop_mode
                """, arguments: [key, mode.rawValue])
        }
    }

    public func loopMode(_ session: SessionKey) async throws -> LoopMode {
        let key = session.description
        return try await read("read loop mode") { db in try Self.sessionState(db, key).mode }
    }

    public func nowPlaying(_ session: SessionKey) async throws -> NowPlaying? {
        let key = session.description
        return try await read("read now playing") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT now_playing, position_ms, paused, position_at FROM session_state WHERE session = ?",
                arguments: [key]), let data: Data = row["now_playing"]
            else { return nil }
            return NowPlaying(entry: try StateCoding.decode(QueueEntry.self, data), positionMs: row["position_ms"],
                              paused: row["paused"], updatedAt: Date(epochMilliseconds: row["position_at"]))
        }
    }

    public func updatePosition(_ session: SessionKey, entry: QueueEntryID, positionMs: Int64, paused: Bool?, at: Date)
        async throws -> Bool
    {
        let key = session.description
        return try await write("update position") { db in
            guard let data = try Self.sessionState(db, key).nowPlaying,
                try StateCoding.decode(QueueEntry.self, data).id == entry
            else { return false }
            try db.execute(sql: """
                UPDATE session_state SET position_ms = ?, paused = COALESCE(?, paused), position_at = ? WHERE session = ?
                """,
                           arguments: [positionMs, paused, at.epochMilliseconds, key])
            return true
        }
    }

    public func endSession(_ session: SessionKey) async throws {
        let key = session.description
        try await write("end \(session)") { db in
            for table in ["queue_entry", "history_entry", "session_state", "session_activity", "session_details"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE session = ?", arguments: [key])
            }
        }
    }

    // MARK: - Session details

    public func sessionDetails(_ session: SessionKey) async throws -> SessionDetails? {
        let key = session.description
        let data = try await read("read details of \(session)") { db in
            try Data.fetchOne(db, sql: "SELECT details FROM session_details WHERE session = ?", arguments: [key])
        }
        return try data.map { try StateCoding.decode(SessionDetails.self, $0) }
    }

    public func saveSessionDetails(_ details: SessionDetails) async throws -> SessionDetails? {
        let key = details.session.description
        var saved = details
        saved.version = details.version + 1
        let data = try StateCoding.encode(saved)
        let expected = details.version
        let stored = try await write("save details of \(details.session)") { db -> Bool in
            let current = try Int.fetchOne(db, sql: "SELECT version FROM session_details WHERE session = ?",
                                           arguments: [key]) ?? 0
            guard current == expected else { return false }
            try db.execute(sql: """
                INSERT INTO session_details (session, version, details) VALUES (?, ?, ?)
                ON CONFLICT(session) DO UPDATE SET version = excluded.version, details = excluded.details
                """, arguments: [key, expected + 1, data])
            return true
        }
        return stored ? saved : nil
    }

    // MARK: - Helpers inside a transaction

    struct SessionStateRow {
        var mode: LoopMode
        var nowPlaying: Data?
    }

    static func sessionState(_ db: Database, _ key: String) throws -> SessionStateRow {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT loop_mode, now_playing FROM session_state WHERE session = ?"), arguments: [key])
        else { return SessionStateRow(mode: .off, nowPlaying: nil) }
        return SessionStateRow(mode: LoopMode(rawValue: row["loop_mode"]) ?? .off, nowPlaying: row["now_playing"])
    }

    static func setNowPlaying(_ db: Database, _ key: String, _ entry: QueueEntry?, now: Date) throws {
        try setNowPlaying(db, key, encoded: try entry.map(StateCoding.encode), now: now)
    }

    static func setNowPlaying(_ db: Database, _ key: String, encoded data: Data?, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO session_state (session, now_playing, position_ms, paused, position_at) VALUES (?, ?, 0, 0, ?)
            ON CONFLICT(session) DO UPDATE SET now_playing = excluded.now_playing, position_ms = 0, paused = 0,
                position_at = excluded.position_at
            """).execute(arguments: [key, data, now.epochMilliseconds])
    }

    /// Appends one encoded entry after the last position of a list; returns its position.
    static func appendRow(_ db: Database, _ table: String, _ key: String, _ data: Data) throws -> Int64 {
        let high = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(position) FROM \(table) WHERE session = ?"),
                                      arguments: [key]) ?? -1
        try db.cachedStatement(sql: "INSERT INTO \(table) (session, position, entry) VALUES (?, ?, ?)")
            .execute(arguments: [key, high + 1, data])
        return high + 1
    }

    static func queueCount(_ db: Database, _ key: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue_entry WHERE session = ?", arguments: [key]) ?? 0
    }

    static func loadList(_ db: Database, _ table: String, _ key: String) throws -> [QueueEntry] {
        try Data.fetchAll(db, sql: "SELECT entry FROM \(table) WHERE session = ? ORDER BY position", arguments: [key])
            .map { try StateCoding.decode(QueueEntry.self, $0) }
    }

    /// Rewrites a list with positions 0…n-1 (queues are short: a rewrite is cheaper than gaps).
    static func storeList(_ db: Database, _ table: String, _ key: String, _ entries: [QueueEntry]) throws {
        try db.execute(sql: "DELETE FROM \(table) WHERE session = ?", arguments: [key])
        for (position, entry) in entries.enumerated() {
            try db.execute(sql: "INSERT INTO \(table) (session, position, entry) VALUES (?, ?, ?)",
                           arguments: [key, position, try StateCoding.encode(entry)])
        }
    }
}
