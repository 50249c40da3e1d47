import Foundation
import LavalinkEmulator
import Testing

@testable import LavalinkKit

@Suite("LavalinkKit against the Lavalink emulator: playback")
struct PlaybackIntegrationTests {
    /// Joins voice through the bridge (in the given order) and returns the voice update it produced.
    func joinVoice(serverFirst: Bool) throws -> LavalinkKit.VoiceState {
        var bridge = VoiceBridge()
        let actions = serverFirst
            ? [bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media"),
               bridge.voiceStateUpdate(sessionId: "sess", channelId: "555")]
            : [bridge.voiceStateUpdate(sessionId: "sess", channelId: "555"),
               bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media")]
        #expect(actions.first == .wait)
        guard case .sendVoice(let voice)? = actions.last else { throw TimedOut(description: "bridge sent nothing") }
        return voice
    }

    @Test(arguments: [true, false])
    func playsToTheEndWithVoiceFromTheBridge(serverFirst: Bool) async throws {
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "100", PlayerUpdate(voice: try joinVoice(serverFirst: serverFirst)))
                let voice = try #require(await emulator.player(guildId: "100")).voice
                #expect(voice.channelId == "555" && voice.sessionId == "sess" && voice.token == "tok")

                let track = try #require(try await pool.loadTracks("emulator:track:song?length=10000").tracks.first)
                try await pool.update(guildId: "100", .play(track))
                try await waitFor("TrackStart", in: log) { $0.playerEvent?.startedTitle == track.info.title }
                await emulator.advance(byMilliseconds: 10_000)
                let end = try await waitFor("TrackEnd", in: log) { $0.playerEvent?.endReason != nil }
                #expect(end.playerEvent?.endReason == .finished)
                #expect(end.playerEvent?.endReason?.mayStartNext == true)
                #expect(await pool.snapshot(guildId: "100")?.track == nil)
            }
        }
    }

    @Test func replaceNoReplaceAndStop() async throws {
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let tracks = try await pool.loadTracks("ytsearch:replace me").tracks
                try #require(tracks.count >= 3)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(tracks[0].encoded), voice: Emulated.voice))
                try await waitFor("first start", in: log) { $0.playerEvent?.startedTitle == tracks[0].info.title }

                let mark = await log.events.count
                try await pool.update(guildId: "100", .play(tracks[1]))
                let replaced = try await waitFor("replaced", in: log, from: mark) { $0.playerEvent?.endReason != nil }
                #expect(replaced.playerEvent?.endReason == .replaced)
                #expect(replaced.playerEvent?.endReason?.mayStartNext == false)
                try await waitFor("second start", in: log, from: mark) { $0.playerEvent?.startedTitle == tracks[1].info.title }

                // noReplace keeps the playing track.
                let kept = try #require(try await pool.update(guildId: "100", .play(tracks[2]), noReplace: true))
                #expect(kept.track?.encoded == tracks[1].encoded)

                let stopMark = await log.events.count
                try await pool.update(guildId: "100", .stop)
                let stopped = try await waitFor("stopped", in: log, from: stopMark) { $0.playerEvent?.endReason != nil }
                #expect(stopped.playerEvent?.endReason == .stopped)
                #expect(try #require(await emulator.player(guildId: "100")).encodedTrack == nil)

                await pool.destroy(guildId: "100")
                #expect(await emulator.player(guildId: "100") == nil)
                #expect(await pool.snapshot(guildId: "100") == nil)
            }
        }
    }

    @Test func pauseSeekVolumeAndFilters() async throws {
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let track = try #require(try await pool.loadTracks("emulator:track:knobs?length=120000").tracks.first)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))

                try await pool.update(guildId: "100", PlayerUpdate(position: 42_000, volume: 250, paused: true, filters: FilterPreset.nightcore.filters))
                await emulator.advance(byMilliseconds: 10_000)
                let player = try #require(await emulator.player(guildId: "100"))
                #expect(player.paused)
                #expect(player.position == 42_000)  // paused: time passing does not move it
                #expect(player.volume == 250)
                #expect(player.filters == ["timescale": ["speed": 1.2, "pitch": 1.2, "rate": 1.0]])

                let snapshot = try #require(await pool.snapshot(guildId: "100"))
                #expect(snapshot.paused && snapshot.volume == 250 && snapshot.position == 42_000)
                #expect(snapshot.filters == FilterPreset.nightcore.filters)

                try await pool.update(guildId: "100", PlayerUpdate(paused: false, filters: FilterPreset.off.filters))
                await emulator.advance(byMilliseconds: 1_000)
                let resumed = try #require(await emulator.player(guildId: "100"))
                #expect(!resumed.paused && resumed.position == 43_000)
                #expect(resumed.filters == [:])
            }
        }
    }

    @Test func exceptionAndStuckTracksAreReported() async throws {
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let failing = try #require(try await pool.loadTracks("emulator:exception:boom?at=1000&length=60000").tracks.first)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(failing.encoded), voice: Emulated.voice))
                await emulator.advance(byMilliseconds: 1_000)
                let exception = try await waitFor("TrackException", in: log) {
                    if case .trackException? = $0.playerEvent { true } else { false }
                }
                guard case .trackException(_, let error)? = exception.playerEvent else { return }
                #expect(error.severity == .fault)

                let stuck = try #require(try await pool.loadTracks("emulator:stuck:frozen?at=1000&length=60000").tracks.first)
                try await pool.update(guildId: "200", PlayerUpdate(track: .encoded(stuck.encoded), voice: Emulated.voice))
                await emulator.advance(byMilliseconds: 1_000)
                await emulator.advance(byMilliseconds: 10_000)
                let event = try await waitFor("TrackStuck", in: log) {
                    if case .trackStuck? = $0.playerEvent { true } else { false }
                }
                guard case .trackStuck(let track, let threshold)? = event.playerEvent else { return }
                #expect(track.encoded == stuck.encoded)
                #expect(threshold == 10_000)
            }
        }
    }

    @Test func voiceCloseIsReported() async throws {
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                await emulator.setDaveRequired(true)
                try await pool.update(guildId: "100", PlayerUpdate(voice: LavalinkKit.VoiceState(
                    token: "other", endpoint: "eu.discord.media", sessionId: "s2", channelId: "556"
                )))
                let closed = try await waitFor("WebSocketClosed", in: log) {
                    if case .webSocketClosed? = $0.playerEvent { true } else { false }
                }
                guard case .webSocketClosed(let code, _, let byRemote)? = closed.playerEvent else { return }
                #expect(code == 4017 && byRemote)
            }
        }
    }
}
