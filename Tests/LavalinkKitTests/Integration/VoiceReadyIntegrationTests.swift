import Foundation
import LavalinkEmulator
import Synchronization
import Testing

@testable import LavalinkKit

/// The pool-side clock a test moves by hand (the pool's `monotonicNow`).
final class PoolTime: Sendable {
    private let value = Mutex<Duration>(.zero)
    var now: Duration { value.withLock { $0 } }
    func advance(by duration: Duration) { value.withLock { $0 += duration } }
}

@Suite("LavalinkKit against the Lavalink emulator: voice readiness and failover timing")
struct VoiceReadyIntegrationTests {
    @Test("after the voice PATCH the player is not connected until the voice gateway is ready, then a playerUpdate says so")
    func playerUpdateOnVoiceReady() async throws {
        try await withEmulator(voiceReadyDelayMs: 250) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let track = try #require(try await pool.loadTracks("emulator:track:ready?length=90000").tracks.first)
                let player = try #require(try await pool.update(
                    guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice)))
                #expect(player.state.connected == false)
                #expect(player.state.ping == -1)

                await emulator.advance(byMilliseconds: 249)
                #expect(await emulator.player(guildId: "100")?.voiceConnected == false)
                #expect(await emulator.player(guildId: "100")?.position == 0, "no audio is pulled before the voice is up")

                let before = await log.events.count
                await emulator.advance(byMilliseconds: 1)
                let update = try await waitFor("playerUpdate with connected: true", in: log, from: before) {
                    if case .playerUpdate("100", let state) = $0 { state.connected } else { false }
                }
                if case .playerUpdate(_, let state) = update { #expect(state.position == 0) }
                #expect(await pool.snapshot(guildId: "100")?.connected == true)

                await emulator.advance(byMilliseconds: 1_000)
                #expect(await emulator.player(guildId: "100")?.position == 1_000)

                let beforeClose = await log.events.count
                #expect(await emulator.closeVoice(guildId: "100", code: 4006, reason: "Session no longer valid"))
                try await waitFor("WebSocketClosedEvent", in: log, from: beforeClose) {
                    if case .player(let event) = $0, case .webSocketClosed(4006, _, true) = event.kind { true } else { false }
                }
                try await waitFor("playerUpdate with connected: false", in: log, from: beforeClose) {
                    if case .playerUpdate("100", let state) = $0 { !state.connected && state.position == 1_000 } else { false }
                }
                #expect(await pool.snapshot(guildId: "100")?.connected == false)
            }
        }
    }

    @Test("a player moved off a lost node resumes where it has got to by now, not where it was last reported")
    func failoverExtrapolatesThePosition() async throws {
        try await withEmulator { first in
            try await withEmulator { second in
                var busy = NodeLoad()
                busy.systemLoad = 0.9
                await second.setLoad(busy)
                let time = PoolTime()
                try await withPool([Emulated.node("a", first), Emulated.node("b", second)], monotonicNow: { time.now }) {
                    pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    try await waitFor("stats of b", in: log) { if case .node("b", .stats) = $0 { true } else { false } }
                    let track = try #require(try await pool.loadTracks("emulator:track:moving?length=90000").tracks.first)
                    try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                    #expect(await pool.snapshot(guildId: "100")?.node == "a")
                    await first.advance(byMilliseconds: 5_000)
                    try await eventually("position known") { await pool.snapshot(guildId: "100")?.position == 5_000 }

                    // 3 s pass on this side before the node is declared lost.
                    time.advance(by: .seconds(3))
                    await first.kill()
                    try await waitFor("moved to b", in: log) { $0 == .playerMoved(guildId: "100", from: "a", to: "b") }
                    let moved = try #require(await second.player(guildId: "100"))
                    #expect(moved.encodedTrack == track.encoded)
                    #expect(moved.position == 8_000)
                }
            }
        }
    }

    @Test("a call for a player waits while its node reconnects, and fails only after the bounded wait")
    func callsWaitForAReconnectingNode() async throws {
        try await withEmulator { emulator in
            // Patient node: never declared lost, so its players stay with it while it reconnects.
            try await withPool([Emulated.node("a", emulator, failedAttemptsBeforeLost: 1000)],
                               reconnectWait: .seconds(20)) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let track = try #require(try await pool.loadTracks("emulator:track:steady?length=90000").tracks.first)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                await emulator.kill()
                try await waitFor("disconnected", in: log) { $0 == .node("a", .disconnected) }

                let call = Task { try await pool.update(guildId: "100", PlayerUpdate(volume: 40)) }
                try await emulator.restart()
                _ = try await call.value
                let player = try #require(await emulator.player(guildId: "100"))
                #expect(player.volume == 40)
                #expect(player.encodedTrack == track.encoded)
            }
        }
        try await withEmulator { emulator in
            try await withPool([Emulated.node("a", emulator, failedAttemptsBeforeLost: 1000)],
                               reconnectWait: .milliseconds(200)) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                await emulator.kill()
                try await waitFor("disconnected", in: log) { $0 == .node("a", .disconnected) }
                let error = try await #require(throws: LavalinkError.self) {
                    try await pool.update(guildId: "100", PlayerUpdate(volume: 40))
                }
                #expect(error.code == .notConnected)
                try await emulator.restart()
            }
        }
    }
}
