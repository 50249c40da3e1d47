import AnankorTesting
import Foundation
import LavalinkEmulator
import Testing

@testable import LavalinkKit

/// Node regions, per-source breakers and the node-move position, against emulated nodes.
@Suite("LavalinkKit against the Lavalink emulator: regions, source breakers, node moves")
struct RoutingIntegrationTests {
    static func voice(_ endpoint: String) -> LavalinkKit.VoiceState {
        LavalinkKit.VoiceState(token: "voice-token", endpoint: endpoint, sessionId: "voice-session", channelId: "555")
    }

    /// Makes `emulator` look busy so a pool prefers the other node (before the pool connects:
    /// with a manual clock the node sends stats only then).
    static func makeBusy(_ emulator: LavalinkEmulator) async {
        var load = NodeLoad()
        load.systemLoad = 0.9
        await emulator.setLoad(load)
    }

    /// Waits until the pool knows the busy node's load.
    static func knowsLoad(of name: String, log: EventLog<PoolEvent>) async throws {
        try await waitFor("ready \(name)", in: log) { $0.isReady(name) }
        try await waitFor("stats of \(name)", in: log) {
            if case .node(name, .stats(let stats)) = $0 { stats.cpu.systemLoad > 0.5 } else { false }
        }
    }

    @Test("a new player goes to the node of its voice server's region, even a busier one; without one, by load")
    func playersLandOnTheNodeOfTheirVoiceRegion() async throws {
        try await withEmulator { europe in
            try await withEmulator { usEast in
                await Self.makeBusy(usEast)
                try await withPool([Emulated.node("eu", europe, region: "europe"),
                                    Emulated.node("us", usEast, region: "us-east")]) { pool, log in
                    try await waitFor("ready eu", in: log) { $0.isReady("eu") }
                    try await Self.knowsLoad(of: "us", log: log)
                    try await pool.update(guildId: "1", PlayerUpdate(voice: Self.voice("us-east1234.discord.media:443")))
                    try await pool.update(guildId: "2", PlayerUpdate(voice: Self.voice("rotterdam77.discord.media:443")))
                    try await pool.update(guildId: "3", PlayerUpdate(voice: Self.voice("atlanta12.discord.media:443")))
                    // No node in Oceania: the less loaded node.
                    try await pool.update(guildId: "4", PlayerUpdate(voice: Self.voice("sydney9.discord.media:443")))
                    #expect(await usEast.players().map(\.guildId).sorted() == ["1", "3"])
                    #expect(await europe.players().map(\.guildId).sorted() == ["2", "4"])
                    #expect(await usEast.player(guildId: "1")?.voice.endpoint == "us-east1234.discord.media:443")
                }
            }
        }
    }

    @Test("a node whose YouTube source fails stops getting searches until a probe succeeds; every search is answered")
    func failingSourceIsAvoidedUntilAProbeSucceeds() async throws {
        try await withEmulator { failing in
            try await withEmulator { healthy in
                await Self.makeBusy(healthy)
                let time = PoolTime()
                let policy = SourceBreakerPolicy(failureThreshold: 3, initialBackoff: .seconds(30), maximumBackoff: .seconds(600))
                try await withPool([Emulated.node("a", failing), Emulated.node("b", healthy)],
                                   monotonicNow: { time.now }, breakerPolicy: policy) { pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    // `a` is the less loaded node, so searches try it first.
                    try await Self.knowsLoad(of: "b", log: log)
                    func left() async -> Int { await failing.failingSources()["youtube"]?.remaining ?? 0 }
                    func stateOfA() -> String? {
                        pool.breakerReports().first { $0.node == "a" && $0.source == "youtube" }?.stateName
                    }
                    func searchIsAnswered(_ query: String) async throws {
                        let result = try await pool.loadTracks("ytsearch:\(query)")
                        #expect(!result.tracks.isEmpty, "search \(query) found nothing")
                    }

                    await failing.failSource("youtube", times: 4)
                    for index in 0..<3 { try await searchIsAnswered("first \(index)") }
                    #expect(await left() == 1, "three searches failed on a and were answered by b")
                    #expect(stateOfA() == "open")

                    for index in 0..<5 { try await searchIsAnswered("while open \(index)") }
                    #expect(await left() == 1, "no search reached a while its breaker was open")
                    // Other sources still go to a.
                    #expect(try await pool.loadTracks("scsearch:unaffected").tracks.isEmpty == false)

                    time.advance(by: .seconds(30))
                    try await searchIsAnswered("probe 1")
                    #expect(await left() == 0, "the probe went to a, failed, and b answered")
                    #expect(stateOfA() == "open")
                    #expect(pool.breakerReports().first { $0.node == "a" }?.openings == 2)

                    // Reopened for 60 s: nothing reaches a before then.
                    await failing.failSource("youtube", times: 1)
                    time.advance(by: .seconds(59))
                    try await searchIsAnswered("still open")
                    #expect(await left() == 1)
                    time.advance(by: .seconds(1))
                    try await searchIsAnswered("probe 2")
                    #expect(await left() == 0)

                    // 120 s later a probe finds the source working: closed, searches go to a again.
                    time.advance(by: .seconds(120))
                    try await searchIsAnswered("probe 3")
                    #expect(stateOfA() == "closed")
                    await failing.failSource("youtube", times: 1)
                    try await searchIsAnswered("closed again")
                    #expect(await left() == 0, "a gets searches again")
                }
            }
        }
    }

