import AnankorCore
@testable import AnankorWorker
import DiscordEmulator
import Foundation
import LavalinkEmulator
import Testing

@Suite("Worker: voice and playback against the emulators", .serialized)
struct PlaybackTests {
    @Test("voiceConnect + playbackPlay: the bot joins, Lavalink plays, trackStart/trackEnd carry the entry (replaced → old entry)")
    func connectAndPlay() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                #expect(worker.heldWorker == world.worker)
                let online = try await world.recorder.wait(for: "workerOnline") { $0.workerOnline }
                #expect(online.worker == world.worker && online.guildCount == 1)
                #expect(try await world.state.guilds(of: world.worker) == [GuildID(world.guild)])

                try await world.connect(to: world.music)
                let long = world.entry(try await world.track("emulator:track:first?length=600000"))
                try await world.send(.playbackPlay(PlaybackPlayJob(session: world.session(world.music), entry: long)))
                let started = try await world.recorder.wait(for: "trackStart of the first entry") { $0.trackStart }
                #expect(started.entry == long.id && started.session == world.session(world.music))
                let player = try #require(await world.lavalink.player(guildId: String(world.guild)))
                #expect(player.encodedTrack == long.track.encoded)
                #expect(player.userId == String(world.bot.userID))
                #expect(player.voiceConnected && player.voice.channelId == String(world.music))

                // A new play replaces the running track: the end names the old entry, the start the new.
                let short = world.entry(try await world.track("emulator:track:second?length=3000"))
                try await world.send(.playbackPlay(PlaybackPlayJob(session: world.session(world.music), entry: short)))
                let replaced = try await world.recorder.wait(for: "trackEnd replaced") { $0.trackEnd }
                #expect(replaced.entry == long.id && replaced.reason == .replaced)
                try await world.recorder.wait(for: "trackStart of the second entry") {
                    $0.trackStart.flatMap { $0.entry == short.id ? $0 : nil }
                }

