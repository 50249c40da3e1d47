import AnankorCore
import Foundation
import RedisKit

extension RedisStateStore {
    public func acquireLease(_ name: LeaseName, holder: LeaseHolder, ttl: Duration, now: Date) async throws -> LeaseOutcome {
        let reply = try await script(RedisCoordinationScripts.acquireLease, "acquire lease \(name)", keys: [keys.lease(name)],
                                     [holder.rawValue, now.epochMilliseconds, ttl.wholeMilliseconds]).elements
        switch reply.first?.string {
        case "acquired" where reply.count == 3:
            return .acquired(try Self.lease(name, holder: holder.rawValue, fence: reply[1].int, expires: reply[2].int))
        case "held" where reply.count == 4:
            return .held(try Self.lease(name, holder: reply[1].string, fence: reply[2].int, expires: reply[3].int))
        default:
            throw Self.corrupt("lease reply")
        }
    }

    public func renewLease(_ lease: Lease, ttl: Duration, now: Date) async throws -> Lease? {
        let reply = try await script(
            RedisCoordinationScripts.renewLease, "renew lease \(lease.name)", keys: [keys.lease(lease.name)],
            [lease.holder.rawValue, lease.fencingToken.description, now.epochMilliseconds, ttl.wholeMilliseconds])
        guard let expires = reply.int, reply.string != nil else { return nil }
        var renewed = lease
        renewed.expiresAt = Date(epochMilliseconds: expires)
        return renewed
    }

    public func releaseLease(_ lease: Lease) async throws -> Bool {
        try await script(RedisCoordinationScripts.releaseLease, "release lease \(lease.name)", keys: [keys.lease(lease.name)],
                         [lease.holder.rawValue, lease.fencingToken.description]).int == 1
    }

    public func currentLease(_ name: LeaseName, now: Date) async throws -> Lease? {
        let fields = try await command("read lease \(name)", "HMGET", keys.lease(name), "holder", "fence", "exp").elements
        guard fields.count == 3, let holder = fields[0].string, let expires = fields[2].int,
            expires > now.epochMilliseconds
        else { return nil }
        return try Self.lease(name, holder: holder, fence: fields[1].int, expires: expires)
    }

    static func lease(_ name: LeaseName, holder: String?, fence: Int64?, expires: Int64?) throws -> Lease {
        guard let holder, let fence, fence >= 0, let expires else { throw corrupt("lease \(name)") }
        return Lease(name: name, holder: LeaseHolder(holder), fencingToken: FencingToken(UInt64(fence)),
                     expiresAt: Date(epochMilliseconds: expires))
    }

    // MARK: - Worker registry

    public func heartbeat(_ worker: WorkerID, fencingToken: FencingToken, load: Int, ttl: Duration, now: Date) async throws {
        let accepted = try await script(
            RedisCoordinationScripts.heartbeat, "heartbeat of worker \(worker)",
            keys: [keys.lease(.workerToken(worker)), keys.workerExpiry, keys.workerInfo],
            [worker.description, fencingToken.description, load, now.epochMilliseconds, ttl.wholeMilliseconds])
        guard accepted.int == 1 else {
            throw StateStoreError(code: .staleFence,
                                  message: "worker \(worker) heartbeat with fencing token \(fencingToken), which is not the current token lease")
        }
    }

    public func liveWorkers(now: Date) async throws -> [WorkerStatus] {
        try await workers(now: now, "live", function: #function)
    }

    public func expiredWorkers(now: Date) async throws -> [WorkerStatus] {
        try await workers(now: now, "expired", function: #function)
    }

    private func workers(now: Date, _ which: String, function: String) async throws -> [WorkerStatus] {
        let reply = try await script(RedisCoordinationScripts.workers, "read workers", function: function,
                                     keys: [keys.workerExpiry, keys.workerInfo], [now.epochMilliseconds, which]).elements
        var result: [WorkerStatus] = []
        for index in stride(from: 0, to: reply.count - 2, by: 3) {
            let info = (reply[index + 2].string ?? "").split(separator: ":").compactMap { Int64($0) }
            guard let worker = reply[index].string.flatMap(WorkerID.init), let expires = reply[index + 1].int,
                info.count == 3, info[0] >= 0
            else { throw Self.corrupt("worker registry") }
            result.append(WorkerStatus(worker: worker, fencingToken: FencingToken(UInt64(info[0])), load: Int(info[1]),
                                       lastSeen: Date(epochMilliseconds: info[2]), expiresAt: Date(epochMilliseconds: expires)))
        }
        return result.sorted { $0.worker < $1.worker }
    }

    public func removeWorker(_ worker: WorkerID) async throws {
        try await script(RedisCoordinationScripts.removeWorker, "remove worker \(worker)",
                         keys: [keys.workerExpiry, keys.workerInfo], [worker.description])
    }

    public func setGuilds(_ guilds: Set<GuildID>, of worker: WorkerID) async throws {
        let ordered = guilds.sorted()
        try await script(RedisCoordinationScripts.setGuilds, "set guilds of worker \(worker)",
                         keys: [keys.guildsOfWorker(worker)] + ordered.map(keys.workersOfGuild),
                         [worker.description, keys.workersOfGuildPrefix, keys.workerRolesPrefix] + ordered.map(\.description))
    }

    public func setMembership(_ isMember: Bool, of worker: WorkerID, in guild: GuildID) async throws {
        try await script(RedisCoordinationScripts.setMembership, "set membership of worker \(worker)",
                         keys: [keys.guildsOfWorker(worker), keys.workersOfGuild(guild), keys.workerRoles(in: guild)],
                         [worker.description, guild.description, isMember ? "1" : "0"])
    }

    public func guilds(of worker: WorkerID) async throws -> Set<GuildID> {
        Set(try await command("read guilds of worker", "SMEMBERS", keys.guildsOfWorker(worker)).elements
            .compactMap { $0.string.flatMap(GuildID.init) })
    }

    public func workers(in guild: GuildID) async throws -> Set<WorkerID> {
        Set(try await command("read workers of guild", "SMEMBERS", keys.workersOfGuild(guild)).elements
            .compactMap { $0.string.flatMap(WorkerID.init) })
    }

    public func setRoles(_ roles: [RoleID], of worker: WorkerID, in guild: GuildID) async throws {
        _ = try await command("set roles of worker \(worker)", "HSET", keys.workerRoles(in: guild), worker.description,
                             WorkerRoleList.encode(roles))
    }

    public func workerRoles(in guild: GuildID) async throws -> [WorkerID: [RoleID]] {
        let pairs = try await command("read worker roles of guild", "HGETALL", keys.workerRoles(in: guild)).pairs ?? []
        var roles: [WorkerID: [RoleID]] = [:]
        for pair in pairs {
            guard let worker = pair.key.string.flatMap(WorkerID.init), let list = pair.value.string else { continue }
            roles[worker] = WorkerRoleList.decode(list)
        }
        return roles
    }
}
