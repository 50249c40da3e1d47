import AnankorCore
import AnankorTelemetry
import Foundation
import Logging
import Synchronization
import ServiceLifecycle
import Tracing

/// Consuming the token's job stream in order per guild, different guilds side by side, each job
/// once: game jobs through a claim on the envelope id (the ledger's, or Redis's), music session
/// jobs through the session record the master keeps (see `processSession`).
extension WorkerBot {
    /// How long a claim blocks other executions of the same job: longer than any job runs.
    static let jobClaimLease: Duration = .seconds(120)
    /// How long a completed job id is remembered (redeliveries come within minutes).
    static let jobRetention: Duration = .seconds(24 * 3600)
    static let jobBatch = 16
    /// Jobs taken from the stream and not yet done, over all guilds: past this the stream is not
    /// read until one is done.
    static let jobsInFlight = 64
    /// How long one read of the job stream waits for a job (see `consumeJobs`).
    static let jobWait: Duration = .milliseconds(250)

    /// Runs until graceful shutdown (returns `.shutdown`) or cancellation (nil). Waits for the
    /// gateway first: every job needs it, and jobs left in the stream meanwhile are not lost.
    /// Music jobs then wait, each on its own clock, for Lavalink and the adoption of a resumed
    /// session's players (`musicJobGate`), so game jobs do not wait for Lavalink.
    func consumeJobs() async -> HoldEnd? {
        do {
            try await cancelWhenGracefulShutdown {
                await self.gatewayReady.wait()
                try Task.checkCancellation()
            }
        } catch {
            return Task.isShuttingDownGracefully ? .shutdown : nil
        }
        // Each guild's jobs run in order on a lane of their own, and the stream is read again as
        // soon as there is room: a job that waits (a voice join, a rate-limited status update)
        // holds up its own guild only, never the other guilds of this bot.
        let lanes = JobLanes(capacity: Self.jobsInFlight)
        return await withDiscardingTaskGroup { group -> HoldEnd? in
            while true {
                if Task.isCancelled { return nil }
                if Task.isShuttingDownGracefully { break }
                await lanes.waitForRoom()
                let deliveries: [Delivery<Job>]
                do {
                    // A short wait: a graceful stop is seen only between two reads, and the hand-over
                    // to a spare (promised within a second of SIGTERM) starts after it. A job that
                    // comes meanwhile ends the wait at once, so this costs idle reads only.
                    deliveries = try await context.bus.receiveJobs(
                        for: worker, as: context.configuration.consumer, limit: min(Self.jobBatch, lanes.room),
                        waitingUpTo: Self.jobWait)
                } catch {
                    if Task.isCancelled { return nil }
                    logger.warning("could not receive jobs", metadata: ["error": "\(error)"])
                    do { try await context.time.sleep(.seconds(1)) } catch { return nil }
                    continue
                }
                for delivery in deliveries {
                    let guild = delivery.envelope.body.guild
                    guard lanes.enqueue(delivery, in: guild) else { continue }
                    group.addTask {
                        while let next = lanes.next(in: guild) {
                            await self.handle(next)
                            lanes.finished()
                        }
                    }
                }
            }
            // Graceful shutdown: the jobs taken are carried out before the group ends.
            return .shutdown
        }
    }

    /// One job, one consumer span: a child of the master's producer span when the envelope
    /// carries its trace context, else a trace of its own.
    private func handle(_ delivery: Delivery<Job>) async {
        await withSpan("job \(delivery.envelope.body.kind)", context: .continuing(delivery.envelope.trace),
                       ofKind: .consumer) { span in
            span.attributes[SpanAttributeName.jobKind] = delivery.envelope.body.kind
            span.attributes[SpanAttributeName.guild] = delivery.envelope.body.guild.description
            span.attributes[SpanAttributeName.deliveryCount] = delivery.deliveryCount
            if delivery.deliveryCount > 1 { context.metrics.recordRedelivery(kind: delivery.envelope.body.kind) }
            await process(delivery)
        }
    }