                await world.lavalink.advance(byMilliseconds: 3_500)
                let finished = try await world.recorder.wait(for: "trackEnd finished") {
                    $0.trackEnd.flatMap { $0.reason == .finished ? $0 : nil }
                }
                #expect(finished.entry == short.id && finished.session == world.session(world.music))
            }
        }
    }

    @Test("playerUpdate: pause, seek, volume, filter preset, clear filters, stop reach the Lavalink player")
    func playerControls() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let entry = world.entry(try await world.track("emulator:track:controls?length=600000"))
                let session = world.session(world.music)
                try await world.send(.playbackPlay(PlaybackPlayJob(session: session, entry: entry, volume: 80)))
                try await world.recorder.wait(for: "trackStart") { $0.trackStart }
                func player() async -> PlayerSnapshot? { await world.lavalink.player(guildId: String(world.guild)) }

                try await world.send(.playerUpdate(PlayerUpdateJob(session: session, paused: true, positionMs: 42_000, volume: 55)))
                try await eventually("paused at 42 s with volume 55") {
                    guard let player = await player() else { return false }
                    return player.paused && player.position == 42_000 && player.volume == 55
                }
                try await world.send(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "nightcore")))
                try await eventually("the nightcore filters") {
                    await player()?.filters["timescale"]?["speed"]?.doubleValue == 1.2
                }
                try await world.send(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "none")))
                try await eventually("filters cleared") { await player()?.filters["timescale"] == nil }
                try await world.send(.playerUpdate(PlayerUpdateJob(session: session, paused: false)))
                try await eventually("resumed") { await player()?.paused == false }
                try await world.send(.playerUpdate(PlayerUpdateJob(session: session, stop: true)))
                try await eventually("stopped: no track") { await player()?.encodedTrack == nil }
                let stopped = try await world.recorder.wait(for: "trackEnd stopped") {
                    $0.trackEnd.flatMap { $0.reason == .stopped ? $0 : nil }
                }
                #expect(stopped.entry == entry.id)

                // An unknown preset is reported, not executed.
                let bad = try await world.send(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: "loudness war")))
                let failure = try await world.recorder.wait(for: "jobFailed for the unknown preset") {
                    $0.jobFailed.flatMap { $0.job == bad ? $0 : nil }
                }
                #expect(failure.jobKind == PlayerUpdateJob.kind && failure.reason.contains("unknown filter preset"))
            }
        }
    }

    @Test("a moderator move reports movedTo and keeps playing there; a kick reports byRemote and leaves no player")
    func movedAndKicked() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let entry = world.entry(try await world.track("emulator:track:moved?length=600000"))
                try await world.send(.playbackPlay(PlaybackPlayJob(session: world.session(world.music), entry: entry)))
                try await world.recorder.wait(for: "trackStart") { $0.trackStart }

                try await world.discord.setVoiceChannel(of: world.bot.userID, in: world.guild, to: world.lounge)
                let moved = try await world.recorder.wait(for: "voiceDisconnected with movedTo") {
                    $0.voiceDisconnected.flatMap { $0.movedTo != nil ? $0 : nil }
                }
                #expect(moved.session == world.session(world.music))
                #expect(moved.movedTo == ChannelID(world.lounge) && moved.byRemote)
                try await eventually("Lavalink plays in the new channel") {
                    guard let player = await world.lavalink.player(guildId: String(world.guild)) else { return false }
                    return player.voice.channelId == String(world.lounge) && player.encodedTrack == entry.track.encoded
                }

                let before = world.recorder.all.count
                try await world.discord.setVoiceChannel(of: world.bot.userID, in: world.guild, to: nil)
                let kicked = try await world.recorder.wait(for: "voiceDisconnected after the kick", after: before) {
                    $0.voiceDisconnected
                }
                #expect(kicked.session == world.session(world.lounge) && kicked.byRemote && kicked.movedTo == nil)
                try await eventually("no player left in Lavalink") {
                    await world.lavalink.player(guildId: String(world.guild)) == nil
                }
                // The session is forgotten: playing there now is refused, not attempted.
                let play = try await world.send(.playbackPlay(PlaybackPlayJob(session: world.session(world.lounge), entry: entry)))
                try await world.recorder.wait(for: "jobFailed for a play without voice") {
                    $0.jobFailed.flatMap { $0.job == play ? $0 : nil }
                }
            }
        }
    }

    @Test("Lavalink's voice close is reported with its code (4014 is left to the gateway); connecting again restores it")
    func voiceClosed() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let before = world.recorder.all.count
                let guild = String(world.guild)
                #expect(await world.lavalink.closeVoice(guildId: guild, code: 4014, reason: "Disconnected."))
                #expect(await world.lavalink.closeVoice(guildId: guild, code: 4006, reason: "Session is no longer valid."))
                let closed = try await world.recorder.wait(for: "voiceDisconnected 4006", after: before) {
                    $0.voiceDisconnected
                }
                // Events arrive in order, so a 4014 report would have come first.
                #expect(closed.code == 4006 && closed.byRemote && closed.session == world.session(world.music))
                #expect(await world.lavalink.player(guildId: guild)?.voiceConnected == false)
                try await world.connect(to: world.music)
            }
        }
    }

    @Test("voiceLeave destroys the player and leaves; the leave is not reported as a kick")
    func leave() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let before = world.recorder.all.count
                try await world.send(.voiceLeave(VoiceLeaveJob(session: world.session(world.music), reason: .requested)))
                try await eventually("the bot left voice") {
                    await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == nil
                }
                try await eventually("no player left") { await world.lavalink.player(guildId: String(world.guild)) == nil }
                // Join again and get kicked: the gateway delivers in order, so once the kick is
                // reported the leave's own VOICE_STATE_UPDATE was handled before it.
                try await world.connect(to: world.lounge)
                try await world.discord.setVoiceChannel(of: world.bot.userID, in: world.guild, to: nil)
                try await world.recorder.wait(for: "the kick", after: before) { $0.voiceDisconnected }
                let reported = world.recorder.all.dropFirst(before).compactMap(\.voiceDisconnected)
                #expect(reported.count == 1 && reported.first?.session == world.session(world.lounge))
            }
        }
    }

    @Test("a connect sent right behind a leave joins again and plays: the leave's own late voice event is not a kick")
    func connectRightAfterLeave() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                try await world.connect(to: world.music)
                let before = world.recorder.all.count
                let session = world.session(world.music)
                // Back to back, as the master sends them for /leave followed at once by /play.
                let leave = try await world.send(.voiceLeave(VoiceLeaveJob(session: session, reason: .requested)))
                let connect = try await world.send(.voiceConnect(VoiceConnectJob(session: session,
                                                                                textChannel: ChannelID(world.text))))
                let entry = world.entry(try await world.track("emulator:track:again?length=600000"))
                let play = try await world.send(.playbackPlay(PlaybackPlayJob(session: session, entry: entry)))
                #expect(try await world.recorder.answer(to: leave, "the leave").jobAcked != nil)
                let joined = try await world.recorder.answer(to: connect, "the connect")
                #expect(joined.jobAcked != nil, "the connect was answered \(joined)")
                let played = try await world.recorder.answer(to: play, "the play")
                #expect(played.jobAcked != nil, "the play was answered \(played)")
                let started = try await world.recorder.wait(for: "the track starts", after: before) { $0.trackStart }
                #expect(started.entry == entry.id)
                #expect(await world.discord.voiceChannel(of: world.bot.userID, in: world.guild) == world.music)
                let player = try #require(await world.lavalink.player(guildId: String(world.guild)))
                #expect(player.voiceConnected && player.encodedTrack == entry.track.encoded)
                #expect(world.recorder.all.dropFirst(before).compactMap(\.voiceDisconnected).isEmpty)
            }
        }
    }
}
