import AnankorCore
import DiscordKit
import Foundation
import Synchronization

/// Carries out `MusicSession` for the master (docs/architecture.md, "The music session state
/// machine"): every input for a session — a member command, a worker report, a timer, a
/// reconciliation observation — is handled the same way. The record is read (or taken from this
/// master's cache), the pure machine decides, the new record is saved with compare-and-set in one
/// round trip, and only then are the effects carried out. When another master saved first, the
/// record is read again and the input handled again, so the effects of a lost race never happen.
///
/// Inputs for one session are handled one at a time on this master (a lane per session), which
/// keeps the jobs a session sends in the order it decided them.
final class SessionDriver: Sendable {
    let context: MasterContext
    let policy: SessionPolicy
    let replies: SessionReplies
    let texts: CommandResultText
    let effects: SessionEffectRunner
    /// The last record this master saved or read, per session: a command on a session this
    /// master just handled costs one round trip (the save) instead of two.
    private let cache = Mutex<[SessionKey: SessionRecord]>([:])
    private let lanes = SessionLanes()
    /// Now-playing messages posted for a session waiting for a job's answer, not saved yet: the
    /// id rides with the session's next save (the answer's), one round trip fewer on a cold
    /// `/play` (docs/performance.md); `boardSaveDelay` later it is saved on its own if no save
    /// took it.
    private let unsavedBoards = Mutex<[SessionKey: MessageID]>([:])
    /// How long a posted message's id waits for the session's next save.
    static let boardSaveDelay: Duration = .seconds(2)
    /// The live workers as the last reconciliation pass read them, for routing.
    let liveWorkers = LiveWorkerView()
    /// How many times an input is handled again after losing a compare-and-set race.
    static let conflictRetries = 8

    init(context: MasterContext, applicationID: Snowflake<Application>) {
        self.context = context
        self.policy = SessionPolicy(ackTimeout: .seconds(5), idleTimeout: context.configuration.idleTimeout,
                                    aloneTimeout: context.configuration.aloneTimeout,
                                    workerGrace: context.configuration.workerGrace)
        self.texts = CommandResultText(context: context)
        self.replies = SessionReplies(clock: context.clock)
        self.effects = SessionEffectRunner(context: context, texts: texts, applicationID: applicationID)
    }

    /// Runs the effects carried out in the background (board edits, notices, autoplay searches,
    /// stopping players) until `finish()`.
    func run() async {
        await effects.run(driver: self)
    }

    func finish() { effects.finish() }

    // MARK: Records

    /// The stored record (this master's copy when `cached` and it has one).
    func record(_ session: SessionKey, cached: Bool = false) async throws -> SessionRecord? {
        if cached, let record = cache.withLock({ $0[session] }) { return record }
        let record = try await context.state.sessionRecord(session)
        remember(record, for: session)
        return record
    }

    /// This master's copy of the record, without reading the store.
    func cachedRecord(_ session: SessionKey) -> SessionRecord? { cache.withLock { $0[session] } }

    /// Keeps `record` as this master's copy (read by a caller in the same round trip as other
    /// state, `StateStore.guildSessions`).
    func remember(_ record: SessionRecord?, for session: SessionKey) {
        cache.withLock { cache in
            if let record {
                // Bounded: sessions this master touched lately; a miss costs one read.
                if cache.count >= 50_000, cache[session] == nil { cache.removeAll(keepingCapacity: true) }
                cache[session] = record
            } else {
                cache[session] = nil
            }
        }
    }

    // MARK: Handling

    /// Builds the input again from the record as stored now, after a lost race (a routing
    /// snapshot must be read again: the worker it chose may have been taken meanwhile).
    typealias Rebuild = @Sendable (SessionRecord?) async throws -> SessionInput

