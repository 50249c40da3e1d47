import Foundation

/// Timeouts and limits of a music session.
public struct SessionPolicy: Sendable, Hashable {
    /// How long a job may go unacknowledged before it counts as failed.
    public var ackTimeout: Duration
    /// The same for joining a voice channel, which waits for Discord as well (a worker gives a
    /// join 10 s after its own job wait).
    public var connectTimeout: Duration
    /// Nothing playing for this long: the session is left (unless `/stay`).
    public var idleTimeout: Duration
    /// Nobody listening for this long: the session is left.
    public var aloneTimeout: Duration
    /// How long a worker may be away (stopping, its token being taken over by a spare) before its
    /// sessions are moved to another worker or ended with the crash notice.
    public var workerGrace: Duration
    public var historyLimit: Int
    public var volumeRange: ClosedRange<Int>
    /// Recently played tracks autoplay must not pick again.
    public var autoplayRecent: Int
    /// Play jobs that may fail in a row on one worker before the session gives that worker up
    /// (crash notice, queue kept) instead of rejoining and retrying.
    public var playFailureLimit: Int
    /// How long a player must be seen without a track, on two looks, before the current entry
    /// counts as finished (its `trackEnd` lost).
    public var emptyPlayerConfirmation: Duration

    public init(ackTimeout: Duration = .seconds(5), connectTimeout: Duration = .seconds(16), idleTimeout: Duration = .seconds(600),
                aloneTimeout: Duration = .seconds(120), workerGrace: Duration = .seconds(5),
                historyLimit: Int = AdvanceRule.historyLimit, volumeRange: ClosedRange<Int> = 0...200,
                autoplayRecent: Int = 25, playFailureLimit: Int = 3, emptyPlayerConfirmation: Duration = .milliseconds(500)) {
        self.ackTimeout = ackTimeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.aloneTimeout = aloneTimeout
        self.workerGrace = workerGrace
        self.historyLimit = historyLimit
        self.volumeRange = volumeRange
        self.autoplayRecent = autoplayRecent
        self.playFailureLimit = playFailureLimit
        self.emptyPlayerConfirmation = emptyPlayerConfirmation
    }
}

/// One music session as a pure state machine: `handle(input, now)` changes `record` and returns
/// what the master must carry out. No clock, no I/O, no randomness inside: time comes with every
/// input, seeds with the commands that need them, timers leave as `SessionEffect.schedule`.
///
/// The master applies the effects in order. The first is `.persist` whenever the record changed;
/// when the store's compare-and-set refuses it (another master moved the session on), the master
/// drops the remaining effects, reads the record again and handles the input again.
public struct MusicSession: Sendable {
    public private(set) var record: SessionRecord
    public let policy: SessionPolicy

    /// When the session next needs a tick, and for which timers: what a store's due index keeps,
    /// so any master (after a restart too) delivers the ticks.
    public var timers: [SessionTimer: Date] { SessionStep(record: record, policy: policy, now: .distantPast).timers(record) }

    /// The earliest timer due, if any.
    public var nextDue: Date? { timers.values.min() }

    public init(record: SessionRecord, policy: SessionPolicy = SessionPolicy()) {
        self.record = record
        self.policy = policy
    }

    /// Handles `input`. `posted` is a now-playing message the master posted and has not saved
    /// yet: taken in first, as `SessionInput.boardPosted` would be, so the one save of this step
    /// stores both (the master carries a posted message's id with the session's next save).
    public mutating func handle(_ input: SessionInput, now: Date, posted board: MessageID? = nil) -> [SessionEffect] {
        var step = SessionStep(record: record, policy: policy, now: now)
        if let board { step.boardPosted(board) }
        switch input {
        case .command(let command, let origin): step.command(command, from: origin)
        case .worker(let worker, let report): step.report(report, from: worker)
        case .tick(let timer): step.tick(timer)
        case .observed(let observation): step.reconcile(observation)
        case .autoplayFound(let track): step.autoplayFound(track)
        case .presence(let users): step.presence(users)
        case .boardPosted(let message): step.boardPosted(message)
        case .handOver(let channel): step.handOver(to: channel)
        case .takeOver(let carried): step.takeOver(carried)
        }
        var effects = step.finish(from: record)
        if case .tick(let timer) = input, let due = step.due(timer), due > now,
            !effects.contains(.schedule(timer, at: due))
        {
            effects.append(.schedule(timer, at: due))  // an early tick must not lose the timer
        }
        record = step.record
        return effects
    }
}

