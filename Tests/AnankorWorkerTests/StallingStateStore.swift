import AnankorCore
import Foundation
import Synchronization

/// A state store whose registry heartbeats and resume-record saves hang while `stall()` is on,
/// as a store does whose round trips take seconds; everything else goes straight through.
/// Stalled calls end when `release()` is called or their task is cancelled.
final class StallingStateStore: StateStore {
    private struct Gate {
        var stalled = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var next: UInt64 = 0
        var held = 0
    }

    let base: any StateStore
    private let gate = Mutex(Gate())

    init(_ base: any StateStore) { self.base = base }

    func stall() { gate.withLock { $0.stalled = true } }

    func release() {
        let waiters = gate.withLock { gate in
            gate.stalled = false
            defer { gate.waiters = [:] }
            return Array(gate.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// How many calls were held at the gate so far.
    var heldCalls: Int { gate.withLock { $0.held } }

    private func pass() async throws {
        let id = gate.withLock { gate -> UInt64? in
            guard gate.stalled else { return nil }
            gate.next += 1
            gate.held += 1
            return gate.next
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let go = gate.withLock { gate -> Bool in
                    guard gate.stalled, !Task.isCancelled else { return true }
                    gate.waiters[id] = continuation
                    return false
                }
                if go { continuation.resume() }
            }
        } onCancel: {
            gate.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        try Task.checkCancellation()
    }

    // MARK: Stalled

    func heartbeat(_ worker: WorkerID, fencingToken: FencingToken, load: Int, ttl: Duration, now: Date) async throws {
        try await pass()
        try await base.heartbeat(worker, fencingToken: fencingToken, load: load, ttl: ttl, now: now)
    }

    func saveResumeInfo(_ info: ResumeInfo, for key: ResumeKey) async throws {
        try await pass()
        try await base.saveResumeInfo(info, for: key)
    }

    // MARK: Straight through

    func guildSessions(in guild: GuildID, record session: SessionKey?) async throws -> GuildSessions {
        try await base.guildSessions(in: guild, record: session)
    }
    func sessionRecord(_ session: SessionKey) async throws -> SessionRecord? { try await base.sessionRecord(session) }
    func saveSessionRecord(_ record: SessionRecord, due: Date?) async throws -> Bool {
        try await base.saveSessionRecord(record, due: due)
    }
    func deleteSessionRecord(_ session: SessionKey, version: Int) async throws -> Bool {
        try await base.deleteSessionRecord(session, version: version)
    }
    func boundSessions(in guild: GuildID) async throws -> [Binding] { try await base.boundSessions(in: guild) }
    func boundSessions(of worker: WorkerID) async throws -> [Binding] { try await base.boundSessions(of: worker) }
    func dueSessions(at now: Date, limit: Int) async throws -> [SessionKey] { try await base.dueSessions(at: now, limit: limit) }
    func acquireLease(_ name: LeaseName, holder: LeaseHolder, ttl: Duration, now: Date) async throws -> LeaseOutcome {
        try await base.acquireLease(name, holder: holder, ttl: ttl, now: now)
    }
    func renewLease(_ lease: Lease, ttl: Duration, now: Date) async throws -> Lease? {
        try await base.renewLease(lease, ttl: ttl, now: now)
    }
    func releaseLease(_ lease: Lease) async throws -> Bool { try await base.releaseLease(lease) }
    func currentLease(_ name: LeaseName, now: Date) async throws -> Lease? { try await base.currentLease(name, now: now) }
    func liveWorkers(now: Date) async throws -> [WorkerStatus] { try await base.liveWorkers(now: now) }
    func expiredWorkers(now: Date) async throws -> [WorkerStatus] { try await base.expiredWorkers(now: now) }
    func removeWorker(_ worker: WorkerID) async throws { try await base.removeWorker(worker) }
    func setGuilds(_ guilds: Set<GuildID>, of worker: WorkerID) async throws { try await base.setGuilds(guilds, of: worker) }
    func setMembership(_ isMember: Bool, of worker: WorkerID, in guild: GuildID) async throws {
        try await base.setMembership(isMember, of: worker, in: guild)
    }
    func guilds(of worker: WorkerID) async throws -> Set<GuildID> { try await base.guilds(of: worker) }
    func workers(in guild: GuildID) async throws -> Set<WorkerID> { try await base.workers(in: guild) }
    func setRoles(_ roles: [RoleID], of worker: WorkerID, in guild: GuildID) async throws {
        try await base.setRoles(roles, of: worker, in: guild)
    }
    func workerRoles(in guild: GuildID) async throws -> [WorkerID: [RoleID]] { try await base.workerRoles(in: guild) }
    func schedule(_ item: ScheduleItem) async throws -> Bool { try await base.schedule(item) }
    func claimDue(now: Date, limit: Int, claimant: LeaseHolder, lease: Duration) async throws -> [ScheduleClaim] {
        try await base.claimDue(now: now, limit: limit, claimant: claimant, lease: lease)
    }
    func complete(_ claim: ScheduleClaim) async throws -> Bool { try await base.complete(claim) }
    func cancelScheduled(_ id: ScheduleItemID) async throws -> Bool { try await base.cancelScheduled(id) }
    func cancelScheduled(group: String) async throws -> Int { try await base.cancelScheduled(group: group) }
    func scheduledItem(_ id: ScheduleItemID) async throws -> ScheduleItem? { try await base.scheduledItem(id) }
    func resumeInfo(for key: ResumeKey) async throws -> ResumeInfo? { try await base.resumeInfo(for: key) }
    func clearResumeInfo(for key: ResumeKey) async throws { try await base.clearResumeInfo(for: key) }
    func lobby(_ id: LobbyID, in guild: GuildID) async throws -> Lobby? { try await base.lobby(id, in: guild) }
    func saveLobby(_ lobby: Lobby) async throws -> Lobby? { try await base.saveLobby(lobby) }
    func listedLobbies(in guild: GuildID) async throws -> [Lobby] { try await base.listedLobbies(in: guild) }
}
