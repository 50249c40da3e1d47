import AnankorCore
import Foundation

/// Consumes what workers report (DESIGN §4): advances queues when tracks end, keeps positions,
/// refreshes now-playing messages, and reacts to bots that were kicked or moved.
struct WorkerEventHandler: Sendable {
    let context: MasterContext
    let conductor: PlaybackConductor
    let games: GameCommands

    func handle(_ event: WorkerEvent) async throws {
        switch event {
        case .trackStart(let started):
            try await context.state.touchSession(started.session, at: context.now())
            conductor.refresh(started.session)
        case .trackEnd(let ended):
            guard ended.reason.mayStartNext else { return }  // replaced/stopped: whoever did it moves on
            try await conductor.advance(ended.session, expecting: ended.entry, reason: .finished, worker: nil)
        case .trackException(let failed):
            try await announceFailure(failed)
        case .trackStuck(let stuck):
            try await conductor.advance(stuck.session, expecting: stuck.entry, reason: .skipped, worker: nil)
        case .playerUpdate(let update):
            guard let playing = try await context.state.nowPlaying(update.session) else { return }
            try await context.state.updatePosition(update.session, entry: playing.entry.id, positionMs: update.positionMs,
                                                   paused: nil, at: Date(epochMilliseconds: update.timeMs))
        case .voiceDisconnected(let disconnected):
            try await voiceLost(disconnected)
        case .workerOffline(let offline):
            // Its players are gone: its sessions move to another bot or are released at once,
            // rather than staying bound to a bot nobody drives.
            try await WorkerLoss(context: context, conductor: conductor).stopped(offline.worker, reason: offline.reason)
        case .queueEmpty, .workerOnline, .jobAcked:
            // Liveness comes from the registry (the watchdog).
            break
        case .tempChannelCreated(let created):
            try await games.channelCreated(created)
        case .segmentSkipped(let skipped): try await SegmentNotices(context: context).announce(skipped)
        case .jobFailed(let failed):
            if failed.missingPermission, failed.jobKind == VoiceMoveJob.kind, let lobby = failed.lobby,
                let guild = failed.guild
            {
                try await games.moveRefused(lobby, in: guild)
            }
            if failed.missingPermission, failed.jobKind == RoleAddJob.kind, let lobby = failed.lobby, let guild = failed.guild {
                try await games.roleRefused(lobby, in: guild)
            }
            try await musicJobFailed(failed)
            context.logger.warning("a worker could not carry out a job",
                                   metadata: ["job.id": "\(failed.job)", "job.kind": "\(failed.jobKind)",
                                              "reason": "\(failed.reason)"])
        }
    }

    /// A music job the worker could not carry out: the member who asked read what was asked, so
    /// the channel is told it did not happen. A failed join releases the session (queue kept)
    /// instead of leaving it bound to a bot that is not there. Only for sessions still bound: a
    /// session released meanwhile (kick, crash) was announced already.
    private func musicJobFailed(_ failed: JobFailedEvent) async throws {
        guard let session = failed.session, let binding = try await context.state.binding(for: session) else { return }
        switch failed.jobKind {
        case VoiceConnectJob.kind:
            // The worker gave up the join itself (op 4 leave).
            try await conductor.detach(session, from: binding.worker, notice: .musicJoinFailed)
        case PlaybackPlayJob.kind, PlayerUpdateJob.kind:
            guard let details = try await context.state.sessionDetails(session), let channel = details.textChannel
            else { return }
            await context.post(context.text(.musicNotCarriedOut, details.locale ?? .englishUS,
                                            ["channel": context.mention(channel: session.channel)]), in: channel)
        default:
            return
        }
    }

    private func announceFailure(_ failed: TrackExceptionEvent) async throws {
        guard let details = try await context.state.sessionDetails(failed.session), let channel = details.textChannel,
            let playing = try await context.state.nowPlaying(failed.session), playing.entry.id == failed.entry
        else { return }
        let text = context.text(.musicTrackFailed, details.locale ?? .englishUS, [
            "title": playing.entry.track.title, "reason": failed.message ?? failed.severity,
        ])
        await context.post(text, in: channel)
    }

    /// A moderator disconnected or moved the bot: the session ends there (no stale player), the
    /// queue is kept for `/play`, and the channel is told.
    private func voiceLost(_ event: VoiceDisconnectedEvent) async throws {
        guard event.byRemote, let binding = try await context.state.binding(for: event.session) else { return }
        if let movedTo = event.movedTo {
            // The worker now sits in `movedTo`: that is the channel it must leave.
            let moved = SessionKey(guild: event.session.guild, channel: movedTo)
            try await context.send(.voiceLeave(VoiceLeaveJob(session: moved, reason: .reclaimed)), to: binding.worker)
            try await conductor.detach(event.session, from: binding.worker, notice: .musicBotMoved)
        } else {
            try await conductor.detach(event.session, from: binding.worker, notice: .musicWorkerRemoved)
        }
    }
}
