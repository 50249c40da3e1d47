import Testing

@testable import LavalinkKit

@Suite("PlayerSnapshot: where a playing track has got to since its last report")
struct ExtrapolationTests {
    func snapshot(length: Int64 = 180_000, isStream: Bool = false) -> PlayerSnapshot {
        var snapshot = PlayerSnapshot(guildId: "1", node: "a")
        snapshot.track = Track(encoded: "QAAA", info: TrackInfo(
            identifier: "x", isSeekable: true, author: "a", length: length, isStream: isStream, position: 0,
            title: "t", uri: nil, artworkUrl: nil, isrc: nil, sourceName: "emulator"))
        snapshot.position = 10_000
        snapshot.positionReceivedAt = .seconds(100)
        snapshot.connected = true
        return snapshot
    }

    @Test func playingTrackMovesOnByTheTimeSinceTheReport() {
        #expect(snapshot().extrapolatedPosition(now: .seconds(103)) == 13_000)
        #expect(snapshot().restoringUpdate(now: .milliseconds(100_250)).position == 10_250)
    }

    @Test func timescaleSpeedAndRateScaleTheProgress() {
        var fast = snapshot()
        fast.filters.timescale = .init(speed: 2, pitch: 1, rate: 1.5)
        #expect(fast.extrapolatedPosition(now: .seconds(102)) == 16_000)
    }

    @Test func pausedDisconnectedOrUnreportedPlayersStayPut() {
        var paused = snapshot()
        paused.paused = true
        #expect(paused.extrapolatedPosition(now: .seconds(200)) == 10_000)
        var silent = snapshot()
        silent.connected = false
        #expect(silent.extrapolatedPosition(now: .seconds(200)) == 10_000)
        var unknown = snapshot()
        unknown.positionReceivedAt = nil
        #expect(unknown.extrapolatedPosition(now: .seconds(200)) == 10_000)
    }

    @Test func neverPastTheEndButStreamsHaveNone() {
        #expect(snapshot(length: 12_000).extrapolatedPosition(now: .seconds(110)) == 12_000)
        #expect(snapshot(isStream: true).extrapolatedPosition(now: .seconds(110)) == 20_000)
    }
}