    private func process(_ delivery: Delivery<Job>) async {
        let envelope = delivery.envelope
        let kind = envelope.body.kind
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(envelope.id)"
        logger[metadataKey: "job.kind"] = "\(kind)"
        if let session = envelope.body.session { logger[metadataKey: "session.key"] = "\(session)" }
        // Real time for the duration metric only; every wait runs on `context.time`.
        let started = ContinuousClock.now
        if let session = envelope.body.session {
            await processSession(delivery, session: session, started: started, logger: logger)
            return
        }
        guard let key = IdempotencyKey.job(envelope.id.description) else { return }
        let claim: IdempotencyClaim
        switch await claimJob(key) {
        case .success(let value): claim = value
        case .failure(let error):
            logger.warning("ledger unavailable; the job stays pending", metadata: ["error": "\(error)"])
            context.metrics.recordJob(kind: kind, outcome: .retry, duration: nil)
            return
        }
        switch claim {
        case .completed:
            logger.debug("redelivered job already done; acknowledging")
            await acknowledge(delivery, logger: logger)
            context.metrics.recordJob(kind: kind, outcome: .duplicate, duration: nil)
        case .inProgress:
            // Running here or elsewhere; that execution answers.
            logger.debug("job in progress elsewhere; leaving it pending")
            context.metrics.recordJob(kind: kind, outcome: .retry, duration: nil)
        case .claimed(let token, _):
            var outcome = await run(envelope, logger: logger)
            let duration = ContinuousClock.now - started
            if case .transient(let reason)? = outcome, delivery.deliveryCount >= context.bus.policy.maxDeliveries {
                // The bus would dead-letter it next: tell the master instead of failing silently.
                outcome = .refused("gave up after \(delivery.deliveryCount) deliveries: \(reason)")
            }
            switch outcome {
            case nil:
                await completeJob(key, token: token, result: [], logger: logger)
                await acknowledge(delivery, logger: logger)
                context.metrics.recordJob(kind: kind, outcome: .done, duration: duration)
                context.metrics.recordLatency(kind: kind, seconds: context.now().timeIntervalSince(envelope.createdAt))
                logger.debug("job done")
            case .refused(let reason)?:
                logger.info("job failed", metadata: ["reason": "\(reason)"])
                await events.publish(.jobFailed(JobFailedEvent(
                    job: envelope.id, jobKind: kind, reason: reason, lobby: envelope.body.lobby, guild: envelope.body.guild,
                    missingPermission: outcome?.isMissingPermission ?? false, session: envelope.body.session)))
                await completeJob(key, token: token, result: [], logger: logger)
                await acknowledge(delivery, logger: logger)
                context.metrics.recordJob(kind: kind, outcome: .failed, duration: duration)
            case .transient(let reason)?:
                logger.info("job will be retried", metadata: ["reason": "\(reason)"])
                await releaseJob(key, token: token)
                context.metrics.recordJob(kind: kind, outcome: .retry, duration: duration)
            }
        }
    }

