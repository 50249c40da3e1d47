import AnankorCore
import DiscordKit
import Foundation
import Synchronization

/// Periodic checks (DESIGN §4 failure handling): workers that stopped heartbeating, idle sessions,
/// and sessions whose channel has had nobody listening. Several masters may run it at once; every
/// action is guarded in the `StateStore` (unbind only if still bound to that worker), so each
/// notice is posted once.
final class SessionWatchdog: Sendable {
    let context: MasterContext
    let conductor: PlaybackConductor
    let reconciler: PlaybackReconciler
    let loss: WorkerLoss
    /// When this master first saw each worker down; it acts after `workerGrace`, which leaves a
    /// standby process time to take the token over.
    private let downSince = Mutex<[WorkerID: Date]>([:])
    /// Whether the last pass failed (the store unreachable), and until when, after it answers
    /// again, nobody is declared dead: every worker's heartbeat lapsed during the outage too, and
    /// they need a moment to renew before their players would be stopped for nothing.
    private let recovery = Mutex<(failed: Bool, holdOffUntil: Date?)>((false, nil))
    static let recoveryGrace: TimeInterval = 5

    init(context: MasterContext, conductor: PlaybackConductor) {
        self.context = context
        self.conductor = conductor
        self.reconciler = PlaybackReconciler(context: context, conductor: conductor)
        self.loss = WorkerLoss(context: context, conductor: conductor)
    }

    func run() async throws {
        var tick = 0
        while !Task.isCancelled {
            try await Task.sleep(for: context.configuration.watchdogInterval)
            tick += 1
            await check(everything: tick % 5 == 0)
        }
    }

    func check(everything: Bool) async {
        do {
            try await reclaimDeadWorkers()
            try await reconciler.passIfDue()
            try await reclaimIdleSessions()
            if everything { try await reclaimLonelySessions() }
        } catch where !Task.isCancelled {
            recovery.withLock { $0.failed = true }
            if InteractionDispatcher.isUnavailable(error) {
                context.outage.began("watchdog", error: "\(error)", logger: context.logger)
            } else {
                context.logger.warning("watchdog pass failed", metadata: ["error": "\(error)"])
            }
        } catch {
            return  // shutting down
        }
    }

    /// Every worker the master knows of (configured or registered) that is not alive.
    private func reclaimDeadWorkers() async throws {
        let now = context.now()
        let live = try await context.state.liveWorkers(now: now)
        MasterMetrics.workersAlive(live.count)
        let liveIDs = Set(live.map(\.worker))
        let expired = try await context.state.expiredWorkers(now: now)
        let known = Set(context.configuration.workerBots).union(expired.map(\.worker))
        let grace = context.configuration.workerGrace
        let holdingOff = recovery.withLock { recovery -> Bool in
            if recovery.failed {
                recovery = (false, now.addingTimeInterval(Self.recoveryGrace))
            }
            guard let until = recovery.holdOffUntil, now < until else { return false }
            return true
        }
        if holdingOff { downSince.withLock { $0 = [:] } }
        let due: [WorkerID] = holdingOff ? [] : downSince.withLock { down in
            for worker in liveIDs { down[worker] = nil }
            var due: [WorkerID] = []
            for worker in known where !liveIDs.contains(worker) {
                let since = down[worker] ?? now
                down[worker] = since
                if now.timeIntervalSince(since) >= grace.timeInterval {
                    due.append(worker)
                }
            }
            return due
        }
        for worker in due {
            try await loss.died(worker)
            if expired.contains(where: { $0.worker == worker }) { try await context.state.removeWorker(worker) }
        }
    }

