import AnankorCore
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
        await voice.voiceDelivered(guild: guild, state)
        #expect(await voice.attempts.wait(for: attempt, timeout: .seconds(5)) == .connected)
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

    @Test("a join nobody confirms times out and asks to leave; a result that comes first is kept")
    func joinTimeout() async {
        let voice = VoiceSessions(sessionsMeter: Meter(label: "test_sessions"))
        let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))
        guard case .join(let attempt) = await voice.beginConnect(session, textChannel: nil, selfDeaf: true) else {
            Issue.record("expected a join")
            return
        }
        #expect(await voice.attempts.wait(for: attempt, timeout: .milliseconds(20)) == nil)
        #expect(await voice.abandonConnect(session.guild, attempt: attempt) == .leave)
        #expect(await voice.count == 0)

        let waiters = AttemptWaiters<Int>()
        let early = waiters.makeAttempt()
        waiters.resolve(early, with: 7)
        #expect(await waiters.wait(for: early, timeout: .seconds(5)) == 7)
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