/// One transition in progress: the record being changed and the effects gathered so far.
struct SessionStep {
    var record: SessionRecord
    let policy: SessionPolicy
    let now: Date
    var effects: [SessionEffect] = []
    /// How the command being handled can be answered from another master (`CommandOrigin.handle`).
    var handle: String?

    init(record: SessionRecord, policy: SessionPolicy, now: Date) {
        self.record = record
        self.policy = policy
        self.now = now
    }

    func after(_ duration: Duration) -> Date { now.addingTimeInterval(duration.timeInterval) }

    /// The master posted the now-playing message `message`; one it replaces is retired.
    mutating func boardPosted(_ message: MessageID) {
        if let old = record.boardMessage, old != message { effects.append(.retireBoard(old)) }
        record.boardMessage = message
    }

    mutating func reply(_ command: CommandID, _ result: CommandResult) { effects.append(.reply(command, result)) }

    /// The command being handled, answered once its job is done.
    func waiting(_ command: CommandID, _ done: CommandResult) -> WaitingCommand {
        WaitingCommand(command: command, done: done, handle: handle)
    }

    /// Posts in the text channel, when the session has one.
    mutating func notice(_ notice: SessionNotice) {
        guard let channel = record.textChannel else { return }
        effects.append(.notice(notice, channel: channel, locale: record.locale))
    }

    /// The now-playing message stops being edited (a new one is posted when playback resumes).
    mutating func retireBoard() {
        guard let message = record.boardMessage else { return }
        effects.append(.retireBoard(message))
        record.boardMessage = nil
    }

    /// Replies now, or when `job` (if one was sent) is acknowledged.
    mutating func answer(_ waiting: WaitingCommand?) {
        if let waiting { reply(waiting.command, waiting.done) }
    }

    // MARK: Jobs

    /// Sends `job` to the bound worker (held while it is away, or until it is in voice), with
    /// `waiting` answered on acknowledgement. Without a binding the command is refused.
    mutating func sendJob(_ job: SessionJob, waiting: WaitingCommand?) {
        guard let binding = record.binding else {
            if let waiting { reply(waiting.command, .refused(.notBound)) }
            return
        }
        let isConnect = if case .connect = job { true } else { false }
        let held = binding.awaySince != nil || (binding.voice == .connecting && !isConnect)
        enqueueJob(job, to: binding.worker, held: held, waiting: waiting)
    }

    mutating func enqueueJob(_ job: SessionJob, to worker: WorkerID, held: Bool, waiting: WaitingCommand?) {
        record.counter += 1
        let id = SessionJobID(session: record.session, incarnation: record.incarnation, number: record.counter)
        // A held job waits for the worker too, which the grace period or the connect deadline bounds.
        let isConnect = if case .connect = job { true } else { false }
        let timeout = isConnect ? policy.connectTimeout : policy.ackTimeout
        let deadline = held ? after(timeout + policy.workerGrace + (isConnect ? .zero : policy.connectTimeout))
            : after(timeout)
        record.pending.append(PendingJob(id: id, worker: worker, job: job, deadline: deadline, held: held, waiting: waiting))
        if !held { effects.append(.send(id, job, to: worker)) }
    }

    /// Sends the jobs held for the bound worker, in order, once it is back and in voice.
    mutating func flushHeld() {
        guard let binding = record.binding, binding.awaySince == nil, binding.voice == .connected else { return }
        for index in record.pending.indices where record.pending[index].held && record.pending[index].worker == binding.worker {
            record.pending[index].held = false
            record.pending[index].deadline = after(policy.ackTimeout)
            effects.append(.send(record.pending[index].id, record.pending[index].job, to: binding.worker))
        }
    }

    func hasPending(for worker: WorkerID, _ matches: (SessionJob) -> Bool) -> Bool {
        record.pending.contains { $0.worker == worker && matches($0.job) }
    }

    /// Fails every pending job of `worker`, answering the commands that waited for them.
    mutating func failPending(of worker: WorkerID, _ failure: CommandFailure) {
        let failed = record.pending.filter { $0.worker == worker }
        record.pending.removeAll { $0.worker == worker }
        for job in failed { if let waiting = job.waiting { reply(waiting.command, .notCarriedOut(failure)) } }
    }

