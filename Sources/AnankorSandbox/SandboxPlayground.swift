public import AnankorWorker
public import DiscordEmulator
import Foundation
import LavalinkEmulator
public import Logging
import Synchronization

/// The sandbox's part of the web playground: the Lavalink players with their position on the
/// virtual clock, the clock's controls, faults (kill a worker, kill a Lavalink node) and scenario
/// scripts. It also owns the worker processes, each in its own service group, so that one can be
/// killed like a crashed process while the others play on.
public final class SandboxPlayground: PlaygroundHost {
    /// Makes the worker service of a new worker process, named e.g. `worker-2`.
    public typealias WorkerFactory = @Sendable (_ name: String) -> WorkerService

    private struct Worker {
        var name: String
        var service: WorkerService
        var process: RunningService
        var state: String
    }

    private struct ScenarioRun {
        var name: String
        var lines: [String] = []
        var running = true
        var failures = 0
    }

    /// The newest transcript lines the page shows.
    static let transcriptLimit = 2_000

    private let world: SandboxWorld
    private let makeWorker: WorkerFactory
    private let scriptsDirectory: String?
    private let logger: Logger
    private let workers = Mutex<[Worker]>([])
    private let scenario = Mutex<ScenarioRun?>(nil)
    private let scenarioTask = Mutex<Task<Void, Never>?>(nil)

    /// `scriptsDirectory`: where the scenario scripts offered in the panel live (`docs/sandbox`).
    public init(world: SandboxWorld, scriptsDirectory: String?, logger: Logger, makeWorker: @escaping WorkerFactory) {
        self.world = world
        self.scriptsDirectory = scriptsDirectory
        self.logger = logger
        self.makeWorker = makeWorker
    }

    /// Starts `count` worker processes.
    public func startWorkers(_ count: Int) {
        for _ in 0..<count { _ = startWorker() }
    }

    @discardableResult
    private func startWorker() -> String {
        workers.withLock { list in
            let name = "worker-\(list.count + 1)"
            let service = makeWorker(name)
            list.append(Worker(name: name, service: service, process: RunningService(service, logger: logger),
                               state: "running"))
            return name
        }
    }

    /// Ends a running scenario and stops every worker gracefully (the sandbox is shutting down).
    public func stop() async {
        scenarioTask.withLock { $0 }?.cancel()
        await scenarioTask.withLock { $0 }?.value
        let running = workers.withLock { list in list.filter { $0.state == "running" }.map(\.process) }
        for process in running { await process.stop() }
    }

    // MARK: PlaygroundHost

    public func panels() async -> EmulatorJSON {
        var nodes: [EmulatorJSON] = []
        for (index, node) in world.lavalinkNodes.enumerated() {
            let up = node.isListening
            let players = up ? await node.players() : []
            nodes.append([
                "index": .int(Int64(index)), "name": .string("sandbox-\(index + 1)"), "up": .bool(up),
                "players": .array(players.sorted { $0.guildId < $1.guildId }.map(Self.playerJSON)),
            ])
        }
        let workerList: [EmulatorJSON] = workers.withLock { list in
            list.map { worker -> EmulatorJSON in
                let bot = worker.state == "running" ? worker.service.heldWorker?.rawValue : nil
                return [
                    "name": .string(worker.name), "state": .string(worker.state),
                    "bot_user_id": bot.map { .string(String($0)) } ?? .null,
                ]
            }
        }
        let run: EmulatorJSON = scenario.withLock { current -> EmulatorJSON in
            guard let current else { return .null }
            return ["name": .string(current.name), "running": .bool(current.running),
                    "failures": .int(Int64(current.failures)), "lines": .array(current.lines.map(EmulatorJSON.string))]
        }
        return [
            // Whole seconds, like the players' positions: one live update a second, not one a tick.
            "clock": ["now_ms": .int(world.lavalink.clock.now / 1000 * 1000), "speed": .double(world.lavalink.clock.speed)],
            "nodes": .array(nodes), "workers": .array(workerList),
            "scenarios": .array(scenarioNames().map { .string($0) }), "scenario": run,
        ]
    }