    /// Handles `input` for `session` and carries out the effects; returns the record after it.
    /// `volume` is the starting volume of a session that has no record yet (the guild's default),
    /// `stays` whether it starts 24/7 (its channel is one of the guild's 24/7 channels).
    /// `known` is the record as the caller just read it (nil inside: there was none), so a
    /// command reads its record once; a stale one is refused by the save and read again.
    @discardableResult
    func handle(_ input: SessionInput, in session: SessionKey, volume: Int = 100, stays: Bool = false,
                known: SessionRecord?? = nil, rebuild: Rebuild? = nil) async throws -> SessionRecord
    {
        try await lanes.serialize(session) {
            // A posted now-playing message not saved yet is saved with this input; if this
            // handling throws before a save, it waits for the next one again.
            let board = self.unsavedBoards.withLock { $0.removeValue(forKey: session) }
            var boardSaved = board == nil
            defer {
                if !boardSaved, let board {
                    self.unsavedBoards.withLock { boards in if boards[session] == nil { boards[session] = board } }
                }
            }
            var current: SessionRecord?
            if let known { current = known } else { current = try await self.record(session, cached: true) }
            var input = input
            for attempt in 0...Self.conflictRetries {
                if attempt > 0, let rebuild { input = try await rebuild(current) }
                let before = current ?? {
                    var fresh = SessionRecord(session: session, now: self.context.now(), volume: volume)
                    fresh.stay = stays
                    return fresh
                }()
                var machine = MusicSession(record: before, policy: self.policy)
                let effects = machine.handle(input, now: self.context.now(), posted: board)
                let after = machine.record
                guard case .persist? = effects.first else {
                    boardSaved = true  // nothing changed: the record has that message already
                    await self.effects.carryOut(effects, before: before, after: after, driver: self)
                    return after
                }
                if try await self.save(after, over: current, due: machine.nextDue) {
                    boardSaved = true
                    if case .observed = input { SessionEffectRunner.countRepairs(before: before, after: after, effects) }
                    await self.effects.carryOut(Array(effects.dropFirst()), before: before, after: after, driver: self)
                    return after
                }
                MasterMetrics.sessionConflict()
                current = try await self.record(session)
            }
            throw StateStoreError(code: .unavailable,
                                  message: "session \(session) keeps changing under concurrent masters; try again")
        }
    }

    /// The master posted `message` as the session's now-playing message. While the session
    /// waits for a job's answer (a join, a play), the answer's save will carry the id; else,
    /// or when no save came within `boardSaveDelay`, it is saved on its own. A master that stops
    /// meanwhile leaves that message behind (the next master posts a new one), as one that
    /// stopped between posting and saving always did.
    func boardPosted(_ message: MessageID, in session: SessionKey) async throws {
        guard let record = cachedRecord(session), !record.pending.isEmpty else {
            try await handle(.boardPosted(message), in: session)
            return
        }
        unsavedBoards.withLock { $0[session] = message }
        effects.later(after: Self.boardSaveDelay) { [self] in
            let left = unsavedBoards.withLock { boards in boards[session] == message ? boards.removeValue(forKey: session) : nil }
            guard let left else { return }  // saved with another input meanwhile
            do {
                try await handle(.boardPosted(left), in: session)
            } catch {
                context.logger.warning("could not save the now-playing message",
                                       metadata: ["session.key": "\(session)", "error": "\(error)"])
            }
        }
    }

    /// The now-playing message posted for `session` and not saved yet, if any.
    func unsavedBoard(_ session: SessionKey) -> MessageID? { unsavedBoards.withLock { $0[session] } }

    /// Saves `record` over `stored`. A session with nothing left to remember (unbound, nothing
    /// queued or played, no job out, not `/stay`) is deleted rather than kept.
    private func save(_ record: SessionRecord, over stored: SessionRecord?, due: Date?) async throws -> Bool {
        if Self.isSpent(record) {
            guard let stored else {
                remember(nil, for: record.session)
                return true  // never stored: nothing to delete
            }
            let deleted = try await context.state.deleteSessionRecord(record.session, version: stored.version)
            if deleted { remember(nil, for: record.session) }
            return deleted
        }
        let saved = try await context.state.saveSessionRecord(record, due: due)
        if saved { remember(record, for: record.session) }
        return saved
    }