    /// A music session job gets exactly one answer, `jobAcked` or `jobFailed`, and acts at most
    /// once, with no claim store round trip: the master keeps every job it sent in the session's
    /// record, by id, until it has the answer or the job's deadline answered the member instead,
    /// and it sends each id once (the ids carry the session's incarnation, so they are unique
    /// for the session's life). So a copy can only be a redelivery of the bus:
    ///
    /// - a copy this hold answered already (its acknowledgement to the bus failed) is answered
    ///   again from `answered`, not acted on;
    /// - a message handed over from another consumer (delivery count above 1: a holder of this
    ///   token that died or stopped with it unacknowledged) is carried out only while the session
    ///   record still lists the job as pending. Once the master has its answer, or answered the
    ///   member at the job's deadline, acting late would contradict what the member was told;
    ///   it is acknowledged untouched. The one case that acts twice: the other holder applied it
    ///   and died before its answer went out, and the copy arrives before the deadline — the
    ///   same change is applied again (jobs set absolute states: a track from a position, a
    ///   volume, pause on or off), at worst replaying a few seconds. docs/worker.md.
    ///
    /// Only a worker that is stopping (cancelled) leaves a job unanswered and pending, for
    /// whoever holds the token next.
    private func processSession(_ delivery: Delivery<Job>, session: SessionKey, started: ContinuousClock.Instant,
                                logger: Logger) async {
        let envelope = delivery.envelope
        let kind = envelope.body.kind
        if let earlier = answered.answer(to: envelope.id) {
            // Not acted on again, but answered again: the master may have missed the answer.
            logger.debug("music job answered already by this worker; answering again")
            await events.publish(earlier.event(for: envelope, session: session))
            await acknowledge(delivery, logger: logger)
            context.metrics.recordJob(kind: kind, outcome: .duplicate, duration: nil)
            return
        }
        if delivery.deliveryCount > 1 {
            switch await awaited(envelope.id, in: session) {
            case .failure(let error):
                logger.warning("state store unavailable; the job stays pending", metadata: ["error": "\(error)"])
                context.metrics.recordJob(kind: kind, outcome: .retry, duration: nil)
                return
            case .success(false):
                logger.info("redelivered music job no longer awaited by its session; acknowledged without acting",
                            metadata: ["job.deliveries": "\(delivery.deliveryCount)"])
                await acknowledge(delivery, logger: logger)
                context.metrics.recordJob(kind: kind, outcome: .duplicate, duration: nil)
                return
            case .success(true):
                break
            }
        }
        guard let answer = await answer(envelope, logger: logger) else {
            logger.info("worker stopping; the job stays pending")
            context.metrics.recordJob(kind: kind, outcome: .retry, duration: ContinuousClock.now - started)
            return
        }
        let duration = ContinuousClock.now - started
        if case .failed(let reason, _) = answer {
            logger.info("job failed", metadata: ["reason": "\(reason)"])
        } else {
            logger.debug("job done")
        }
        answered.remember(answer, for: envelope.id)
        await events.publish(answer.event(for: envelope, session: session))
        await acknowledge(delivery, logger: logger)
        if answer == .acked {
            context.metrics.recordJob(kind: kind, outcome: .done, duration: duration)
            context.metrics.recordLatency(kind: kind, seconds: context.now().timeIntervalSince(envelope.createdAt))
        } else {
            context.metrics.recordJob(kind: kind, outcome: .failed, duration: duration)
        }
    }

    /// Whether the session's record still lists the job `id` as pending (its master waits for
    /// the answer).
    private func awaited(_ id: EnvelopeID, in session: SessionKey) async -> Result<Bool, any Error> {
        do {
            let record = try await context.state.sessionRecord(session)
            return .success(record?.pending.contains { EnvelopeID(sessionJob: $0.id) == id } ?? false)
        } catch {
            return .failure(error)
        }
    }

    /// How long to wait before trying a music job again after a passing failure.
    static let musicRetryDelay: Duration = .milliseconds(250)
    /// The least time one run of a music job gets, however long it waited before.
    static let musicRunFloor: Duration = .seconds(1)

    /// Waits for the worker to be able to carry the job out, runs it (again after passing
    /// failures) within `jobTimeout`, and says how it went; nil when the worker is stopping.
    private func answer(_ envelope: JobEnvelope, logger: Logger) async -> JobAnswer? {
        let timeout = context.configuration.jobTimeout
        let deadline = context.time.now() + timeout
        switch await musicJobGate(until: deadline) {
        case .open: break
        case .stopping: return nil
        case .closed(let reason): return .failed(reason: reason, missingPermission: false)
        }
        let isConnect = if case .voiceConnect = envelope.body { true } else { false }
        while true {
            // A join has Discord's own timeout on top; the bound only catches a step that hangs.
            // A job that waited long for adoption still gets a moment to run.
            let limit = isConnect
                ? context.configuration.voiceConnectTimeout + timeout
                : max(deadline - context.time.now(), Self.musicRunFloor)
            switch await runBounded(envelope, limit: limit, logger: logger) {
            case .stopping:
                return nil
            case .timedOut:
                return .failed(reason: "the change did not take effect within \(Self.seconds(timeout))",
                               missingPermission: false)
            case .finished(nil):
                return .acked
            case .finished(.refused(let reason)?):
                return .failed(reason: reason, missingPermission: JobFailure.refused(reason).isMissingPermission)
            case .finished(.transient(let reason)?):
                if Task.isCancelled { return nil }
                guard deadline - context.time.now() > Self.musicRetryDelay else {
                    return .failed(reason: "could not be carried out within \(Self.seconds(timeout)): \(reason)",
                                   missingPermission: false)
                }
                logger.debug("passing failure; trying again", metadata: ["reason": "\(reason)"])
                do { try await context.time.sleep(Self.musicRetryDelay) } catch { return nil }
            }
        }
    }

