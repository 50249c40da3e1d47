import AnankorTesting
import Logging
import Testing

@testable import LavalinkKit

func stats(players: Int, playing: Int, load: Double, frames: NodeStats.FrameStats? = nil) -> NodeStats {
    NodeStats(
        players: players, playingPlayers: playing, uptime: 1,
        memory: .init(free: 0, used: 0, allocated: 0, reservable: 0),
        cpu: .init(cores: 4, systemLoad: load, lavalinkLoad: load / 2), frameStats: frames
    )
}

@Suite("Node penalty")
struct NodePenaltyTests {
    @Test func idleNodeHasNoPenalty() {
        #expect(NodePenalty(stats: nil).total == 0)
        #expect(NodePenalty(stats: stats(players: 0, playing: 0, load: 0)).total == 0)
    }

    @Test func morePlayingPlayersCostMoreThanIdleOnes() {
        let playing = NodePenalty(stats: stats(players: 10, playing: 10, load: 0.1))
        let idle = NodePenalty(stats: stats(players: 10, playing: 0, load: 0.1))
        #expect(idle < playing)
    }

    @Test func highCPULoadOutweighsAFewPlayers() {
        let busyCPU = NodePenalty(stats: stats(players: 0, playing: 0, load: 0.9))
        let somePlayers = NodePenalty(stats: stats(players: 20, playing: 20, load: 0.1))
        #expect(somePlayers < busyCPU)
    }

    @Test func frameDeficitAndNulledFramesMakeANodeWorse() {
        let clean = NodePenalty(stats: stats(players: 5, playing: 5, load: 0.2, frames: .init(sent: 15000, nulled: 0, deficit: 0)))
        let deficit = NodePenalty(stats: stats(players: 5, playing: 5, load: 0.2, frames: .init(sent: 14000, nulled: 0, deficit: 1000)))
        let nulled = NodePenalty(stats: stats(players: 5, playing: 5, load: 0.2, frames: .init(sent: 15000, nulled: 1000, deficit: 0)))
        #expect(clean < nulled)
        #expect(nulled < deficit)
        // Too many frames sent (negative deficit) is not a penalty.
        let surplus = NodePenalty(stats: stats(players: 5, playing: 5, load: 0.2, frames: .init(sent: 16000, nulled: 0, deficit: -1000)))
        #expect(surplus == clean)
    }

    @Test func playersPlacedSinceTheLastStatsCount() {
        let reported = stats(players: 0, playing: 0, load: 0)
        #expect(NodePenalty(stats: reported) < NodePenalty(stats: reported, localPlayers: 3))
    }

    @Test func hostileStatsStayFinite() {
        let penalty = NodePenalty(stats: stats(players: -5, playing: 1_000_000, load: 50, frames: .init(sent: 0, nulled: .max, deficit: .max)))
        #expect(penalty.total.isFinite)
    }
}

@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    @Test func growsExponentiallyUpToTheCap() {
        let backoff = ReconnectBackoff(initialDelay: .seconds(1), maximumDelay: .seconds(30), jitter: 0, random: { 0.7 })
        #expect((0...6).map { backoff.delay(attempt: $0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(backoff.delay(attempt: 10_000) == .seconds(30))
    }

    @Test func jitterSpreadsDelaysWithinTheRange() {
        let low = ReconnectBackoff(initialDelay: .seconds(4), jitter: 0.5, random: { 0 })
        let high = ReconnectBackoff(initialDelay: .seconds(4), jitter: 0.5, random: { 0.999999 })
        #expect(low.delay(attempt: 0) == .seconds(2))
        #expect(high.delay(attempt: 0) == .seconds(4))
        let mid = ReconnectBackoff(initialDelay: .seconds(4), jitter: 0.5, random: { 0.5 })
        #expect(mid.delay(attempt: 0) == .seconds(3))
    }
}

@Suite("Voice bridge")
struct VoiceBridgeTests {
    let expected = VoiceState(token: "tok", endpoint: "us-east1.discord.media", sessionId: "sess", channelId: "77")

    @Test func stateThenServer() {
        var bridge = VoiceBridge()
        #expect(bridge.voiceStateUpdate(sessionId: "sess", channelId: "77") == .wait)
        #expect(bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media") == .sendVoice(expected))
    }

    @Test func serverThenState() {
        var bridge = VoiceBridge()
        #expect(bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media") == .wait)
        #expect(bridge.voiceStateUpdate(sessionId: "sess", channelId: "77") == .sendVoice(expected))
    }

    @Test func duplicateEventsDoNotResend() {
        var bridge = VoiceBridge()
        _ = bridge.voiceStateUpdate(sessionId: "sess", channelId: "77")
        _ = bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media")
        #expect(bridge.voiceStateUpdate(sessionId: "sess", channelId: "77") == .wait)
    }

    @Test func serverChangeIsSentAgainAfterANullEndpoint() {
        var bridge = VoiceBridge()
        _ = bridge.voiceStateUpdate(sessionId: "sess", channelId: "77")
        _ = bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media")
        // Discord announces the old server is gone, then a new one.
        #expect(bridge.voiceServerUpdate(token: "tok", endpoint: nil) == .wait)
        #expect(bridge.voiceState == nil)
        var moved = expected
        moved.token = "tok2"
        moved.endpoint = "eu-west1.discord.media"
        #expect(bridge.voiceServerUpdate(token: "tok2", endpoint: "eu-west1.discord.media") == .sendVoice(moved))
    }

    @Test func channelMoveResendsAndLeavingSaysLeft() {
        var bridge = VoiceBridge()
        _ = bridge.voiceStateUpdate(sessionId: "sess", channelId: "77")
        _ = bridge.voiceServerUpdate(token: "tok", endpoint: "us-east1.discord.media")
        var moved = expected
        moved.channelId = "88"
        #expect(bridge.voiceStateUpdate(sessionId: "sess", channelId: "88") == .sendVoice(moved))
        #expect(bridge.voiceStateUpdate(sessionId: "sess", channelId: nil) == .left)
        #expect(bridge.voiceState == nil)
    }
}

@Suite("Reconnecting to an unreachable node")
struct ReconnectScheduleTests {
    @Test func retriesWithGrowingDelaysOnTheInjectedClockAndReportsLossOnce() async throws {
        let clock = ManualClock()
        var logger = Logger(label: "schedule")
        logger.logLevel = .critical
        // Port 9 (discard) is closed on loopback: every attempt is refused at once.
        let node = LavalinkNode(
            configuration: NodeConfiguration(
                name: "gone", endpoint: NodeEndpoint(host: "127.0.0.1", port: 9, password: "x"), userId: "1",
                backoff: ReconnectBackoff(initialDelay: .seconds(1), maximumDelay: .seconds(8), jitter: 0)
            ),
            clock: clock, logger: logger
        )
        let events = node.events()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run() }
            for expected in 1...5 {
                try await pollUntil { clock.requestedSleeps.count == expected }
                clock.advance(by: .seconds(8))
            }
            #expect(clock.requestedSleeps == [1, 2, 4, 8, 8].map { Duration.seconds($0) })
            group.cancelAll()
        }
        var seen: [NodeEvent] = []
        for await event in events { seen.append(event) }
        #expect(seen == [.lost])
    }
}

/// Polls until `condition` holds (AnankorTesting's bounded `poll`); fails after ten seconds.
func pollUntil(_ condition: () -> Bool) async throws {
    guard await poll(every: .milliseconds(2), until: { condition() }) else {
        throw TimedOut(description: "condition never held")
    }
}
