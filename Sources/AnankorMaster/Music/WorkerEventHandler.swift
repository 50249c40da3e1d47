import AnankorCore
import Foundation

/// Turns what workers report (DESIGN §4) into session inputs: acknowledgements and failures of
/// the jobs sessions sent, track and position events, bots that were kicked or moved, workers
/// going offline and coming back. Game events go to the lobbies.
struct WorkerEventHandler: Sendable {
    let context: MasterContext
    let driver: SessionDriver
    let games: GameCommands

    func handle(_ event: WorkerEvent) async throws {
        switch event {
        case .trackStart(let started):
            try await report(.trackStarted(started.entry), in: started.session)
        case .trackEnd(let ended):
            try await report(.trackEnded(ended.entry, reason: ended.reason), in: ended.session)
        case .trackException(let failed):
            try await report(.trackException(failed.entry, message: failed.message ?? failed.severity), in: failed.session)
        case .trackStuck(let stuck):
            try await report(.trackStuck(stuck.entry), in: stuck.session)
        case .playerUpdate(let update):
            guard let record = try await driver.record(update.session, cached: true), let current = record.nowPlaying
            else { return }
            try await report(.position(current.entry.id, positionMs: update.positionMs, paused: nil,
                                       at: Date(epochMilliseconds: update.timeMs)), in: update.session)
        case .voiceDisconnected(let disconnected):
            // Only a moderator's disconnect or move ends the session; the worker's own leave does not.
            guard disconnected.byRemote else { return }
            try await report(.removed(movedTo: disconnected.movedTo), in: disconnected.session)
        case .workerOffline(let offline):
            // Its sessions hold their jobs for the grace period (a spare may take the token over),
            // then move to another bot or end with a notice. New sessions are not routed to it.
            // A worker that handed its token over left its players playing: the spare plays on.
            driver.liveWorkers.forget(offline.worker)
            let report: WorkerReport = offline.playersKept == true ? .handingOver : .offline
            try await everySession(of: offline.worker) { .worker(offline.worker, report) }
        case .workerOnline(let online):
            try await everySession(of: online.worker) { .worker(online.worker, .online) }
        case .queueEmpty:
            break  // the session decides what comes next itself
        case .jobAcked(let acked):
            // A voice status is no session job: nothing waits for it (and it is not worth a read).
            guard acked.jobKind != VoiceStatusJob.kind else { return }
            try await job(acked.job, in: acked.session) { .jobAcked($0) }
        case .tempChannelCreated(let created):
            try await games.channelCreated(created)
        case .segmentSkipped(let skipped):
            try await SegmentNotices(context: context).announce(skipped)
            // The now-playing message says so too, until the next track.
            try await report(.segmentSkipped(skipped.entry, SkippedSegment.Part(
                category: skipped.category, startMs: skipped.startMs, endMs: skipped.endMs)), in: skipped.session)
        case .jobFailed(let failed):
            if failed.missingPermission, failed.jobKind == VoiceMoveJob.kind, let lobby = failed.lobby,
                let guild = failed.guild
            {
                try await games.moveRefused(lobby, in: guild)
            }
            if failed.missingPermission, failed.jobKind == RoleAddJob.kind, let lobby = failed.lobby, let guild = failed.guild {
                try await games.roleRefused(lobby, in: guild)
            }
            if let session = failed.session {
                if failed.jobKind == VoiceConnectJob.kind,
                    let worker = try await driver.record(session, cached: true)?.pending
                        .first(where: { EnvelopeID(sessionJob: $0.id) == failed.job })?.worker
                {
                    // Discord refused or never confirmed the join: the roles the bot reported may be
                    // stale, so the next route asks Discord.
                    context.workerRoles.forget(worker, in: session.guild)
                }
                try await job(failed.job, in: session) { .jobFailed($0, reason: failed.reason) }
            }
            context.logger.warning("a worker could not carry out a job",
                                   metadata: ["job.id": "\(failed.job)", "job.kind": "\(failed.jobKind)",
                                              "reason": "\(failed.reason)"])
        }
    }

    /// A playback report from the worker the session is bound to (events name the session, and
    /// the session ignores reports for an entry it is not playing).
    private func report(_ report: WorkerReport, in session: SessionKey) async throws {
        guard let worker = try await driver.record(session, cached: true)?.binding?.worker else { return }
        try await driver.handle(.worker(worker, report), in: session)
    }

    /// An acknowledgement or failure, matched to the pending job whose envelope id it names.
    private func job(_ envelope: EnvelopeID, in session: SessionKey, _ report: (SessionJobID) -> WorkerReport)
        async throws
    {
        var record = try await driver.record(session, cached: true)
        var pending = record?.pending.first { EnvelopeID(sessionJob: $0.id) == envelope }
        if pending == nil, !(record.map { Self.issued(envelope, by: $0) } ?? false) {
            // This master's copy may be behind (another master sent the job): read it again.
            record = try await driver.record(session)
            pending = record?.pending.first { EnvelopeID(sessionJob: $0.id) == envelope }
        }
        guard let pending else { return }  // answered already (a redelivery, or its deadline passed)
        try await driver.handle(.worker(pending.worker, report(pending.id)), in: session)
    }

    /// How far back `issued` looks: job and queue entry numbers share the record's counter.
    static let issuedWindow: UInt64 = 256

    /// Whether `record` had already issued the job `envelope` names (one of its latest numbers in
    /// its incarnation). A job leaves `pending` for good once answered, so when such a copy no
    /// longer lists it, no later version does either, and reading the store again (as for a job
    /// this copy never saw: another master sent it) would find nothing new — the second answer
    /// of a join (`voiceConnected` and the join's acknowledgement) costs no read.
    static func issued(_ envelope: EnvelopeID, by record: SessionRecord) -> Bool {
        let last = record.counter
        guard last > 0 else { return false }
        for number in stride(from: last, to: last - min(last, issuedWindow), by: -1) {
            let id = SessionJobID(session: record.session, incarnation: record.incarnation, number: number)
            if EnvelopeID(sessionJob: id) == envelope { return true }
        }
        return false
    }

    private func everySession(of worker: WorkerID, _ input: () -> SessionInput) async throws {
        for binding in try await context.state.boundSessions(of: worker) {
            try await driver.handle(input(), in: binding.session)
        }
    }
}