    /// Sessions with nothing playing for `idleTimeout` (and not `/stay`) are left.
    private func reclaimIdleSessions() async throws {
        let now = context.now()
        let cutoff = now.addingTimeInterval(-context.configuration.idleTimeout.timeInterval)
        for session in try await context.state.idleSessions(since: cutoff, limit: 50) {
            let bound = try await context.state.binding(for: session) != nil
            // A track whose time is up counts as playing no longer (its trackEnd may be lost;
            // reconciliation moves the queue on).
            if bound, let playing = try await context.state.nowPlaying(session), !playing.paused,
                !playing.isOverdue(at: now)
            {
                try await context.state.touchSession(session, at: now)  // still playing: not idle
                continue
            }
            let locale = try await context.state.sessionDetails(session)?.locale ?? .englishUS
            let minutes = max(1, Int(context.configuration.idleTimeout.timeInterval / 60))
            let note = context.text(.musicIdleLeft, locale, ["channel": context.mention(channel: session.channel),
                                                             "minutes": "\(minutes)"])
            try await conductor.finish(session, reason: .idle, note: bound ? note : nil)
        }
    }

    /// Sessions paused because nobody listened, for longer than `aloneTimeout`, are left.
    private func reclaimLonelySessions() async throws {
        let now = context.now()
        let limit = context.configuration.aloneTimeout.timeInterval
        let workers = Set(context.configuration.workerBots)
            .union(try await context.state.liveWorkers(now: now).map(\.worker))
        for worker in workers {
            for binding in try await context.state.bindings(of: worker) {
                guard let details = try await context.state.sessionDetails(binding.session),
                    let since = details.aloneSince, now.timeIntervalSince(since) >= limit
                else { continue }
                let note = context.text(.musicLeft, details.locale ?? .englishUS,
                                        ["channel": context.mention(channel: binding.session.channel)])
                try await conductor.finish(binding.session, reason: .alone, note: note)
            }
        }
    }

    /// After a voice change in a guild: pause sessions whose channel has no humans left, resume
    /// those paused that way when someone is back.
    func voiceChanged(in guild: GuildID) async {
        do {
            let bots = Set(context.configuration.workerBots.map(\.rawValue))
                .union(try await context.state.workers(in: guild).map(\.rawValue))
                .union(context.cache.botUserID.map { [$0.rawValue] } ?? [])
            for binding in try await context.state.bindings(in: guild) {
                let members = context.cache.voiceMembers(of: Snowflake(binding.session.channel.rawValue),
                                                         in: Snowflake(guild.rawValue))
                let humans = members.filter { !bots.contains($0.rawValue) }
                context.logger.debug("listeners counted", metadata: ["session.key": "\(binding.session)",
                                                                      "listeners": "\(humans.count)"])
                try await listeners(changed: humans.count, binding: binding)
            }
        } catch where !Task.isCancelled {
            context.logger.warning("voice change check failed", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        } catch {
            return  // shutting down
        }
    }

    private func listeners(changed humans: Int, binding: Binding) async throws {
        let session = binding.session
        guard let details = try await context.state.sessionDetails(session) else { return }
        let playing = try await context.state.nowPlaying(session)
        if humans == 0, details.aloneSince == nil {
            let now = context.now()
            try await context.state.updateExistingSessionDetails(session) { $0.aloneSince = $0.aloneSince ?? now }
            if let playing, !playing.paused {
                try await context.send(.playerUpdate(PlayerUpdateJob(session: session, paused: true)), to: binding.worker)
                try await context.state.updatePosition(session, entry: playing.entry.id,
                                                       positionMs: playing.position(at: context.now()), paused: true,
                                                       at: context.now())
                conductor.refresh(session)
            }
            if let channel = details.textChannel {
                await context.post(context.text(.musicPausedEmptyChannel, details.locale ?? .englishUS,
                                                ["channel": context.mention(channel: session.channel)]), in: channel)
            }
        } else if humans > 0, details.aloneSince != nil {
            try await context.state.updateExistingSessionDetails(session) { $0.aloneSince = nil }
            if let playing, playing.paused {
                try await context.send(.playerUpdate(PlayerUpdateJob(session: session, paused: false)), to: binding.worker)
                try await context.state.updatePosition(session, entry: playing.entry.id, positionMs: playing.positionMs,
                                                       paused: false, at: context.now())
                conductor.refresh(session)
            }
        }
    }
}
