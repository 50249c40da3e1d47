import AnankorCore
import Foundation
import RedisKit

/// A schedule item as stored in `{sched}:items`; `group` is read by the Lua scripts.
private struct StoredScheduleItem: Codable {
    var id: String
    var dueAtMs: Int64
    var group: String?
    var payload: Data

    init(_ item: ScheduleItem) {
        id = item.id.rawValue
        dueAtMs = item.dueAt.epochMilliseconds
        group = item.group
        payload = item.payload
    }

    var item: ScheduleItem {
        ScheduleItem(id: ScheduleItemID(id), dueAt: Date(epochMilliseconds: dueAtMs), group: group, payload: payload)
    }
}

extension RedisStateStore {
    public func schedule(_ item: ScheduleItem) async throws -> Bool {
        let stored = try Self.encode(StoredScheduleItem(item))
        let groupKey = item.group.map { keys.scheduleGroupPrefix + $0 } ?? keys.scheduleItems
        return try await script(
            RedisCoordinationScripts.schedule, "schedule \(item.id)",
            keys: [keys.scheduleReady, keys.scheduleItems, groupKey],
            [item.id.rawValue, item.dueAt.epochMilliseconds, stored, item.group == nil ? "0" : "1"]
        ).int == 1
    }

    public func claimDue(now: Date, limit: Int, claimant: LeaseHolder, lease: Duration) async throws -> [ScheduleClaim] {
        guard limit >= 0 else { throw StateStoreError(code: .invalidArgument, message: "limit must be ≥ 0") }
        guard limit > 0 else { return [] }
        let until = now.epochMilliseconds + max(1, lease.wholeMilliseconds)
        let reply = try await script(RedisCoordinationScripts.claimDue, "claim due items", keys: keys.scheduleKeys,
                                     [now.epochMilliseconds, limit, claimant.rawValue, until]).elements
        var claims: [ScheduleClaim] = []
        for index in stride(from: 0, to: reply.count - 3, by: 4) {
            guard let token = reply[index + 2].int, token > 0, let attempt = reply[index + 3].int else {
                throw Self.corrupt("schedule claim")
            }
            claims.append(ScheduleClaim(item: try Self.decode(StoredScheduleItem.self, reply[index + 1]).item,
                                        claimant: claimant, token: FencingToken(UInt64(token)), attempt: Int(attempt),
                                        leaseUntil: Date(epochMilliseconds: until)))
        }
        return claims
    }

    public func complete(_ claim: ScheduleClaim) async throws -> Bool {
        try await script(RedisCoordinationScripts.complete, "complete \(claim.item.id)", keys: keys.scheduleKeys,
                         [claim.item.id.rawValue, claim.token.description, claim.claimant.rawValue,
                          keys.scheduleGroupPrefix]).int == 1
    }

    public func cancelScheduled(_ id: ScheduleItemID) async throws -> Bool {
        try await script(RedisCoordinationScripts.cancel, "cancel \(id)", keys: keys.scheduleKeys,
                         [id.rawValue, keys.scheduleGroupPrefix]).int == 1
    }

    public func cancelScheduled(group: String) async throws -> Int {
        Int(try await script(RedisCoordinationScripts.cancelGroup, "cancel group", keys: keys.scheduleKeys + [keys.scheduleGroupPrefix + group],
                             [keys.scheduleGroupPrefix]).int ?? 0)
    }

    public func scheduledItem(_ id: ScheduleItemID) async throws -> ScheduleItem? {
        let value = try await command("read scheduled item", "HGET", keys.scheduleItems, id.rawValue)
        return value.string == nil ? nil : try Self.decode(StoredScheduleItem.self, value).item
    }

    // MARK: - Resume info

    public func saveResumeInfo(_ info: ResumeInfo, for key: ResumeKey) async throws {
        try await command("save resume info", "SET", keys.resume(key), try Self.encode(info))
    }

    public func resumeInfo(for key: ResumeKey) async throws -> ResumeInfo? {
        let value = try await command("read resume info", "GET", keys.resume(key))
        return value.string == nil ? nil : try Self.decode(ResumeInfo.self, value)
    }

    public func clearResumeInfo(for key: ResumeKey) async throws {
        try await command("clear resume info", "DEL", keys.resume(key))
    }
}