    // MARK: Playback

    /// Moves the queue on with `AdvanceRule` and plays what comes next (or stops). `waiting` is
    /// answered when the resulting job is acknowledged, or at once when there is no job.
    mutating func advance(_ reason: AdvanceReason, waiting: WaitingCommand? = nil, autoplay: Bool = true) {
        record.playerEmptySince = nil
        record.skippedSegment = nil  // a repeat of the same entry starts unskipped too
        let current = record.nowPlaying?.entry
        let next = AdvanceRule.next(after: current, mode: record.loop, reason: reason, queue: &record.queue,
                                    history: &record.history, historyLimit: policy.historyLimit)
        if let next {
            record.nowPlaying = NowPlaying(entry: next, positionMs: 0, paused: false, updatedAt: now)
            sendJob(.play(next, positionMs: 0, paused: false, volume: record.volume), waiting: waiting)
            return
        }
        record.nowPlaying = nil
        // Nothing plays any more: the channel's status stops naming the last track.
        if current != nil, let binding = record.binding, binding.voice == .connected {
            effects.append(.voiceStatus(nil, worker: binding.worker))
        }
        if current != nil, reason == .skipped {
            sendJob(.stop, waiting: waiting)
        } else {
            answer(waiting)
        }
        if autoplay, record.autoplay, !record.autoplayAsked, let last = record.history.last {
            record.autoplayAsked = true
            let turn = record.autoplayTurns ?? 0
            record.autoplayTurns = turn + 1
            let mode = (record.autoplayMode ?? .similar).strategy(turn: turn)
            effects.append(.findAutoplay(after: last.track, mode: mode, excluding: recentlyPlayed))
        }
    }

    /// What autoplay must not queue again: the newest `autoplayRecent` history entries.
    var recentlyPlayed: [Track] { record.history.suffix(policy.autoplayRecent).map(\.track) }

    // MARK: Binding

    /// Binds `worker` and asks it to join the channel; what plays is sent once it is in voice.
    mutating func bind(_ worker: WorkerID) {
        record.binding = SessionBinding(worker: worker, boundAt: now)
        record.lastWorker = worker
        sendJob(.connect(textChannel: record.textChannel), waiting: nil)
    }

    /// The bound worker is gone (dead, or away past the grace period): its player is destroyed so
    /// no second bot plays, and the session moves to a free worker at its extrapolated position,
    /// or ends with the crash notice and keeps its queue for `/play`.
    mutating func detach(routing: RoutingSnapshot?) {
        guard let gone = record.binding?.worker else { return }
        let stopped = record.binding?.stopping == true
        effects.append(.destroyPlayer(gone))
        failPending(of: gone, .workerGone)
        record.binding = nil
        if var current = record.nowPlaying {
            current.positionMs = current.position(at: now)
            current.updatedAt = now
            record.nowPlaying = current
        }
        let hasWork = record.nowPlaying != nil || !record.queue.isEmpty
        if hasWork, let routing, case .success(let worker) = SessionRouting.choose(for: record.session, in: routing,
                                                                                   excluding: [gone]) {
            bind(worker)
            resumePlayback()
            return
        }
        retireBoard()
        notice(stopped ? .workerStopped : .playbackCrashed)
    }

    /// After (re)binding: play what is current at its position, or start the queue.
    mutating func resumePlayback(waiting: WaitingCommand? = nil) {
        if var current = record.nowPlaying {
            current.positionMs = current.position(at: now)
            current.updatedAt = now
            if !current.entry.track.isStream, current.positionMs >= current.entry.track.lengthMs {
                return advance(.finished, waiting: waiting)  // it would end at once
            }
            record.nowPlaying = current
            sendJob(.play(current.entry, positionMs: current.positionMs, paused: current.paused, volume: record.volume),
                    waiting: waiting)
        } else if !record.queue.isEmpty {
            advance(.finished, waiting: waiting)
        } else {
            answer(waiting)
        }
    }

