import AnankorCore
import AnankorTesting
@testable import AnankorWorker
import DiscordEmulator
import Foundation
import LavalinkEmulator
import Testing

/// Every music job gets exactly one answer: `jobAcked` once it took effect, `jobFailed` with a
/// reason otherwise; the masters answer members only on these.
@Suite("Worker: music jobs acknowledged once they take effect", .serialized)
struct AcknowledgementTests {
    /// Session job envelope ids, as the masters derive them.
    private static func jobID(_ counter: Int) -> EnvelopeID {
        EnvelopeID(sessionJob: SessionJobID("ack-tests#\(counter)"))
    }

    @Test("connect, play, pause, seek, volume, filter, stop and leave are each acknowledged once, after the effect")
    func acknowledgedAfterEffect() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let session = world.session(world.music)
                func player() async -> PlayerSnapshot? { await world.lavalink.player(guildId: String(world.guild)) }
                var sent: [EnvelopeID] = []
                func acked(_ job: Job, _ number: Int, _ what: String) async throws -> JobAckedEvent {
                    let id = try await world.send(job, id: Self.jobID(number))
                    sent.append(id)
                    let answer = try await world.recorder.answer(to: id, what)
                    let acked = try #require(answer.jobAcked, "\(what) was answered \(answer)")
                    #expect(acked.session == session && acked.jobKind == job.kind)
                    return acked
                }

                _ = try await acked(.voiceConnect(VoiceConnectJob(session: session, textChannel: ChannelID(world.text))),
                                    1, "connect")
                // Acknowledged only once the bot is in the channel and Lavalink has its voice server.
                #expect(await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == world.music)
                #expect(await player()?.voice.channelId == String(world.music))
                #expect(await player()?.voice.token.isEmpty == false)

                let entry = world.entry(try await world.track("emulator:track:acked?length=600000"))
                _ = try await acked(.playbackPlay(PlaybackPlayJob(session: session, entry: entry, volume: 80)), 2, "play")
                #expect(await player()?.encodedTrack == entry.track.encoded)

