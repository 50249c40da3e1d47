import AnankorCore
import AnankorTelemetry
import DiscordKit
import Foundation
import LavalinkKit
import Tracing

/// Carries out what `MusicSession` decided, after its record was saved. Jobs go out in order on
/// the session's lane (a worker must see play before pause); everything a member does not wait
/// for — posts, message edits, stopping a lost worker's player, autoplay searches — runs in the
/// background so one slow REST call does not hold a session up.
final class SessionEffectRunner: Sendable {
    let context: MasterContext
    let texts: CommandResultText
    let applicationID: Snowflake<Application>
    let board: NowPlayingBoard
    /// Now-playing refreshes, coalesced per session.
    let boards = CoalescedWork<SessionKey>()
    private let work: AsyncStream<@Sendable () async -> Void>
    private let workQueue: AsyncStream<@Sendable () async -> Void>.Continuation

    init(context: MasterContext, texts: CommandResultText, applicationID: Snowflake<Application>) {
        self.context = context
        self.texts = texts
        self.applicationID = applicationID
        self.board = NowPlayingBoard(context: context)
        (work, workQueue) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    func run(driver: SessionDriver) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.boards.run { await self.refreshBoard($0, driver: driver) } }
            for await item in work { group.addTask { await item() } }
            boards.finish()
        }
    }

    func finish() { workQueue.finish() }

    private func background(_ item: @escaping @Sendable () async -> Void) { workQueue.yield(item) }

    /// Runs `item` in the background after `delay` (on the master's clock), or at once when the
    /// master shuts down meanwhile.
    func later(after delay: Duration, _ item: @escaping @Sendable () async -> Void) {
        background { [clock = context.clock] in
            try? await clock.sleep(for: delay)
            await item()
        }
    }

    func carryOut(_ effects: [SessionEffect], before: SessionRecord, after: SessionRecord, driver: SessionDriver) async {
        let session = after.session
        if before.binding?.worker != after.binding?.worker {
            if before.binding != nil { MasterMetrics.sessionUnbound() }
            if after.binding != nil { MasterMetrics.sessionBound() }
        }
        for effect in effects {
            switch effect {
            case .persist, .schedule:
                break  // saved by the driver; timers come from the store's due index
            case .send(let id, let job, let worker):
                await send(id, job, for: session, to: worker)
            case .destroyPlayer(let worker):
                MasterMetrics.reconciled(.deadWorkerPlayer)
                background { await self.destroyPlayer(of: worker, in: session, driver: driver) }
            case .reply(let command, let result):
                if case .notCarriedOut = result { MasterMetrics.commandNotCarriedOut() }
                if !driver.replies.deliver(result, to: command) {
                    let waiting = before.pending.compactMap(\.waiting).first { $0.command == command }
                    if let handle = CommandHandle(waiting?.handle) {
                        background { await self.answerElsewhere(result, session: session, handle: handle) }
                    }
                }
            case .refreshBoard:
                boards.request(session)
            case .retireBoard(let message):
                guard let channel = before.textChannel ?? after.textChannel else { break }
                background { await self.board.retire(message, in: channel) }
            case .notice(let notice, let channel, let locale):
                MasterMetrics.sessionNotice("\(notice)".split(separator: "(").first.map(String.init) ?? "notice")
                let text = texts.notice(notice, session: session, locale: locale ?? .englishUS)
                background { await self.context.post(text, in: channel) }
            case .findAutoplay(let last, let mode, let excluding):
                background { await self.findAutoplay(after: last, mode: mode, excluding: excluding, session: session, driver: driver) }
            case .handOver(let carried, let target):
                // On the lane, before anything else is sent: the bot's move goes out first.
                await handOver(carried, to: target, driver: driver)
            case .voiceStatus(let status, let worker):
                // In order with the session's jobs: a clear must reach the worker before its leave.
                await showVoiceStatus(status, in: session, by: worker)
            }
        }
    }

    /// What a reconciliation pass repaired, for `anankor_reconciled_total`.
    static func countRepairs(before: SessionRecord, after: SessionRecord, _ effects: [SessionEffect]) {
        let plays = effects.contains { if case .send(_, .play, _) = $0 { true } else { false } }
        if before.nowPlaying?.entry.id != nil, before.nowPlaying?.entry.id != after.nowPlaying?.entry.id,
            before.binding?.worker == after.binding?.worker
        {
            MasterMetrics.reconciled(.lostTrackEnd)
        } else if plays {
            MasterMetrics.reconciled(.replayed)
        }
        if before.binding != nil, before.binding?.worker != after.binding?.worker {
            MasterMetrics.reconciled(.workerOffline)
        }
    }

    // MARK: Jobs

    /// Sends a session job under the envelope id derived from its id, so the worker's
    /// acknowledgement names it. A send that fails is logged: the job's deadline answers the
    /// member, and reconciliation repeats what is still needed.
    private func send(_ id: SessionJobID, _ job: SessionJob, for session: SessionKey, to worker: WorkerID) async {
        // A join or a play carries the guild's SponsorBlock categories (this master's settings
        // cache, read by the command already), so the worker does not read the guild's settings.
        var sponsorBlock: [String]?
        switch job {
        case .connect, .play:
            sponsorBlock = try? await context.settings.settings(of: session.guild).effectiveSponsorBlockCategories
        default:
            break
        }
        let body = Self.job(job, for: session, sponsorBlock: sponsorBlock)
        do {
            try await withSpan("send \(body.kind)", ofKind: .producer) { span in
                span.attributes[SpanAttributeName.jobKind] = body.kind
                span.attributes[SpanAttributeName.worker] = worker.description
                let envelope = JobEnvelope(id: EnvelopeID(sessionJob: id), body: body, trace: .current(),
                                           createdAt: context.now())
                try await context.bus.send(envelope, to: worker)
            }
            MasterMetrics.jobsEnqueued(kind: body.kind)
        } catch {
            context.logger.warning("could not send a session job; its deadline will answer for it", metadata: [
                "session.key": "\(session)", "job.kind": "\(body.kind)", "worker.id": "\(worker)", "error": "\(error)",
            ])
        }
    }

    static func job(_ job: SessionJob, for session: SessionKey, sponsorBlock: [String]? = nil) -> Job {
        switch job {
        case .connect(let textChannel):
            .voiceConnect(VoiceConnectJob(session: session, textChannel: textChannel, sponsorBlock: sponsorBlock))
        case .play(let entry, let position, let paused, let volume):
            .playbackPlay(PlaybackPlayJob(session: session, entry: entry, startPositionMs: position, volume: volume,
                                          paused: paused, sponsorBlock: sponsorBlock))
        case .pause(let paused): .playerUpdate(PlayerUpdateJob(session: session, paused: paused))
        case .seek(let position): .playerUpdate(PlayerUpdateJob(session: session, positionMs: position))
        case .volume(let level): .playerUpdate(PlayerUpdateJob(session: session, volume: level))
        case .filter(let preset): .playerUpdate(PlayerUpdateJob(session: session, filterPreset: preset ?? "none"))
        case .stop: .playerUpdate(PlayerUpdateJob(session: session, stop: true))
        case .leave(let reason): .voiceLeave(VoiceLeaveJob(session: session, reason: reason))
        }
    }

    /// `music.voice.status` through the worker in the channel (Discord lets only a member of the
    /// channel set it). Skipped without a word where the worker lacks Set Voice Channel Status:
    /// the music plays all the same, and a member cannot fix it from a notice.
    private func showVoiceStatus(_ status: String?, in session: SessionKey, by worker: WorkerID) async {
        guard await context.mayShowVoiceStatus(worker, in: session) else {
            context.logger.debug("voice channel status skipped: the worker bot lacks Set Voice Channel Status",
                                 metadata: ["session.key": "\(session)", "worker.id": "\(worker)"])
            return
        }
        do {
            try await context.send(.voiceStatus(VoiceStatusJob(session: session, status: status)), to: worker)
        } catch {
            context.logger.debug("could not send the voice channel status",
                                 metadata: ["session.key": "\(session)", "worker.id": "\(worker)", "error": "\(error)"])
        }
    }

    // MARK: Answers

    /// Answers a command this master did not receive (the acknowledgement came here): the
    /// interaction's first response if it has none yet, else an edit of its deferred one; a text
    /// command in its channel.
    private func answerElsewhere(_ result: CommandResult, session: SessionKey, handle: CommandHandle) async {
        var reply = texts.reply(result, session: session, locale: AnankorCore.DiscordLocale(rawValue: handle.locale))
        if handle.ephemeral { reply.ephemeral = true }
        do {
            if let interaction = handle.interaction, let token = handle.token.map(InteractionToken.init) {
                do {
                    try await context.rest.createInteractionResponse(interactionID: Snowflake(interaction), token: token,
                                                                     .message(reply.message))
                } catch let error as DiscordRESTError where error.status == 400 {
                    // Acknowledged already by the master that took it: fill in its deferred answer.
                    _ = try await context.rest.editOriginalResponse(applicationID: applicationID, token: token,
                                                                    MessageEdit(content: reply.content,
                                                                                allowedMentions: AllowedMentions.none))
                }
            } else if let channel = handle.channel {
                _ = try await context.rest.createMessage(channelID: Snowflake(channel),
                                                         MessageCreate(content: reply.content,
                                                                       allowedMentions: AllowedMentions.none))
            }
        } catch {
            context.logger.warning("could not answer a command on behalf of another master",
                                   metadata: ["session.key": "\(session)", "error": "\(error)"])
        }
    }

    // MARK: Board

    private func refreshBoard(_ session: SessionKey, driver: SessionDriver) async {
        do {
            guard var record = try await driver.record(session, cached: true), record.binding != nil,
                let channel = record.textChannel
            else { return }
            // A message posted but not saved yet is edited, not posted again.
            if record.boardMessage == nil { record.boardMessage = driver.unsavedBoard(session) }
            if let posted = await board.show(record, in: channel), posted != record.boardMessage {
                try await driver.boardPosted(posted, in: session)
            }
        } catch {
            context.logger.warning("could not refresh the now-playing message",
                                   metadata: ["session.key": "\(session)", "error": "\(error)"])
        }
    }

    // MARK: Players nobody should own

    /// Tries per node to end a player a session left.
    static let destroyAttempts = 3

    /// Ends `worker`'s player in the session's guild through Lavalink's REST API (the session ids
    /// it saved), and takes the bot out of voice (Move Members): a lost or replaced worker's
    /// player must not play on next to the new one. Best effort; failures are logged.
    private func destroyPlayer(of worker: WorkerID, in session: SessionKey, driver: SessionDriver) async {
        let guild = session.guild
        let nodes = context.configuration.lavalinkNodes
        let key = ResumeKey(bot: UserID(worker.rawValue), shard: 0)
        let sessions = (try? await context.state.resumeInfo(for: key))?.lavalinkSessions(nodeNames: nodes.map(\.name)) ?? [:]
        for node in nodes {
            guard let id = sessions[node.name] else { continue }
            let rest = LavalinkREST(endpoint: node.endpoint, nodeName: node.name)
            // A few tries, a moment apart: a player left playing is a second bot audible in the
            // channel. What is still missed, the reconciliation pass ends as a stray.
            for attempt in 1...Self.destroyAttempts {
                do {
                    try await rest.destroyPlayer(sessionId: id, guildId: guild.description)
                    break
                } catch let error as LavalinkError where error.status == 404 {
                    break  // no such player or session (any more): nothing plays
                } catch {
                    guard attempt < Self.destroyAttempts, !Task.isCancelled else {
                        context.logger.warning("could not end a player of a worker the session left", metadata: [
                            "worker.id": "\(worker)", "guild.id": "\(guild)", "lavalink.node": "\(node.name)",
                            "error": "\(error)",
                        ])
                        break
                    }
                    try? await context.clock.sleep(for: .milliseconds(500 * attempt))
                }
            }
        }
        // Only when the bot is still in the session's channel (or anywhere in the guild while it
        // is bound nowhere there): a bot that moved on to another session must stay. The
        // reconciliation pass runs on any master; one that does not run the guild's shard has no
        // voice states for it, and then only the bindings tell whether the bot must stay.
        let guildSeen = context.cache.contains(Snowflake(guild.rawValue))
        let voice = context.cache.voiceChannel(of: Snowflake(worker.rawValue), in: Snowflake(guild.rawValue))
        if guildSeen, voice == nil { return }
        let bindings = (try? await context.state.boundSessions(of: worker)) ?? []
        let stays = bindings.contains { binding in
            binding.session.guild == guild && (voice.map { binding.session.channel.rawValue == $0.rawValue } ?? true)
        }
        guard !stays else { return }
        do {
            try await context.rest.disconnectMember(guildID: Snowflake(guild.rawValue), userID: Snowflake(worker.rawValue))
            context.logger.info("took a worker bot out of voice", metadata: ["worker.id": "\(worker)", "guild.id": "\(guild)"])
        } catch let error as DiscordRESTError where error.code == 40032 {
            return  // not in voice (anymore): nothing to do
        } catch {
            context.logger.warning("could not take a worker bot out of voice",
                                   metadata: ["worker.id": "\(worker)", "guild.id": "\(guild)", "error": "\(error)"])
        }
    }

    // MARK: Following listeners

    /// Gives a session that moved on with its listeners to the channel they went to. When that
    /// channel took music of its own meanwhile (the session there refused it and took the bot
    /// out), the channel it came from is told it ended, as any session ended for nobody listening.
    private func handOver(_ carried: SessionRecord, to target: SessionKey, driver: SessionDriver) async {
        let worker = carried.binding?.worker
        do {
            let taken = try await driver.handle(.takeOver(carried), in: target)
            if let worker, taken.binding?.worker == worker { return }
        } catch {
            context.logger.warning("could not hand a session over", metadata: [
                "session.key": "\(carried.session)", "target.key": "\(target)", "error": "\(error)",
            ])
            if let worker { background { await self.destroyPlayer(of: worker, in: target, driver: driver) } }
        }
        guard let channel = carried.textChannel else { return }
        if let message = carried.boardMessage { background { await self.board.retire(message, in: channel) } }
        let text = texts.notice(.leftAlone, session: carried.session, locale: carried.locale ?? .englishUS)
        background { await self.context.post(text, in: channel) }
    }

    // MARK: Autoplay

    /// One track after `last` by `mode` that was not played recently: `AutoplayQuery`'s loads,
    /// best first, until one finds something new (a failed or empty load falls through to the next).
    private func findAutoplay(after last: AnankorCore.Track, mode: AutoplayMode, excluding recent: [AnankorCore.Track],
                              session: SessionKey, driver: SessionDriver) async {
        var pick: AnankorCore.Track?
        let query = AutoplayQuery.choose(mode: mode, last: last, recent: recent.map(\.encoded))
        for identifier in query.identifiers where pick == nil {
            if case .tracks(let found, _) = await context.tracks.resolve(identifier) {
                pick = AutoplayQuery.pick(from: found, last: last, recent: recent)
            }
        }
        do {
            try await driver.handle(.autoplayFound(pick), in: session)
        } catch {
            context.logger.warning("could not queue an autoplay track", metadata: ["session.key": "\(session)", "error": "\(error)"])
        }
    }
}
