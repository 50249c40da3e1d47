import AnankorCore
import AnankorSandbox
import AnankorTestSupport
import AnankorTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Real `anankor worker` processes (distributed mode: redis-server + moto), one of them SIGKILLed
/// in the middle of a track.
extension LobbyAndProcessEndToEnd {
@Suite("Anankor processes end to end")
struct WorkerProcessTests {
    /// The `anankor` executable `swift build` produced next to this test bundle.
    static var executable: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/anankor").path
    }

    @Test("two `anankor master` and three `anankor worker` processes; SIGKILL of the worker playing a track: another bot plays on")
    func sigkillMidTrack() async throws {
        try await withStage(.distributed, plan: .testing, masters: 0, workerProcesses: 0) { stage in
            let world = stage.world
            var processes: [LocalServerProcess] = []
            var masters: [LocalServerProcess] = []
            defer { for process in processes + masters { process.kill() } }
            for index in 1...2 {
                masters.append(try await LocalServerProcess(
                    name: "anankor-master-\(index)", executable: Self.executable,
                    arguments: { port in ["master", "--http-port", "\(port)"] },
                    environment: stage.processEnvironment, readyTimeout: .seconds(60)))
            }
            for index in 1...3 {
                processes.append(try await LocalServerProcess(
                    name: "anankor-worker-\(index)", executable: Self.executable,
                    arguments: { port in ["worker", "--http-port", "\(port)"] },
                    environment: stage.processEnvironment, readyTimeout: .seconds(60)))
            }
            for master in masters {
                #expect(await world.eventually(timeout: .seconds(40)) {
                    await Self.status(of: "http://127.0.0.1:\(master.port)/ready") == 200
                }, "\(master.name) is ready")
            }
            #expect(await world.eventually(timeout: .seconds(30)) {
                (try? await stage.ports.state.liveWorkers(now: Date()).count) == 3
            }, "three worker processes hold the three tokens")
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            #expect(try await alice.run("play", ["query": "https://youtu.be/sigkill"]).text.hasPrefix("Queued"))
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            let bot = try #require(await stage.boundBot("Lounge"))
            let holder = try #require(try await stage.ports.state.currentLease(.workerToken(WorkerID(bot)), now: Date()))
            let victim = try #require(processes.first { holder.holder.rawValue.contains("worker-\($0.processIdentifier)-") })
            victim.kill()  // SIGKILL: no goodbye, the lease lapses
            #expect(await world.eventually(timeout: .seconds(40)) {
                guard let next = await stage.boundBot("Lounge"), next != bot else { return false }
                return await stage.player(of: next)?.track != nil
            }, "a live worker process's bot takes the session over and plays on, nobody runs /play")
            #expect(await world.eventually { await stage.player(of: bot) == nil }, "the dead bot's player is ended")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil }, "the dead bot is out of voice")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Playback crashed") }),
                    "nothing crashed as far as members are concerned")
        }
    }

    @Test("`anankor run`: the master and every worker bot in one process on a SQLite file, against the emulators")
    func singleProcessMode() async throws {
        try await withStage(.embedded, masters: 0, workerProcesses: 0) { stage in
            let world = stage.world
            let process = try await Self.anankorRun(stage)
            defer { process.stop() }
            let ready = await world.eventually(timeout: .seconds(40)) {
                await Self.status(of: "http://127.0.0.1:\(process.port)/ready") == 200
            }
            #expect(ready, "/ready turns 200 once the master and all three workers are up")
            #expect(await Self.status(of: "http://127.0.0.1:\(process.port)/health") == 200)
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            #expect(try await alice.run("play", ["query": "https://youtu.be/single"]).text.hasPrefix("Queued"))
            #expect(await world.eventually {
                await world.lavalink.players().contains { $0.guildId == "\(world.guild)" && $0.track != nil }
            })
            // Counted once the command's handling returns, which may be after its reply and its track.
            #expect(await world.eventually {
                await Self.body(of: "http://127.0.0.1:\(process.port)/metrics")?.contains("anankor_commands_total") == true
            }, "the command shows in /metrics")
            // A member outside voice is refused; the operator sees why in /metrics.
            let refused = try await stage.member("bob").run("play", ["query": "https://youtu.be/outside"])
            #expect(refused.ephemeral && !refused.text.hasPrefix("Queued"), "\(refused)")
            #expect(await world.eventually {
                await Self.body(of: "http://127.0.0.1:\(process.port)/metrics")?
                    .contains("anankor_command_refusals_total{command=\"play\",reason=\"music.notInVoice\"} 1") == true
            }, "the refusal shows in /metrics with its reason")
            let metrics = await Self.body(of: "http://127.0.0.1:\(process.port)/metrics") ?? ""
            #expect(!metrics.contains(world.master.token), "no token in the metrics")
        }
    }

    @Test("an open source breaker shows in /ready (still 200) and in /metrics of anankor run")
    func breakerStateShows() async throws {
        try await withStage(.embedded, masters: 0, workerProcesses: 0) { stage in
            let world = stage.world
            let process = try await Self.anankorRun(stage)
            defer { process.stop() }
            let base = "http://127.0.0.1:\(process.port)"
            #expect(await world.eventually(timeout: .seconds(40)) { await Self.status(of: "\(base)/ready") == 200 })
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            // The only node's YouTube source fails three searches in a row (the default threshold).
            await world.lavalink.failSource("youtube", times: 3)
            for attempt in 1...3 {
                let answer = try await alice.run("play", ["query": .string("lofi beat \(attempt)")])
                #expect(answer.ephemeral && !answer.text.hasPrefix("Queued"), "search \(attempt): \(answer)")
            }
            let node = try #require(await Self.body(of: "\(base)/ready"))
            #expect(await Self.status(of: "\(base)/ready") == 200, "the process still works: searches can use other nodes")
            #expect(node.contains("\"lavalink_search_source_breakers\":[\"") && node.contains(" youtube open, probe in "),
                    "\(node)")
            let metrics = await Self.body(of: "\(base)/metrics") ?? ""
            let open = metrics.split(separator: "\n").filter {
                $0.hasPrefix("anankor_lavalink_source_breaker_open{") && $0.contains("source=\"youtube\"")
                    && $0.contains("role=\"master\"")
            }
            #expect(open.count == 1 && open.first?.split(separator: " ").last.flatMap { Double($0) } == 1, "\(open)")
            #expect(metrics.contains("anankor_lavalink_source_breaker_opened_total{"))
        }
    }

    /// `anankor run` against the stage's emulators, its HTTP endpoints on a free port.
    static func anankorRun(_ stage: MusicStage) async throws -> LocalServerProcess {
        try await LocalServerProcess(
            name: "anankor-run", executable: Self.executable, arguments: { port in ["run", "--http-port", "\(port)"] },
            environment: stage.processEnvironment, readyTimeout: .seconds(60))
    }

    static func status(of url: String) async -> Int? {
        guard let url = URL(string: url), let (_, response) = try? await URLSession.shared.data(from: url) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func body(of url: String) async -> String? {
        guard let url = URL(string: url), let (data, _) = try? await URLSession.shared.data(from: url) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
}
