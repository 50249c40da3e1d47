import AnankorCore
import Foundation
import GRDB

extension SQLiteStateStore {
    public func bind(_ session: SessionKey, to worker: WorkerID, cap: Int, now: Date) async throws -> BindOutcome {
        guard cap >= 1 else { throw StateStoreError(code: .invalidArgument, message: "cap must be ≥ 1, got \(cap)") }
        return try await write("bind \(session)") { db in
            let guildBindings = try Self.fetchBindings(
                db, where: "guild = ?", [session.guild.column], order: "channel")
            if let existing = guildBindings.first(where: { $0.session == session }) {
                return .existing(existing)
            }
            if let busy = guildBindings.first(where: { $0.worker == worker }) {
                return .refused(.workerBusy(busy))
            }
            if guildBindings.count >= cap {
                return .refused(.guildFull(cap: cap, busy: guildBindings))
            }
            try db.execute(
                sql: "INSERT INTO binding (guild, channel, worker, bound_at) VALUES (?, ?, ?, ?)",
                arguments: [session.guild.column, session.channel.column, worker.column, now.epochMilliseconds])
            return .bound(Binding(session: session, worker: worker, boundAt: Date(epochMilliseconds: now.epochMilliseconds)))
        }
    }

    public func unbind(_ session: SessionKey, ifBoundTo worker: WorkerID?) async throws -> Binding? {
        try await write("unbind \(session)") { db in
            guard let current = try Self.fetchBindings(
                db, where: "guild = ? AND channel = ?", [session.guild.column, session.channel.column], order: "channel"
            ).first else { return nil }
            if let worker, current.worker != worker { return nil }
            try db.execute(sql: "DELETE FROM binding WHERE guild = ? AND channel = ?",
                           arguments: [session.guild.column, session.channel.column])
            return current
        }
    }

    public func binding(for session: SessionKey) async throws -> Binding? {
        try await read("read binding") { db in
            try Self.fetchBindings(db, where: "guild = ? AND channel = ?",
                                   [session.guild.column, session.channel.column], order: "channel").first
        }
    }

    public func bindings(in guild: GuildID) async throws -> [Binding] {
        try await read("read bindings") { db in
            try Self.fetchBindings(db, where: "guild = ?", [guild.column], order: "channel")
        }
    }

    public func bindings(of worker: WorkerID) async throws -> [Binding] {
        try await read("read bindings") { db in
            try Self.fetchBindings(db, where: "worker = ?", [worker.column], order: "guild, channel")
        }
    }

    static func fetchBindings(_ db: Database, where condition: String, _ arguments: StatementArguments,
                              order: String) throws -> [Binding] {
        try Row.fetchAll(db, sql: "SELECT guild, channel, worker, bound_at FROM binding WHERE \(condition) ORDER BY \(order)",
                         arguments: arguments).map { row in
            Binding(session: SessionKey(guild: GuildID(column: row["guild"]), channel: ChannelID(column: row["channel"])),
                    worker: WorkerID(column: row["worker"]), boundAt: Date(epochMilliseconds: row["bound_at"]))
        }
    }
}