    enum GateState: Sendable, Hashable {
        case open
        case closed(String)
        case stopping
    }

    /// Whether music jobs may run, waiting until `deadline` (on the worker's clock) for a
    /// Lavalink node and, after a takeover, for the resumed sessions' players to be adopted: a
    /// job run before would find the bot "not in voice" although its player plays on.
    func musicJobGate(until deadline: Duration) async -> GateState {
        func waitFor(_ latch: Latch) async -> Bool {
            await latch.wait(upTo: deadline - context.time.now(), on: context.time)
        }
        let waited = Self.seconds(context.configuration.jobTimeout)
        guard await waitFor(lavalinkReady) else {
            return Task.isCancelled ? .stopping : .closed("no Lavalink node is connected to this worker (waited \(waited))")
        }
        for node in resumingNodes.sorted() {
            guard let adopted = adoptionDone[node], !(await waitFor(adopted)) else { continue }
            return Task.isCancelled ? .stopping
                : .closed("the worker is still taking over the previous holder's players (waited \(waited))")
        }
        return .open
    }

    private enum Bounded: Sendable {
        case finished(JobFailure?)
        case timedOut
        case stopping
    }

    /// Runs the job, cancelled when it takes longer than `limit` on the worker's clock.
    private func runBounded(_ envelope: JobEnvelope, limit: Duration, logger: Logger) async -> Bounded {
        guard limit > .zero else { return .timedOut }
        return await withTaskGroup(of: Bounded.self) { group in
            group.addTask { .finished(await self.run(envelope, logger: logger)) }
            group.addTask {
                do {
                    try await self.context.time.sleep(limit)
                    return .timedOut
                } catch {
                    return .stopping
                }
            }
            var outcome = Bounded.stopping
            while let next = await group.next() {
                if case .stopping = next { continue }  // the timer, cancelled with the task
                outcome = next
                break
            }
            group.cancelAll()
            if Task.isCancelled { return .stopping }
            return outcome
        }
    }

    /// "4 s", "1.5 s" for reasons.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// Executes the job; nil when it succeeded.
    private func run(_ envelope: JobEnvelope, logger: Logger) async -> JobFailure? {
        do {
            switch envelope.body {
            case .voiceConnect(let job):
                try await withSpan("voice join") { _ in try await connect(job, logger: logger) }
            case .voiceLeave(let job): try await leave(job, logger: logger)
            case .playbackPlay(let job): try await play(job)
            case .playerUpdate(let job): try await updatePlayer(job)
            case .reminderPost(let job): try await postReminder(job)
            case .voiceMove(let job): try await moveMembers(job)
            case .roleAdd(let job): try await changeRole(job.change, add: true)
            case .roleRemove(let job): try await changeRole(job.change, add: false)
            case .tempChannelCreate(let job): try await createTempChannel(job)
            case .tempChannelDelete(let job): try await deleteTempChannel(job)
            case .voiceStatus(let job): try await setVoiceStatus(job, logger: logger)
            }
            return nil
        } catch {
            return JobFailure.classify(error)
        }
    }

    // The ledger throws typed errors; each call sits in its own function (nested typed-throws
    // do/catch blocks crash the 6.3 compiler).

    private func claimJob(_ key: IdempotencyKey) async -> Result<IdempotencyClaim, LedgerError> {
        do {
            return .success(try await context.claims.claim(key, lease: Self.jobClaimLease, now: context.now()))
        } catch {
            return .failure(error)
        }
    }

