import AnankorSandbox
import Foundation
import LavalinkEmulator
import LavalinkKit
import Synchronization
import Testing

/// The masters' and workers' Lavalink node choices as members see them: a player near its voice
/// server, and searches that keep working while one node's YouTube source fails.
extension EndToEnd {
@Suite("Lavalink node routing end to end")
struct MusicNodeRoutingTests {
    /// The masters' breaker clock, moved by hand.
    final class BreakerClock: Sendable {
        private let value = Mutex<Duration>(.zero)
        var now: Duration { value.withLock { $0 } }
        func advance(by duration: Duration) { value.withLock { $0 += duration } }
    }

    @Test("a player lands on the Lavalink node of its voice channel's region", arguments: Mode.allCases)
    func playerLandsOnItsRegionsNode(mode: Mode) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.extraLavalinkNodes = 1
        plan.lavalinkRegions = ["us-east", "europe"]
        try await withStage(mode, plan: plan) { stage in
            let world = stage.world
            let (usEast, europe) = (world.lavalinkNodes[0], world.lavalinkNodes[1])
            // Discord picks a voice server in the channel's region (`rtc_region`).
            let regions = [("alice", "Lounge", "rotterdam"), ("bob", "Gaming", "frankfurt"), ("carol", "Study", "us-east")]
            for (_, channel, region) in regions {
                try await world.discord.setVoiceRegion(region, channel: stage.voice(channel), in: world.guild)
            }
            for (name, channel, _) in regions {
                try await stage.member(name).join(channel)
                let answer = try await stage.member(name).run("play", ["query": .string("https://youtu.be/\(channel.lowercased())")])
                #expect(answer.text.hasPrefix("Queued **"), "\(name): \(answer)")
            }
            func node(of channel: String) async -> LavalinkEmulator? {
                guard let bot = await stage.boundBot(channel), let (player, node) = await stage.playerAndNode(of: bot),
                    player.track != nil
                else { return nil }
                return node
            }
            let placed = await world.eventually {
                let (lounge, gaming, study) = (await node(of: "Lounge"), await node(of: "Gaming"), await node(of: "Study"))
                return lounge === europe && gaming === europe && study === usEast
            }
            #expect(placed, "both European channels play on the European node although it is the busier one")
            let endpoint = await stage.player(in: "Lounge")?.voice.endpoint ?? ""
            #expect(endpoint.hasPrefix("rotterdam") && endpoint.hasSuffix(".discord.media:443"), "\(endpoint)")
        }
    }

    @Test("a node whose YouTube source fails stops getting searches until a probe succeeds; members see no error",
          arguments: Mode.allCases)
    func failingYouTubeSourceIsAvoided(mode: Mode) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.extraLavalinkNodes = 1
        // The player lives on the second node (its region), so only searches reach the first.
        plan.lavalinkRegions = [nil, "us-east"]
        let clock = BreakerClock()
        var tuning = SandboxTuning.quick
        tuning.sourceBreakerPolicy = SourceBreakerPolicy(failureThreshold: 3, initialBackoff: .seconds(30))
        tuning.sourceBreakerClock = { clock.now }
        try await withStage(mode, plan: plan, tuning: tuning) { stage in
            let world = stage.world
            let failing = world.lavalinkNodes[0]
            try await world.discord.setVoiceRegion("us-east", channel: stage.voice("Lounge"), in: world.guild)
            try await stage.member("alice").join("Lounge")
            await failing.failSource("youtube", times: 4)
            func left() async -> Int { await failing.failingSources()["youtube"]?.remaining ?? 0 }
            var searches = 0
            func search() async throws {
                searches += 1
                let answer = try await stage.member("alice").run("play", ["query": .string("lofi beat \(searches)")])
                #expect(answer.text.hasPrefix("Queued **") && !answer.ephemeral, "search \(searches): \(answer)")
            }

            for _ in 0..<3 { try await search() }
            #expect(await left() == 1, "three searches failed on the first node and were answered by the second")
            for _ in 0..<3 { try await search() }
            #expect(await left() == 1, "no search reached the first node while its breaker was open")

            clock.advance(by: .seconds(30))
            try await search()
            #expect(await left() == 0, "the probe reached the first node, failed, and the member still got an answer")

            clock.advance(by: .seconds(60))
            try await search()  // the probe succeeds: the breaker closes
            await failing.failSource("youtube", times: 1)
            try await search()
            #expect(await left() == 0, "the first node gets searches again")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil }, "music plays throughout")
        }
    }
}
}