    /// The worker could not join: unbind (queue kept), take the bot out if it got in, and say so.
    mutating func connectFailed(_ failure: CommandFailure) {
        guard let worker = record.binding?.worker else { return }
        let waiting = record.pending.filter { $0.worker == worker && $0.waiting != nil }.count
        failPending(of: worker, failure)
        effects.append(.destroyPlayer(worker))
        record.binding = nil
        retireBoard()
        if waiting == 0 {
            let reason = switch failure {
            case .workerFailed(let reason): reason
            case .timedOut: "timed out"
            case .workerGone: "worker gone"
            }
            notice(.connectFailed(reason: reason))
        }
    }

    /// Ends the session: the worker leaves, the queue and settings go (`/stay` stays), the board
    /// is retired.
    mutating func end(_ reason: VoiceLeaveJob.LeaveReason, notice: SessionNotice?, waiting: CommandID?) {
        let worker = record.binding?.worker
        if let worker { failPending(of: worker, .workerGone) }
        // Cleared before the bot leaves: only a bot in the channel may change its status.
        if let worker, record.binding?.voice == .connected, record.nowPlaying != nil {
            effects.append(.voiceStatus(nil, worker: worker))
        }
        retireBoard()
        record = record.remains(now: now, pending: record.pending)
        let done = waiting.map { self.waiting($0, .left) }
        if let worker {
            enqueueJob(.leave(reason), to: worker, held: false, waiting: done)
        } else {
            answer(done)
        }
        if let notice { self.notice(notice) }
    }

    // MARK: Bookkeeping

    /// What the now-playing message shows; a change means a board edit.
    private struct BoardView: Equatable {
        var current: QueueEntryID?
        var paused: Bool?
        var upNext: [QueueEntryID]
        var queued: Int
        var loop: LoopMode
        var autoplay: Bool
        var autoplayMode: AutoplayMode?
        var skippedSegment: SkippedSegment?
        var volume: Int
        var filter: String?
        var skipVotes: SkipVotes?

        init(_ record: SessionRecord) {
            current = record.nowPlaying?.entry.id
            paused = record.nowPlaying?.paused
            upNext = record.queue.prefix(5).map(\.id)
            queued = record.queue.count
            loop = record.loop
            autoplay = record.autoplay
            autoplayMode = record.autoplayMode
            skippedSegment = record.skippedSegment
            volume = record.volume
            filter = record.filter
            skipVotes = record.skipVotes
        }
    }

    /// When `timer` is due now, given the record as it stands.
    func due(_ timer: SessionTimer) -> Date? { timers(record)[timer] }

    func timers(_ record: SessionRecord) -> [SessionTimer: Date] {
        var due: [SessionTimer: Date] = [:]
        if let deadline = record.pending.map(\.deadline).min() { due[.ackDeadline] = deadline }
        if let since = record.idleSince, !record.stay {
            due[.idle] = since.addingTimeInterval(policy.idleTimeout.timeInterval)
        }
        if let since = record.aloneSince, record.binding != nil {
            due[.alone] = since.addingTimeInterval(policy.aloneTimeout.timeInterval)
        }
        return due
    }

    /// Keeps the derived fields, raises the version, and puts `.persist` first when anything changed.
    mutating func finish(from before: SessionRecord) -> [SessionEffect] {
        // Votes are for one entry: any track change (skip, end, previous, a new session) drops them.
        if let votes = record.skipVotes, votes.entry != record.nowPlaying?.entry.id { record.skipVotes = nil }
        let idle = !(record.isPlaying)
        if idle, record.idleSince == nil { record.idleSince = now }
        if !idle { record.idleSince = nil }
        if record.binding == nil { record.aloneSince = nil }
        if let skipped = record.skippedSegment, skipped.entry != record.nowPlaying?.entry.id { record.skippedSegment = nil }
        guard record != before else { return effects }
        record.version = before.version + 1
        var all: [SessionEffect] = [.persist(record)]
        all.append(contentsOf: effects)
        let retired = all.contains { if case .retireBoard = $0 { true } else { false } }
        // A retired message while the session goes on (a new text channel) needs a new one.
        if record.binding != nil, BoardView(record) != BoardView(before) || retired {
            all.append(.refreshBoard)
        }
        let was = timers(before)
        for (timer, date) in timers(record).sorted(by: { $0.key.rawValue < $1.key.rawValue }) where was[timer] != date {
            all.append(.schedule(timer, at: date))
        }
        return all
    }
}
