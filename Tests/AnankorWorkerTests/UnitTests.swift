import AnankorCore
import AnankorTesting
@testable import AnankorWorker
import DiscordKit
import Foundation
import LavalinkKit
import Metrics
import Testing

@Suite("Worker: pure parts")
struct UnitTests {
    @Test("the worker id is read from the token's first part (base64 of the user id)")
    func workerIDFromToken() {
        let id: UInt64 = 1_311_527_645_123_456_789
        let head = Data(String(id).utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(BotIdentity.workerID(fromToken: BotToken("\(head).GxYz12.c2VjcmV0LXBhcnQ")) == WorkerID(id))
        #expect(BotIdentity.workerID(fromToken: BotToken("Bot \(head).a.b")) == WorkerID(id))
        #expect(BotIdentity.workerID(fromToken: BotToken("not-a-token")) == nil)
        #expect(BotIdentity.workerID(fromToken: BotToken(Data("alice".utf8).base64EncodedString() + ".x.y")) == nil)
        #expect(BotIdentity.workerID(fromToken: BotToken("")) == nil)
    }

    @Test("filter presets by the names the master sends")
    func presetNames() {
        #expect(FilterPreset(named: "none") == .off)
        #expect(FilterPreset(named: "off") == .off)
        #expect(FilterPreset(named: "Bass Boost") == .bassBoost)
        #expect(FilterPreset(named: "bass_boost") == .bassBoost)
        #expect(FilterPreset(named: "nightcore") == .nightcore)
        #expect(FilterPreset(named: "8D") == .eightD)
        #expect(FilterPreset(named: "eightd") == .eightD)
        #expect(FilterPreset(named: "loudness war") == nil)
    }

    @Test("the same track queued twice: a replaced end names the old entry, the start the new one")
    func sameTrackTwice() async {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))
        guard case .join(let attempt) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("expected a join")
            return
        }
        voice.attempts.discard(attempt)
        let first = QueueEntryID("first")
        let second = QueueEntryID("second")
        _ = await voice.recordPlay(guild: session.guild, encoded: "QAAA", entry: first)
        #expect(await voice.trackStarted(guild: session.guild, encoded: "QAAA", userDataEntry: nil)?.1 == first)
        _ = await voice.recordPlay(guild: session.guild, encoded: "QAAA", entry: second)
        #expect(await voice.trackEnded(guild: session.guild, encoded: "QAAA", userDataEntry: nil)?.1 == first)
        #expect(await voice.trackStarted(guild: session.guild, encoded: "QAAA", userDataEntry: nil)?.1 == second)
        #expect(await voice.trackEntry(guild: session.guild, encoded: "QAAA", userDataEntry: nil)?.1 == second)
        // userData, when the node echoes it, wins.
        #expect(await voice.trackEnded(guild: session.guild, encoded: "other", userDataEntry: second)?.1 == second)
    }

    @Test("voice events: a join is confirmed, a moderator move is reported, a leave nobody asked for is a kick")
    func voiceDecisions() async {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let guild = GuildID(10)
        let session = SessionKey(guild: guild, channel: ChannelID(20))
        guard case .join(let attempt) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("expected a join")
            return
        }
        #expect(await voice.botVoiceState(guild: guild, channel: ChannelID(20), sessionID: "s1") == .none)
        guard case .sendVoice(let state) = await voice.botVoiceServer(guild: guild, token: "t1", endpoint: "voice.example:443")
        else {
            Issue.record("expected the voice state")
            return
        }
        #expect(state.channelId == "20" && state.sessionId == "s1")
        await voice.voiceDelivered(guild: guild, state, closesBefore: await voice.deliveryStart(guild: guild))
        #expect(await voice.attempts.wait(for: attempt, timeout: .seconds(5), on: DiscordTimeSource(clock: ManualClock()))
            == .connected)
        #expect(await voice.beginConnect(session, textChannel: nil, selfDeaf: true) == .alreadyConnected)

        guard case .moved(let from, let to, _) = await voice.botVoiceState(guild: guild, channel: ChannelID(30), sessionID: "s1")
        else {
            Issue.record("expected a move")
            return
        }
        #expect(from == session && to == ChannelID(30))
        #expect(await voice.session(in: guild) == SessionKey(guild: guild, channel: ChannelID(30)))
        #expect(await voice.botVoiceState(guild: guild, channel: nil, sessionID: "s1")
            == .kicked(SessionKey(guild: guild, channel: ChannelID(30))))
        #expect(await voice.count == 0)
        #expect(await voice.botVoiceState(guild: guild, channel: nil, sessionID: "s1") == .none)
    }

    @Test("Lavalink closing the voice while a delivery is on its way: the close stands, the join fails, the next connect joins again")
    func closeDuringDelivery() async {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let guild = GuildID(10)
        let session = SessionKey(guild: guild, channel: ChannelID(20))
        let time = DiscordTimeSource(clock: ManualClock())
        guard case .join(let attempt) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("expected a join")
            return
        }
        #expect(!(await voice.joinConfirmed(session)), "op 4 sent, Discord has not answered")
        _ = await voice.botVoiceState(guild: guild, channel: ChannelID(20), sessionID: "s1")
        guard case .sendVoice(let state) = await voice.botVoiceServer(guild: guild, token: "t1", endpoint: "voice.example:443")
        else {
            Issue.record("expected the voice state")
            return
        }
        #expect(await voice.joinConfirmed(session), "Discord confirmed; only Lavalink's half is left")
        #expect(!(await voice.joinConfirmed(SessionKey(guild: guild, channel: ChannelID(21)))))
        let closesBefore = await voice.deliveryStart(guild: guild)
        await voice.voiceConnectionClosed(guild: guild)  // the close overtakes the PATCH's answer
        await voice.voiceDelivered(guild: guild, state, closesBefore: closesBefore)
        #expect(await voice.attempts.wait(for: attempt, timeout: .seconds(5), on: time)
            == .failed("Lavalink closed the voice connection while it was joining"))
        guard case .join(let again) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("a connect after the close must join again, not count as already connected")
            return
        }
        // The rejoin of the same channel hands over the voice state it has; delivered, it connects.
        guard case .sendVoice(let rejoined) = await voice.botVoiceState(guild: guild, channel: ChannelID(20), sessionID: "s1")
        else {
            Issue.record("expected the voice state on the rejoin")
            return
        }
        await voice.voiceDelivered(guild: guild, rejoined, closesBefore: await voice.deliveryStart(guild: guild))
        #expect(await voice.attempts.wait(for: again, timeout: .seconds(5), on: time) == .connected)
        #expect(await voice.beginConnect(session, textChannel: nil, selfDeaf: true) == .alreadyConnected)
    }

    @Test("a leave of the channel the bot is moving away from is stale: the move asked after it goes on")
    func leaveWhileMoving() async {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let guild = GuildID(10)
        let lounge = SessionKey(guild: guild, channel: ChannelID(20))
        let karaoke = SessionKey(guild: guild, channel: ChannelID(30))
        #expect(!(await voice.isStaleLeave(lounge)), "no session: nothing to keep")
        if case .join(let attempt) = await voice.beginConnect(lounge, textChannel: nil, selfDeaf: true) {
            voice.attempts.discard(attempt)
        }
        _ = await voice.botVoiceState(guild: guild, channel: ChannelID(20), sessionID: "s1")
        #expect(!(await voice.isStaleLeave(lounge)), "in the channel: the leave is carried out")
        if case .join(let attempt) = await voice.beginConnect(karaoke, textChannel: nil, selfDeaf: true) {
            voice.attempts.discard(attempt)
        }
        #expect(await voice.isStaleLeave(lounge), "moving to another channel: the leave would fail the move")
        _ = await voice.botVoiceState(guild: guild, channel: ChannelID(30), sessionID: "s1")
        #expect(await voice.isStaleLeave(lounge))
        #expect(!(await voice.isStaleLeave(karaoke)))
    }

    @Test("a join nobody confirms times out and asks to leave; a result that comes first is kept")
    func joinTimeout() async throws {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))
        guard case .join(let attempt) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("expected a join")
            return
        }
        let clock = ManualClock()
        let time = DiscordTimeSource(clock: clock)
        let waiting = Task { await voice.attempts.wait(for: attempt, timeout: .seconds(10), on: time) }
        try await advance(clock, by: .seconds(10), whenSleepers: 1)
        #expect(await waiting.value == nil)
        #expect(await voice.abandonConnect(session.guild, attempt: attempt) == .leave)
        #expect(await voice.count == 0)

        let waiters = AttemptWaiters<Int>()
        let early = waiters.makeAttempt()
        waiters.resolve(early, with: 7)
        #expect(await waiters.wait(for: early, timeout: .seconds(5), on: time) == 7)
    }

    @Test("a latch waited on with a timeout: opened in time it passes, else it gives up when the clock says so")
    func latchTimeout() async throws {
        let clock = ManualClock()
        let time = DiscordTimeSource(clock: clock)
        let latch = Latch()
        let early = Task { await latch.wait(upTo: .seconds(4), on: time) }
        try await advance(clock, by: .seconds(3), whenSleepers: 1)
        #expect(clock.sleeperCount == 1)  // 3 s of 4: still waiting
        latch.open()
        #expect(await early.value)

        let closed = Latch()
        let late = Task { await closed.wait(upTo: .seconds(4), on: time) }
        try await advance(clock, by: .seconds(4), whenSleepers: 1)
        #expect(await late.value == false)

        // Cancelled: returns at once, closed.
        let cancelled = Task { await closed.wait(upTo: .seconds(60), on: time) }
        try await clock.waitForSleepers(1)
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(clock.sleeperCount == 0)
    }

    @Test("music job answers are stored with the claim; an empty result (older workers) reads as acknowledged")
    func answersStored() {
        #expect(JobAnswer(stored: JobAnswer.acked.stored) == .acked)
        #expect(JobAnswer(stored: []) == .acked)
        let failed = JobAnswer.failed(reason: "the worker is not in voice in guild 1; connect first", missingPermission: false)
        #expect(JobAnswer(stored: failed.stored) == failed)
        let permission = JobAnswer.failed(reason: "missing permission: 50013", missingPermission: true)
        #expect(JobAnswer(stored: permission.stored) == permission)
        let long = JobAnswer.failed(reason: String(repeating: "x", count: 100_000), missingPermission: false)
        #expect(long.stored.count <= IdempotencyKey.maxResultBytes)
        let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))
        let envelope = JobEnvelope(id: EnvelopeID(sessionJob: SessionJobID("1:2#7")),
                                   body: .playerUpdate(PlayerUpdateJob(session: session, volume: 55)), createdAt: Date())
        guard case .jobAcked(let acked) = JobAnswer.acked.event(for: envelope, session: session) else {
            Issue.record("expected jobAcked")
            return
        }
        #expect(acked == JobAckedEvent(job: envelope.id, jobKind: PlayerUpdateJob.kind, session: session))
        guard case .jobFailed(let event) = permission.event(for: envelope, session: session) else {
            Issue.record("expected jobFailed")
            return
        }
        #expect(event.job == envelope.id && event.session == session && event.missingPermission
            && event.reason == "missing permission: 50013" && event.guild == session.guild)
    }

    @Test("events during adoption are held in order and bounded, then drained before the reader delivers again")
    func adoptionHold() {
        func end(_ guild: String, _ reason: LavalinkKit.TrackEndReason = .finished) -> PlayerEvent {
            let info = LavalinkKit.TrackInfo(identifier: guild, isSeekable: true, author: "a", length: 1000, isStream: false,
                                             position: 0, title: "t", uri: nil, artworkUrl: nil, isrc: nil, sourceName: "x")
            return PlayerEvent(guildId: guild, kind: .trackEnd(LavalinkKit.Track(encoded: "t-\(guild)", info: info),
                                                                reason: reason))
        }
        let hold = AdoptionHold(holding: true, capacity: 3)
        let first = hold.admit(end("1"))
        #expect(!first.deliverNow && first.droppedSoFar == nil)
        _ = hold.admit(end("2"))
        _ = hold.admit(end("3"))
        let overflow = hold.admit(end("4"))
        #expect(!overflow.deliverNow && overflow.droppedSoFar == 1)
        // The adopter takes what is held, oldest first; more arrives meanwhile and is held too.
        #expect(hold.drain(adopted: true)?.map(\.guildId) == ["2", "3", "4"])
        #expect(!hold.admit(end("5")).deliverNow)
        #expect(hold.drain(adopted: true)?.map(\.guildId) == ["5"])
        #expect(hold.drain(adopted: true) == nil)
        #expect(hold.admit(end("6")).deliverNow)
        // Adopted: a later resumed `ready` (a reconnect) does not hold again.
        hold.resumedReady()
        #expect(hold.admit(end("7")).deliverNow)

        // Given up (node unreachable) rather than adopted: a late resumed `ready` holds again.
        let late = AdoptionHold(holding: true)
        #expect(late.drain(adopted: false) == nil)
        #expect(late.admit(end("1")).deliverNow)
        late.resumedReady()
        #expect(!late.admit(end("2")).deliverNow)

        // A node that resumes nothing holds nothing.
        #expect(AdoptionHold(holding: false).admit(end("1")).deliverNow)

        // A player rebuilt on another node: its old copy's ends count, not the cleanup of our destroy.
        #expect(AdoptionHold.reportsHeldEventOfRebuiltPlayer(end("1", .finished)))
        #expect(!AdoptionHold.reportsHeldEventOfRebuiltPlayer(end("1", .cleanup)))
        #expect(!AdoptionHold.reportsHeldEventOfRebuiltPlayer(
            PlayerEvent(guildId: "1", kind: .webSocketClosed(code: 4006, reason: "x", byRemote: true))))
    }


    @Test("Lavalink session ids by node round-trip through the resume record; a bare id is the first node's")
    func resumeRecords() {
        let encoded = ResumeRecords.encodeLavalink(["main": "abc", "eu": "def"])
        let info = ResumeInfo(lavalinkSessionID: encoded, updatedAt: Date())
        #expect(ResumeRecords.lavalinkSessions(info, nodeNames: ["main", "eu"]) == ["main": "abc", "eu": "def"])
        #expect(ResumeRecords.lavalinkSessions(info, nodeNames: ["main"]) == ["main": "abc"])
        let bare = ResumeInfo(lavalinkSessionID: "xyz", updatedAt: Date())
        #expect(ResumeRecords.lavalinkSessions(bare, nodeNames: ["main", "eu"]) == ["main": "xyz"])
        #expect(ResumeRecords.gatewayState(ResumeInfo(gatewaySessionID: "s", sequence: 4, resumeGatewayURL: "wss://r",
                                                      updatedAt: Date()))
            == GatewayResumeState(sessionID: "s", sequence: 4, resumeURL: "wss://r"))
        #expect(ResumeRecords.gatewayState(ResumeInfo(updatedAt: Date())) == nil)
    }

    @Test("errors sort into refused (reported) and transient (redelivered)")
    func classification() {
        let forbidden = DiscordRESTError(kind: .http, route: "POST /channels/:channel/messages", status: 403, code: 50013,
                                         message: "Missing Permissions")
        // A missing permission is refused and marked so, for the master to tell members what to fix.
        #expect(JobFailure.classify(forbidden) == .refused(JobFailure.missingPermissionPrefix + forbidden.description))
        #expect(JobFailure.classify(forbidden).isMissingPermission)
        let notFound = DiscordRESTError(kind: .http, route: "GET /x", status: 404, code: 10003, message: "Unknown Channel")
        #expect(JobFailure.classify(notFound) == .refused(notFound.description))
        #expect(!JobFailure.classify(notFound).isMissingPermission)
        let unavailable = DiscordRESTError(kind: .http, route: "GET /x", status: 503, message: "down")
        guard case .transient = JobFailure.classify(unavailable) else {
            Issue.record("a 503 is transient")
            return
        }
        guard case .transient = JobFailure.classify(LavalinkError(.notConnected, "reconnecting")) else {
            Issue.record("a reconnecting node is transient")
            return
        }
        guard case .refused = JobFailure.classify(LavalinkError(.server, "bad track", status: 400)) else {
            Issue.record("a 400 is refused")
            return
        }
        guard case .transient = JobFailure.classify(GatewayError(code: .notConnected, closeCode: nil, message: "x")) else {
            Issue.record("a gateway between connections is transient")
            return
        }
    }
}

/// Advances `clock` once `count` tasks sleep on it, so the advance is not lost on a sleeper that
/// has not started yet.
func advance(_ clock: ManualClock, by duration: Duration, whenSleepers count: Int) async throws {
    try await clock.waitForSleepers(count)
    clock.advance(by: duration)
}
