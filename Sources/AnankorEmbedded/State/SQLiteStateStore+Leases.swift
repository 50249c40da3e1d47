import AnankorCore
import Foundation
import GRDB

extension SQLiteStateStore {
    public func acquireLease(_ name: LeaseName, holder: LeaseHolder, ttl: Duration, now: Date) async throws -> LeaseOutcome {
        let nowMs = now.epochMilliseconds
        let expires = nowMs + ttl.wholeMilliseconds
        return try await write("acquire lease \(name)") { db in
            let row = try Row.fetchOne(db, sql: "SELECT holder, fence, expires_at FROM lease WHERE name = ?",
                                       arguments: [name.rawValue])
            let fence: Int64 = row?["fence"] ?? 0
            if let row, let current: String = row["holder"], (row["expires_at"] as Int64) > nowMs {
                guard current == holder.rawValue else {
                    return .held(Lease(name: name, holder: LeaseHolder(current), fencingToken: FencingToken(UInt64(fence)),
                                       expiresAt: Date(epochMilliseconds: row["expires_at"])))
                }
                try db.execute(sql: "UPDATE lease SET expires_at = ? WHERE name = ?", arguments: [expires, name.rawValue])
                return .acquired(Lease(name: name, holder: holder, fencingToken: FencingToken(UInt64(fence)),
                                       expiresAt: Date(epochMilliseconds: expires)))
            }
            try db.execute(sql: """
                INSERT INTO lease (name, holder, fence, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, fence = excluded.fence,
                    expires_at = excluded.expires_at
                """, arguments: [name.rawValue, holder.rawValue, fence + 1, expires])
            return .acquired(Lease(name: name, holder: holder, fencingToken: FencingToken(UInt64(fence + 1)),
                                   expiresAt: Date(epochMilliseconds: expires)))
        }
    }

    public func renewLease(_ lease: Lease, ttl: Duration, now: Date) async throws -> Lease? {
        let nowMs = now.epochMilliseconds
        let expires = nowMs + ttl.wholeMilliseconds
        return try await write("renew lease \(lease.name)") { db in
            try db.execute(sql: "UPDATE lease SET expires_at = ? WHERE name = ? AND holder = ? AND fence = ? AND expires_at > ?",
                           arguments: [expires, lease.name.rawValue, lease.holder.rawValue,
                                       Int64(lease.fencingToken.rawValue), nowMs])
            guard db.changesCount == 1 else { return nil }
            var renewed = lease
            renewed.expiresAt = Date(epochMilliseconds: expires)
            return renewed
        }
    }

    public func releaseLease(_ lease: Lease) async throws -> Bool {
        try await write("release lease \(lease.name)") { db in
            try db.execute(sql: "UPDATE lease SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ? AND fence = ?",
                           arguments: [lease.name.rawValue, lease.holder.rawValue, Int64(lease.fencingToken.rawValue)])
            return db.changesCount == 1
        }
    }