    public func perform(_ action: String, _ body: EmulatorJSON) async throws(PlaygroundHostError) -> EmulatorJSON {
        switch action {
        case "clock-speed":
            guard let speed = body["speed"]?.doubleValue, speed >= 0, speed <= 1_000 else {
                throw PlaygroundHostError("the speed must be a number from 0 (stopped) to 1000")
            }
            for node in world.lavalinkNodes { await node.setSpeed(speed) }
            return Self.message("Playback clock speed ×\(Self.number(speed))")
        case "clock-advance":
            guard let ms = body["ms"]?.intValue, ms > 0, ms <= 86_400_000 else {
                throw PlaygroundHostError("skip ahead by 1 ms to 24 h (ms)")
            }
            for node in world.lavalinkNodes { await node.advance(byMilliseconds: ms) }
            return Self.message("Playback time moved on \(Self.number(Double(ms) / 1000)) s")
        case "kill-worker":
            return try await killWorker(body["name"]?.stringValue ?? "")
        case "start-worker":
            return Self.message("\(startWorker()) started; it takes a free bot token if there is one")
        case "kill-node", "restart-node":
            guard let index = body["index"]?.intValue, world.lavalinkNodes.indices.contains(Int(index)) else {
                throw PlaygroundHostError("no Lavalink node with that index")
            }
            let node = world.lavalinkNodes[Int(index)]
            if action == "kill-node" {
                await node.kill()
                return Self.message("Lavalink node sandbox-\(index + 1) killed: its players are gone")
            }
            do { try await node.restart() } catch {
                throw PlaygroundHostError("node sandbox-\(index + 1) did not come back: \(error)")
            }
            return Self.message("Lavalink node sandbox-\(index + 1) is back, with no sessions")
        case "run-scenario":
            return try runScenario(name: body["name"]?.stringValue, text: body["text"]?.stringValue)
        default:
            throw PlaygroundHostError("the sandbox has no action named \(action)")
        }
    }

    // MARK: Actions

    private func killWorker(_ name: String) async throws(PlaygroundHostError) -> EmulatorJSON {
        let process = workers.withLock { list -> RunningService? in
            guard let index = list.firstIndex(where: { $0.name == name && $0.state == "running" }) else { return nil }
            list[index].state = "killed"
            return list[index].process
        }
        guard let process else { throw PlaygroundHostError("no running worker named \(name)") }
        await process.kill()
        return Self.message("\(name) killed without a goodbye: its lease lapses and the master notices")
    }

    private func runScenario(name: String?, text: String?) throws(PlaygroundHostError) -> EmulatorJSON {
        if scenario.withLock({ $0?.running ?? false }) { throw PlaygroundHostError("a scenario is running already") }
        let source: String
        let title: String
        if let name, !name.isEmpty {
            // Only a file the panel listed: a name never becomes a path elsewhere.
            guard scenarioNames().contains(name), let directory = scriptsDirectory,
                  let contents = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            else { throw PlaygroundHostError("no scenario named \(name)") }
            source = contents
            title = name
        } else if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            source = text
            title = "your script"
        } else {
            throw PlaygroundHostError("pick a scenario or write one")
        }
        let script: ScenarioScript
        do { script = try ScenarioScript(parsing: source) } catch {
            throw PlaygroundHostError("\(title): \(error)")
        }
        scenario.withLock { $0 = ScenarioRun(name: title) }
        let world = self.world
        // The playground owns this one task (one scenario at a time); `stop()` cancels and awaits it.
        let task = Task { [self] in
            let failures = await ScenarioRunner(world: world).run(script) { line in
                self.scenario.withLock { run in
                    run?.lines.append(line)
                    if let count = run?.lines.count, count > Self.transcriptLimit {
                        run?.lines.removeFirst(count - Self.transcriptLimit)
                    }
                }
            }
            self.scenario.withLock { run in
                run?.running = false
                run?.failures = failures
            }
        }
        scenarioTask.withLock { $0 = task }
        return Self.message("Running \(title) (\(script.steps.count) steps)")
    }

    private func scenarioNames() -> [String] {
        guard let scriptsDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: scriptsDirectory) else { return [] }
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    // MARK: JSON

    private static func playerJSON(_ player: PlayerSnapshot) -> EmulatorJSON {
        var filters: [String] = []
        if let object = EmulatorJSON.parse(player.filters.text)?.objectValue {
            filters = object.filter { _, value in
                !value.isNull && value.objectValue?.isEmpty != true && value.arrayValue?.isEmpty != true
            }.keys.sorted()
        }
        return [
            "guild_id": .string(player.guildId), "user_id": .string(player.userId),
            "channel_id": player.voice.channelId.isEmpty ? .null : .string(player.voice.channelId),
            "track": player.track.map { track -> EmulatorJSON in
                ["title": .string(track.title), "author": .string(track.author), "length": .int(track.length),
                 "is_stream": .bool(track.isStream)]
            } ?? .null,
            // Whole seconds, so the live stream sends one update a second while a track plays.
            "position": .int(player.position / 1000 * 1000), "paused": .bool(player.paused),
            "volume": .int(Int64(player.volume)), "filters": .array(filters.map { .string($0) }),
            "voice_connected": .bool(player.voiceConnected),
        ]
    }

    private static func message(_ text: String) -> EmulatorJSON { ["message": .string(text)] }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
