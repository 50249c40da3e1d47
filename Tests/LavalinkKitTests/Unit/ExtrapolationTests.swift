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

/// The node-move arithmetic: a moved player must resume where its audio stopped, counting the
/// time since the last report once, and never the time the old node was already silent.
@Suite("PlayerSnapshot: restoring a player on another node")
struct RestoringPositionTests {
    func playing() -> PlayerSnapshot {
        var snapshot = PlayerSnapshot(guildId: "1", node: "a")
        snapshot.track = Track(encoded: "QAAA", info: TrackInfo(
            identifier: "x", isSeekable: true, author: "a", length: 180_000, isStream: false, position: 0,
            title: "t", uri: nil, artworkUrl: nil, isrc: nil, sourceName: "youtube"))
        snapshot.position = 10_000
        // Lavalink's `time` of the report, on the node's clock: skewed, and not used.
        snapshot.positionTime = 1_700_000_000_000
        snapshot.positionReceivedAt = .seconds(100)
        snapshot.connected = true
        return snapshot
    }

    @Test func aNodeThatWentSilentIsRestoredWhereItsAudioStoppedNotWhereItWouldBeNow() {
        // Report at 100 s (10.0 s into the track); the websocket closed at 101.2 s; the reconnect
        // attempts declare the node lost and the move happens at 102.0 s.
        let update = playing().restoringUpdate(now: .seconds(102), audioStoppedAt: .milliseconds(101_200))
        #expect(update.position == 11_200, "the 0.8 s between the close and the move were never heard")
        // Unknown stop (a node still playing somewhere): extrapolate to the move.
        #expect(playing().restoringUpdate(now: .seconds(102)).position == 12_000)
        // A stop after the move time (clock readings out of order) never moves the position forward.
        #expect(playing().restoringUpdate(now: .seconds(102), audioStoppedAt: .seconds(105)).position == 12_000)
    }

    @Test func theNewNodesAnswerIsTheNewBaseSoTimeIsNotCountedTwice() throws {
        var snapshot = playing()
        let restored = snapshot.restoringUpdate(now: .seconds(102))
        #expect(restored.position == 12_000)
        let answer = try Fixtures.decode(Player.self, """
        {"guildId":"1","track":null,"volume":100,"paused":false,
         "state":{"time":1700000099000,"position":12000,"connected":true,"ping":3},
         "voice":{"token":"t","endpoint":"us-east1.discord.media","sessionId":"s","channelId":"5"},"filters":{}}
        """)
        snapshot.apply(answer, receivedAt: .seconds(102))
        snapshot.track = playing().track
        // One second later the track is 13 s in: 12 s at the answer plus 1 s, not plus the 3 s
        // since the old node's last report.
        #expect(snapshot.extrapolatedPosition(now: .seconds(103)) == 13_000)
        #expect(snapshot.restoringUpdate(now: .seconds(103)).position == 13_000)
    }
}