    public func currentLease(_ name: LeaseName, now: Date) async throws -> Lease? {
        let nowMs = now.epochMilliseconds
        return try await read("read lease \(name)") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT holder, fence, expires_at FROM lease WHERE name = ? AND holder IS NOT NULL AND expires_at > ?",
                arguments: [name.rawValue, nowMs])
            else { return nil }
            return Lease(name: name, holder: LeaseHolder(row["holder"]),
                         fencingToken: FencingToken(UInt64(row["fence"] as Int64)),
                         expiresAt: Date(epochMilliseconds: row["expires_at"]))
        }
    }

    // MARK: - Worker registry

    public func heartbeat(_ worker: WorkerID, fencingToken: FencingToken, load: Int, ttl: Duration, now: Date) async throws {
        let nowMs = now.epochMilliseconds
        let name = LeaseName.workerToken(worker).rawValue
        try await write("heartbeat of worker \(worker)") { db in
            let current = try Row.fetchOne(db, sql: "SELECT fence FROM lease WHERE name = ? AND holder IS NOT NULL AND expires_at > ?",
                                           arguments: [name, nowMs])
            guard let current, (current["fence"] as Int64) == Int64(fencingToken.rawValue) else {
                throw StateStoreError(code: .staleFence,
                                      message: "worker \(worker) heartbeat with fencing token \(fencingToken), which is not the current token lease")
            }
            try db.execute(sql: """
                INSERT INTO worker (worker, fence, load, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(worker) DO UPDATE SET fence = excluded.fence, load = excluded.load,
                    last_seen = excluded.last_seen, expires_at = excluded.expires_at
                """, arguments: [worker.column, Int64(fencingToken.rawValue), load, nowMs, nowMs + ttl.wholeMilliseconds])
        }
    }

    public func liveWorkers(now: Date) async throws -> [WorkerStatus] {
        try await fetchWorkers(where: "expires_at > ?", now, function: #function)
    }

    public func expiredWorkers(now: Date) async throws -> [WorkerStatus] {
        try await fetchWorkers(where: "expires_at <= ?", now, function: #function)
    }

    private func fetchWorkers(where condition: String, _ now: Date, function: String) async throws -> [WorkerStatus] {
        let nowMs = now.epochMilliseconds
        return try await read("read workers", function: function) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM worker WHERE \(condition) ORDER BY worker", arguments: [nowMs]).map { row in
                WorkerStatus(worker: WorkerID(column: row["worker"]), fencingToken: FencingToken(UInt64(row["fence"] as Int64)),
                             load: row["load"], lastSeen: Date(epochMilliseconds: row["last_seen"]),
                             expiresAt: Date(epochMilliseconds: row["expires_at"]))
            }
        }
    }

    public func removeWorker(_ worker: WorkerID) async throws {
        try await write("remove worker \(worker)") { db in
            try db.execute(sql: "DELETE FROM worker WHERE worker = ?", arguments: [worker.column])
        }
    }

    public func setGuilds(_ guilds: Set<GuildID>, of worker: WorkerID) async throws {
        try await write("set guilds of worker \(worker)") { db in
            let before = Set(try Int64.fetchAll(db, sql: "SELECT guild FROM worker_guild WHERE worker = ?",
                                                arguments: [worker.column]).map(GuildID.init(column:)))
            for left in before.subtracting(guilds) {
                try db.execute(sql: "DELETE FROM worker_role WHERE worker = ? AND guild = ?",
                               arguments: [worker.column, left.column])
            }
            try db.execute(sql: "DELETE FROM worker_guild WHERE worker = ?", arguments: [worker.column])
            for guild in guilds {
                try db.execute(sql: "INSERT INTO worker_guild (worker, guild) VALUES (?, ?)",
                               arguments: [worker.column, guild.column])
            }
        }
    }

    public func setMembership(_ isMember: Bool, of worker: WorkerID, in guild: GuildID) async throws {
        try await write("set membership of worker \(worker)") { db in
            try db.execute(sql: isMember ? "INSERT OR IGNORE INTO worker_guild (worker, guild) VALUES (?, ?)"
                                         : "DELETE FROM worker_guild WHERE worker = ? AND guild = ?",
                           arguments: [worker.column, guild.column])
            if !isMember {
                try db.execute(sql: "DELETE FROM worker_role WHERE worker = ? AND guild = ?",
                               arguments: [worker.column, guild.column])
            }
        }
    }

    public func guilds(of worker: WorkerID) async throws -> Set<GuildID> {
        try await read("read guilds of worker") { db in
            Set(try Int64.fetchAll(db, sql: "SELECT guild FROM worker_guild WHERE worker = ?", arguments: [worker.column])
                .map(GuildID.init(column:)))
        }
    }

    public func workers(in guild: GuildID) async throws -> Set<WorkerID> {
        try await read("read workers of guild") { db in
            Set(try Int64.fetchAll(db, sql: "SELECT worker FROM worker_guild WHERE guild = ?", arguments: [guild.column])
                .map(WorkerID.init(column:)))
        }
    }

    public func setRoles(_ roles: [RoleID], of worker: WorkerID, in guild: GuildID) async throws {
        try await write("set roles of worker \(worker)") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO worker_role (worker, guild, roles) VALUES (?, ?, ?)",
                           arguments: [worker.column, guild.column, WorkerRoleList.encode(roles)])
        }
    }

    public func workerRoles(in guild: GuildID) async throws -> [WorkerID: [RoleID]] {
        try await read("read worker roles of guild") { db in
            var roles: [WorkerID: [RoleID]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT worker, roles FROM worker_role WHERE guild = ?",
                                        arguments: [guild.column]) {
                roles[WorkerID(column: row["worker"])] = WorkerRoleList.decode(row["roles"])
            }
            return roles
        }
    }
}