    static func isSpent(_ record: SessionRecord) -> Bool {
        record.binding == nil && record.nowPlaying == nil && record.queue.isEmpty && record.pending.isEmpty && !record.stay
    }

    // MARK: Commands

    /// Runs a member command and waits for its answer (given at once, or when the worker has
    /// carried it out; the machine answers every command by its job deadline).
    func command(_ command: MemberCommand, in session: SessionKey, origin: CommandOrigin,
                 volume: Int = 100, stays: Bool = false, known: SessionRecord?? = nil,
                 rebuild: (@Sendable (SessionRecord?) async throws -> MemberCommand)? = nil)
        async throws -> CommandResult
    {
        replies.expect(origin.command)
        do {
            var again: Rebuild?
            if let rebuild {
                again = { @Sendable record in SessionInput.command(try await rebuild(record), from: origin) }
            }
            try await handle(.command(command, from: origin), in: session, volume: volume, stays: stays, known: known,
                             rebuild: again)
        } catch {
            replies.abandon(origin.command)
            throw error
        }
        // The machine answers by the latest deadline a job can have (held behind a join); past
        // that, and a little more, the command counts as not carried out.
        let patience = policy.connectTimeout + policy.ackTimeout + policy.workerGrace + .seconds(5)
        var waited: Duration = .zero
        while true {
            let slice = min(Self.answerCheckInterval, patience - waited)
            if let result = await replies.result(for: origin.command, patience: slice) { return result }
            waited += slice
            if Task.isCancelled { return .notCarriedOut(.timedOut) }
            // Not answered here: the job's acknowledgement may have reached another master, which
            // answered the member through the handle kept with the job and removed the job from
            // the record. Answering again would contradict it ("not carried out" after "Queued").
            if let record = try? await self.record(session),
                !record.pending.contains(where: { $0.waiting?.command == origin.command })
            {
                throw CommandAnsweredElsewhere()
            }
            if waited >= patience { return .notCarriedOut(.timedOut) }
            // An answer delivered here before this is registered again finds no waiter and is sent
            // through the handle instead; the next look at the record then sees it answered.
            replies.expect(origin.command)
        }
    }

    /// How often a command still waiting for its answer looks whether another master gave it.
    static let answerCheckInterval: Duration = .seconds(1)
}

/// A command that another master answered (it saw the acknowledgement of the command's job).
struct CommandAnsweredElsewhere: Error {}

/// One lane per session: inputs of a session are handled one after another on this master.
/// Waiting for a lane is cancellable; a cancelled waiter never runs.
final class SessionLanes: Sendable {
    private struct Lane {
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    private let lanes = Mutex<(busy: [SessionKey: Lane], next: UInt64)>(([:], 0))

    func serialize<T: Sendable>(_ key: SessionKey, _ work: @Sendable () async throws -> T) async throws -> T {
        try await acquire(key)
        defer { release(key) }
        return try await work()
    }

    private func acquire(_ key: SessionKey) async throws {
        let id = lanes.withLock { state -> UInt64? in
            guard state.busy[key] != nil else {
                state.busy[key] = Lane()
                return nil
            }
            state.next += 1
            return state.next
        }
        guard let id else { return }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelled = lanes.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if state.busy[key] == nil {
                        state.busy[key] = Lane()  // released meanwhile
                        continuation.resume(returning: true)
                        return false
                    }
                    state.busy[key]?.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiter = lanes.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.busy[key]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.busy[key]?.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
        guard granted else { throw CancellationError() }
    }

    private func release(_ key: SessionKey) {
        let next = lanes.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard var lane = state.busy[key] else { return nil }
            if lane.waiters.isEmpty {
                state.busy[key] = nil
                return nil
            }
            let next = lane.waiters.removeFirst()
            state.busy[key] = lane
            return next.continuation
        }
        next?.resume(returning: true)
    }
}