    @Test("a new player with a track of a source whose breaker is open on the preferred node is created on another")
    func newPlayerAvoidsAnOpenBreaker() async throws {
        try await withEmulator { failing in
            try await withEmulator { healthy in
                await Self.makeBusy(healthy)
                try await withPool([Emulated.node("a", failing), Emulated.node("b", healthy)],
                                   breakerPolicy: SourceBreakerPolicy(failureThreshold: 1)) { pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    // `a` is the less loaded node: without the breaker every new player goes there.
                    try await Self.knowsLoad(of: "b", log: log)
                    let tracks = try await pool.loadTracks("ytsearch:placement").tracks
                    try #require(tracks.count >= 2)
                    try await pool.update(guildId: "7", PlayerUpdate(track: .encoded(tracks[0].encoded), voice: Emulated.voice))
                    #expect(await pool.snapshot(guildId: "7")?.node == "a", "placed by load while a's source works")

                    await failing.failSource("youtube", times: 1)
                    #expect(try await pool.loadTracks("ytsearch:fails on a").tracks.isEmpty == false, "b answered")
                    try await eventually("a's youtube breaker open") {
                        pool.breakerReports().contains { $0.node == "a" && $0.source == "youtube" && !$0.isClosed }
                    }
                    try await pool.update(guildId: "8", PlayerUpdate(track: .encoded(tracks[1].encoded), voice: Emulated.voice))
                    #expect(await pool.snapshot(guildId: "8")?.node == "b")
                    #expect(await healthy.player(guildId: "8")?.encodedTrack == tracks[1].encoded)
                    #expect(await failing.player(guildId: "8") == nil)
                    // A track of another source still goes by load.
                    let other = try #require(try await pool.loadTracks("scsearch:elsewhere").tracks.first)
                    try await pool.update(guildId: "9", PlayerUpdate(track: .encoded(other.encoded), voice: Emulated.voice))
                    #expect(await pool.snapshot(guildId: "9")?.node == "a")
                }
            }
        }
    }

    @Test("an error every node gives for one item (a deleted video) counts against no node")
    func itemErrorsDoNotOpenBreakers() async throws {
        try await withEmulator { first in
            try await withEmulator { second in
                try await withPool([Emulated.node("a", first), Emulated.node("b", second)],
                                   breakerPolicy: SourceBreakerPolicy(failureThreshold: 1)) { pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    try await waitFor("ready b", in: log) { $0.isReady("b") }
                    let result = try await pool.loadTracks("ytsearch:emulator:load-error")
                    guard case .error(let exception) = result else {
                        Issue.record("expected the load error, got \(result)")
                        return
                    }
                    #expect(exception.severity == .common)
                    #expect(pool.breakerReports().allSatisfy { $0.isClosed })
                }
            }
        }
    }