    private func completeJob(_ key: IdempotencyKey, token: ClaimToken, result: [UInt8], logger: Logger) async {
        do {
            try await context.claims.complete(key, token: token, result: result, retention: Self.jobRetention,
                                              now: context.now())
        } catch {
            logger.warning("could not record the job as done", metadata: ["error": "\(error)"])
        }
    }

    private func releaseJob(_ key: IdempotencyKey, token: ClaimToken) async {
        do {
            try await context.claims.release(key, token: token)
        } catch {
            logger.debug("could not release the job claim", metadata: ["error": "\(error)"])
        }
    }

    private func acknowledge(_ delivery: Delivery<Job>, logger: Logger) async {
        do {
            try await context.bus.acknowledge(delivery)
        } catch {
            logger.warning("could not acknowledge; the job will be redelivered and skipped", metadata: ["error": "\(error)"])
        }
    }
}

extension Job {
    /// The guild a job acts in: jobs of one guild run in order.
    var guild: GuildID {
        switch self {
        case .voiceConnect(let job): job.session.guild
        case .voiceLeave(let job): job.session.guild
        case .playbackPlay(let job): job.session.guild
        case .playerUpdate(let job): job.session.guild
        case .reminderPost(let job): job.guild
        case .voiceMove(let job): job.guild
        case .roleAdd(let job): job.change.guild
        case .roleRemove(let job): job.change.guild
        case .tempChannelCreate(let job): job.guild
        case .tempChannelDelete(let job): job.guild
        case .voiceStatus(let job): job.session.guild
        }
    }

    /// The lobby a game job concerns, if any.
    var lobby: LobbyID? {
        switch self {
        case .reminderPost(let job): job.lobby
        case .voiceMove(let job): job.lobby
        case .roleAdd(let job): job.change.lobby
        case .roleRemove(let job): job.change.lobby
        case .tempChannelCreate(let job): job.lobby
        case .tempChannelDelete(let job): job.lobby
        case .voiceConnect, .voiceLeave, .playbackPlay, .playerUpdate, .voiceStatus: nil
        }
    }

    /// The music session a job concerns, if any.
    var session: SessionKey? {
        switch self {
        case .voiceConnect(let job): job.session
        case .voiceLeave(let job): job.session
        case .playbackPlay(let job): job.session
        case .playerUpdate(let job): job.session
        case .voiceStatus(let job): job.session
        default: nil
        }
    }
}

/// The jobs taken from the stream, queued per guild: one guild's jobs run one after another,
/// different guilds side by side. Lock-protected, shared by the reader and the guilds' runners.
final class JobLanes: Sendable {
    private struct State {
        var queued: [GuildID: [Delivery<Job>]] = [:]
        /// Guilds whose runner is going (it takes the queue until it is empty).
        var running: Set<GuildID> = []
        var inFlight = 0
        var roomWaiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// How many more jobs may be taken now.
    var room: Int { state.withLock { max(1, capacity - $0.inFlight) } }

    /// Queues a job on its guild's lane; true when the lane needs a runner.
    func enqueue(_ delivery: Delivery<Job>, in guild: GuildID) -> Bool {
        state.withLock { state in
            state.inFlight += 1
            state.queued[guild, default: []].append(delivery)
            return state.running.insert(guild).inserted
        }
    }

    /// The guild's next job; nil (and the lane stops running) when there is none.
    func next(in guild: GuildID) -> Delivery<Job>? {
        state.withLock { state in
            guard var queue = state.queued[guild], !queue.isEmpty else {
                state.queued[guild] = nil
                state.running.remove(guild)
                return nil
            }
            let first = queue.removeFirst()
            state.queued[guild] = queue.isEmpty ? nil : queue
            return first
        }
    }

    /// A job is done: room for another.
    func finished() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inFlight -= 1
            guard state.inFlight < capacity else { return nil }
            defer { state.roomWaiter = nil }
            return state.roomWaiter
        }
        waiter?.resume()
    }

    /// Returns once fewer than `capacity` jobs are in flight (or the task is cancelled).
    func waitForRoom() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.inFlight < capacity || Task.isCancelled { return true }
                    state.roomWaiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.roomWaiter = nil }
                return state.roomWaiter
            }
            waiter?.resume()
        }
    }
}
