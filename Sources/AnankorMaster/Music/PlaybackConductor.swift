import AnankorCore
import Foundation

/// Moves sessions along: starts the queue on a freshly bound worker, advances it when a track ends
/// or is skipped (loop modes, autoplay), and tears sessions down. Commands, worker events and the
/// watchdog all go through here, so a session changes the same way whoever triggers it.
struct PlaybackConductor: Sendable {
    let context: MasterContext
    let board: NowPlayingBoard
    let refresher: CoalescedWork<SessionKey>

    init(context: MasterContext, refresher: CoalescedWork<SessionKey>) {
        self.context = context
        self.board = NowPlayingBoard(context: context)
        self.refresher = refresher
    }

    /// Asks for the session's now-playing message to be brought up to date (soon, coalesced).
    func refresh(_ session: SessionKey) { refresher.request(session) }

    /// After binding (or re-binding after a crash): join the channel and play what is current, at
    /// its last position, or else the next entry.
    func start(_ session: SessionKey, on worker: WorkerID, textChannel: ChannelID?) async throws {
        try await context.send(.voiceConnect(VoiceConnectJob(session: session, textChannel: textChannel)), to: worker)
        if let playing = try await context.state.nowPlaying(session) {
            try await play(playing.entry, in: session, on: worker, at: playing.positionMs, paused: playing.paused)
        } else {
            try await advance(session, expecting: nil, reason: .finished, worker: worker)
        }
    }

    /// When nothing plays, starts the next entry; otherwise leaves the current one alone.
    func startIfIdle(_ session: SessionKey, on worker: WorkerID) async throws {
        guard try await context.state.nowPlaying(session) == nil else { return }
        try await advance(session, expecting: nil, reason: .finished, worker: worker)
    }

    /// Advances past `expected` and plays what comes next. A stale expectation (a duplicate
    /// trackEnd, a skip racing a natural end) changes nothing.
    @discardableResult
    func advance(_ session: SessionKey, expecting expected: QueueEntryID?, reason: AdvanceReason,
                 worker: WorkerID?, autoplay allowAutoplay: Bool = true) async throws -> AdvanceOutcome {
        var outcome = try await context.state.advance(session, expecting: expected, reason: reason, now: context.now())
        if case .ended = outcome, allowAutoplay, try await autoplay(session) {
            outcome = try await context.state.advance(session, expecting: nil, reason: .finished, now: context.now())
        }
        var bound = worker
        if bound == nil { bound = try await context.state.binding(for: session)?.worker }
        switch outcome {
        case .playing(let entry):
            if let bound { try await play(entry, in: session, on: bound, at: 0, paused: false) }
        case .ended:
            if let bound, expected != nil, reason == .skipped {
                try await context.send(.playerUpdate(PlayerUpdateJob(session: session, stop: true)), to: bound)
            }
            try await context.state.touchSession(session, at: context.now())
            refresh(session)
        case .stale:
            break
        }
        return outcome
    }

    func play(_ entry: QueueEntry, in session: SessionKey, on worker: WorkerID, at position: Int64, paused: Bool)
        async throws
    {
        let details = try await context.state.sessionDetails(session)
        let job = PlaybackPlayJob(session: session, entry: entry, startPositionMs: position,
                                  volume: details?.volume, paused: paused)
        try await context.send(.playbackPlay(job), to: worker)
        try await context.state.touchSession(session, at: context.now())
    }

    /// `/autoplay`: when the queue runs dry, queue one track by the last track's author that was
    /// not played recently. Returns whether something was queued.
    private func autoplay(_ session: SessionKey) async throws -> Bool {
        guard let details = try await context.state.sessionDetails(session), details.autoplay,
            let last = try await context.state.history(session, limit: 1).first
        else { return false }
        let recent = Set(try await context.state.history(session, limit: 25).map(\.track.encoded))
        guard case .tracks(let found, _) = await context.tracks.resolve("ytsearch:\(last.track.author)"),
            let pick = found.first(where: { !recent.contains($0.encoded) })
        else { return false }
        let entry = QueueEntry(track: pick, requester: last.requester, addedAt: context.now())
        try await context.state.enqueue([entry], in: session, at: .end)
        return true
    }

    /// Leaves the channel and forgets the session (queue included): `/leave`, idle, alone.
    func finish(_ session: SessionKey, reason: VoiceLeaveJob.LeaveReason, note: String?) async throws {
        let details = try await context.state.sessionDetails(session)
        if let binding = try await context.state.unbind(session, ifBoundTo: nil) {
            try await context.send(.voiceLeave(VoiceLeaveJob(session: session, reason: reason)), to: binding.worker)
            MasterMetrics.sessionUnbound()
        }
        try await context.state.endSession(session)
        if let details {
            await board.retire(details)
            if let note, let channel = details.textChannel { await context.post(note, in: channel) }
        }
    }

    /// The worker is gone (crashed, kicked, moved away): unbind, keep the queue so `/play` resumes,
    /// and tell the channel. Only the caller whose unbind removed the binding posts, so two masters
    /// noticing the same death post once.
    func detach(_ session: SessionKey, from worker: WorkerID, notice: MessageKey) async throws {
        guard try await context.state.unbind(session, ifBoundTo: worker) != nil else { return }
        MasterMetrics.sessionUnbound()
        try await announceDetached(session, notice: notice)
    }

    /// Tells the channel of a session that was just unbound (queue kept) and retires its
    /// now-playing message. Only the caller whose unbind won calls it.
    func announceDetached(_ session: SessionKey, notice: MessageKey) async throws {
        MasterMetrics.sessionNotice("\(notice)")
        guard let details = try await context.state.sessionDetails(session) else { return }
        let locale = details.locale ?? .englishUS
        let text = context.text(notice, locale, ["channel": context.mention(channel: session.channel)])
        await board.retire(details)
        try await context.state.updateExistingSessionDetails(session) { $0.nowPlayingMessage = nil }
        if let channel = details.textChannel { await context.post(text, in: channel) }
    }
}