    @Test("track exceptions from a source open the node's breaker, and the next track of that source plays elsewhere")
    func trackExceptionsMoveTheNextTrackAway() async throws {
        try await withEmulator { failing in
            try await withEmulator { healthy in
                await Self.makeBusy(healthy)
                try await withPool([Emulated.node("a", failing), Emulated.node("b", healthy)],
                                   breakerPolicy: SourceBreakerPolicy(failureThreshold: 3)) { pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    try await Self.knowsLoad(of: "b", log: log)
                    let tracks = try await pool.loadTracks("ytsearch:exceptions").tracks
                    try #require(tracks.count >= 4)
                    try await pool.update(guildId: "1", PlayerUpdate(voice: Emulated.voice))
                    #expect(await failing.player(guildId: "1") != nil)

                    await failing.failSource("youtube", times: 3)
                    for track in tracks.prefix(3) {
                        let before = await log.events.count
                        try await pool.update(guildId: "1", PlayerUpdate(track: .encoded(track.encoded)))
                        await failing.advance(byMilliseconds: 1)
                        try await waitFor("the exception of \(track.info.title)", in: log, from: before) {
                            if case .player(let event) = $0, case .trackException = event.kind { true } else { false }
                        }
                    }
                    try await eventually("a's youtube breaker open") {
                        pool.breakerReports().contains { $0.node == "a" && $0.source == "youtube" && !$0.isClosed }
                    }

                    try await pool.update(guildId: "1", PlayerUpdate(track: .encoded(tracks[3].encoded), volume: 55))
                    let moved = try #require(await healthy.player(guildId: "1"))
                    #expect(moved.encodedTrack == tracks[3].encoded)
                    #expect(moved.volume == 55)
                    #expect(moved.voice.endpoint == Emulated.voice.endpoint, "the voice connection moved with it")
                    #expect(await failing.player(guildId: "1") == nil)
                    #expect(await pool.snapshot(guildId: "1")?.node == "b")
                    try await waitFor("moved", in: log) { $0 == .playerMoved(guildId: "1", from: "a", to: "b") }
                }
            }
        }
    }

    @Test("a node killed mid-track: the moved player resumes where its audio stopped (skip and rewind measured)")
    func nodeMoveResumesWhereTheAudioStopped() async throws {
        try await withEmulator { first in
            try await withEmulator { second in
                await Self.makeBusy(second)
                let time = PoolTime()
                let reconnect = ManualClock()
                try await withPool([Emulated.node("a", first, clock: reconnect), Emulated.node("b", second)],
                                   monotonicNow: { time.now }) { pool, log in
                    try await waitFor("ready a", in: log) { $0.isReady("a") }
                    try await Self.knowsLoad(of: "b", log: log)
                    let track = try #require(try await pool.loadTracks("emulator:track:moving?length=90000").tracks.first)
                    try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                    #expect(await pool.snapshot(guildId: "100")?.node == "a")

                    // Both sides' clocks move together: 5 s of playback and the node's report of it.
                    time.advance(by: .seconds(5))
                    await first.advance(byMilliseconds: 5_000)
                    try await eventually("report of 5 s") { await pool.snapshot(guildId: "100")?.position == 5_000 }
                    // 1.2 s more audio with no report, then the node dies.
                    time.advance(by: .milliseconds(1_200))
                    await first.advance(byMilliseconds: 1_200)
                    let heard = try #require(await first.player(guildId: "100")).position
                    await first.kill()
                    try await waitFor("disconnected", in: log) { $0 == .node("a", .disconnected) }
                    _ = await pool.snapshot(guildId: "100")  // the pool has handled the close

                    // The reconnect attempt fails after its backoff: 0.8 s pass on this side
                    // before the node is declared lost and the player moves.
                    time.advance(by: .milliseconds(800))
                    try await eventually("moved to b") {
                        reconnect.advance(by: .seconds(1))
                        return await log.events.contains(.playerMoved(guildId: "100", from: "a", to: "b"))
                    }
                    let resumed = try #require(await second.player(guildId: "100")).position
                    let skipped = resumed - heard
                    print("node move: audio heard up to \(heard) ms, resumed at \(resumed) ms: "
                        + (skipped >= 0 ? "\(skipped) ms skipped" : "\(-skipped) ms replayed"))
                    #expect(heard == 6_200)
                    #expect(skipped == 0, "neither the 0.8 s of reconnecting nor anything else is skipped")
                }
            }
        }
    }
}