                _ = try await acked(.playerUpdate(PlayerUpdateJob(session: session, paused: true)), 3, "pause")
                #expect(await player()?.paused == true)
                _ = try await acked(.playerUpdate(PlayerUpdateJob(session: session, positionMs: 42_000)), 4, "seek")
                #expect(await player()?.position == 42_000)
                _ = try await acked(.playerUpdate(PlayerUpdateJob(session: session, volume: 55)), 5, "volume")
                #expect(await player()?.volume == 55)
                _ = try await acked(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "nightcore")), 6, "filter")
                #expect(await player()?.filters["timescale"]?["speed"]?.doubleValue == 1.2)
                _ = try await acked(.playerUpdate(PlayerUpdateJob(session: session, stop: true)), 7, "stop")
                #expect(await player()?.encodedTrack == nil)
                // A connect to the channel the bot is in already took effect: acknowledged at once.
                _ = try await acked(.voiceConnect(VoiceConnectJob(session: session)), 8, "connect again")

                _ = try await acked(.voiceLeave(VoiceLeaveJob(session: session, reason: .requested)), 9, "leave")
                #expect(await player() == nil)
                try await eventually("the bot left voice") {
                    await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == nil
                }

                // Exactly one answer each, none a failure; nothing left pending on the bus.
                try await eventually("every job is off the bus") {
                    try await world.bus.pendingCounts(in: .jobs(world.worker)).values.reduce(0, +) == 0
                }
                for id in sent { #expect(world.recorder.answers(to: id).count == 1) }
                #expect(world.recorder.all.compactMap(\.jobFailed).isEmpty)
            }
        }
    }

    @Test("what cannot be carried out is answered jobFailed with its reason, once, and never acknowledged")
    func failuresAnswered() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let session = world.session(world.music)
                let entry = world.entry(try await world.track("emulator:track:refused?length=600000"))
                func failed(_ job: Job, _ number: Int, _ what: String) async throws -> JobFailedEvent {
                    let id = try await world.send(job, id: Self.jobID(100 + number))
                    let answer = try await world.recorder.answer(to: id, what)
                    let failed = try #require(answer.jobFailed, "\(what) was answered \(answer)")
                    #expect(failed.jobKind == job.kind && failed.session == job.session && !failed.reason.isEmpty)
                    return failed
                }
                let notInVoice = try await failed(.playbackPlay(PlaybackPlayJob(session: session, entry: entry)), 1,
                                                  "play before any connect")
                #expect(notInVoice.reason.contains("not in voice"))
                let noPlayer = try await failed(.playerUpdate(PlayerUpdateJob(session: session, volume: 30)), 2,
                                                "volume before any connect")
                #expect(noPlayer.reason.contains("not in voice"))
                let elsewhere = SessionKey(guild: GuildID(777), channel: ChannelID(778))
                let notMember = try await failed(.voiceConnect(VoiceConnectJob(session: elsewhere)), 3,
                                                 "connect in a guild the bot is not in")
                #expect(notMember.reason.contains("not a member"))

                try await world.connect(to: world.music)
                let unknown = try await failed(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "warp-drive")), 4,
                                               "an unknown filter")
                #expect(unknown.reason.contains("unknown filter preset"))
                let wrongChannel = try await failed(
                    .playbackPlay(PlaybackPlayJob(session: world.session(world.lounge), entry: entry)), 5,
                    "play for a channel the bot is not in")
                #expect(wrongChannel.reason.contains("not \(world.lounge)"))

                try await eventually("every job is off the bus") {
                    try await world.bus.pendingCounts(in: .jobs(world.worker)).values.reduce(0, +) == 0
                }
                for number in 1...5 {
                    let answers = world.recorder.answers(to: Self.jobID(100 + number))
                    #expect(answers.count == 1 && answers.allSatisfy { $0.jobFailed != nil })
                }
                #expect(await world.lavalink.player(guildId: String(world.guild))?.encodedTrack == nil)
            }
        }
    }

    @Test("a join Discord never confirms is answered jobFailed when the worker's clock passes voiceConnectTimeout")
    func joinTimesOut() async throws {
        try await WorkerWorld.with { world in
            // Like Discord, the emulator does not answer a join without Connect.
            let locked = try await world.discord.createChannel(
                in: world.guild, name: "Locked", type: .voice,
                overwrites: [EmulatedOverwrite(id: world.bot.userID, kind: .member, deny: EmulatedPermission.connect)])
            let clock = ManualClock()
            let worker = world.makeWorker(clock: clock)
            try await world.running(worker) {
                let id = try await world.send(.voiceConnect(VoiceConnectJob(session: world.session(locked))),
                                              id: Self.jobID(200))
                // Nothing answers while the clock stands still; 10 s on it later, the job fails.
                try await eventually("the join waits on the worker's clock") {
                    clock.deadlines.contains { $0.offset == .seconds(10) }
                }
                #expect(world.recorder.answers(to: id).isEmpty)
                clock.advance(by: .seconds(10))
                let answer = try await world.recorder.answer(to: id, "the locked join")
                let failed = try #require(answer.jobFailed)
                #expect(failed.reason.contains("did not confirm joining"))
                #expect(await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == nil)
                #expect(world.recorder.answers(to: id).count == 1)
            }
        }
    }

    @Test("a redelivered job (same envelope id) does not act twice but is acknowledged again")
    func redeliveryAnsweredAgain() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let session = world.session(world.music)
                let entry = world.entry(try await world.track("emulator:track:twice?length=600000"))
                let play = Job.playbackPlay(PlaybackPlayJob(session: session, entry: entry))
                let id = try await world.send(play, id: Self.jobID(300))
                try #require(try await world.recorder.answer(to: id, "the play").jobAcked != nil)
                try await world.send(play, id: id)
                try await eventually("the copy is answered too") { world.recorder.answers(to: id).count == 2 }
                #expect(world.recorder.answers(to: id).allSatisfy { $0.jobAcked?.job == id })
                // One start of that entry: the copy did not play it again.
                let starts = await world.lavalink.trackStarts().filter { $0.title == entry.track.title }
                #expect(starts.count == 1)

                // A failed job redelivered is answered with the same failure, not retried.
                let wrong = Job.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "warp-drive"))
                let failedID = try await world.send(wrong, id: Self.jobID(301))
                let first = try #require(try await world.recorder.answer(to: failedID, "the bad filter").jobFailed)
                try await world.send(wrong, id: failedID)
                try await eventually("the failure is answered again") { world.recorder.answers(to: failedID).count == 2 }
                #expect(world.recorder.answers(to: failedID).last?.jobFailed?.reason == first.reason)
            }
        }
    }
    @Test("a music job handed over from a holder that died acts only while its session still awaits it; no claim store")
    func handedOverOnlyWhileAwaited() async throws {
        try await WorkerWorld.with(reclaimIdle: .milliseconds(300)) { world in
            let music = world.session(world.music), lounge = world.session(world.lounge)
            let awaitedID = SessionJobID(session: music, incarnation: 1, number: 1)
            // The master's record of Music still waits for its connect job; Lounge's record has
            // no pending job (its deadline answered the member already).
            var record = SessionRecord(session: music, now: Date())
            record.version = 1
            record.pending = [PendingJob(id: awaitedID, worker: world.worker, job: .connect(textChannel: ChannelID(world.text)),
                                         deadline: Date().addingTimeInterval(60), held: false, waiting: nil)]
            #expect(try await world.state.saveSessionRecord(record, due: nil))
            var answeredRecord = SessionRecord(session: lounge, now: Date())
            answeredRecord.version = 1
            #expect(try await world.state.saveSessionRecord(answeredRecord, due: nil))
            let awaited = try await world.send(.voiceConnect(VoiceConnectJob(session: music, textChannel: ChannelID(world.text))),
                                               id: EnvelopeID(sessionJob: awaitedID))
            let stale = try await world.send(.voiceConnect(VoiceConnectJob(session: lounge, textChannel: ChannelID(world.text))),
                                             id: EnvelopeID(sessionJob: SessionJobID(session: lounge, incarnation: 1, number: 1)))
            // A holder of the token took both and died without acknowledging them.
            let taken = try await world.bus.receiveJobs(for: world.worker, as: ConsumerName("consumer-died"), limit: 10,
                                                        waitingUpTo: .zero)
            #expect(taken.count == 2)

            let worker = world.makeWorker()
            try await world.running(worker) {
                let answer = try await world.recorder.answer(to: awaited, "the connect still awaited")
                #expect(answer.jobAcked != nil, "\(answer)")
                #expect(await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == world.music)
                try await eventually("both copies were handled") {
                    try await world.bus.pendingCounts(in: .jobs(world.worker)).values.reduce(0, +) == 0
                }
                // Handled and acknowledged: the copy nobody waits for did not act and got no answer.
                #expect(world.recorder.answers(to: stale).isEmpty)
                #expect(await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == world.music)
                #expect(try await world.bus.deadLetters(in: .jobs(world.worker), limit: 10).isEmpty)
            }
            // No claim store round trip: the job id is unclaimed for anyone who asks.
            let key = try #require(IdempotencyKey.job(awaited.description))
            let claim = try await world.ledger.claim(key, lease: .seconds(1), now: Date())
            if case .claimed = claim {} else { Issue.record("the worker claimed the music job: \(claim)") }
        }
    }
}
