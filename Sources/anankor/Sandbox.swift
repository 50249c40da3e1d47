import AnankorCore
import AnankorEmbedded
import AnankorMaster
import AnankorSandbox
import ArgumentParser
import LavalinkEmulator
import Foundation
import Logging
import ServiceLifecycle

/// `anankor sandbox`: the whole system in one process against the built-in emulators — the
/// master, worker bots on the embedded adapters, a demo guild — with nothing to configure.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the whole system locally against the built-in Discord and Lavalink emulators.",
        discussion: """
            Prints first the URL of the web playground (act as any member in a browser), then the \
            emulators' control API, and runs until Ctrl-C. With --script FILE it plays a scenario \
            (docs/sandbox.md) and prints what the members see, then exits (status 1 when a step failed).
            """
    )

    @Option(help: "Port of the Discord emulator (0 picks a free one).")
    var discordPort: Int = 8090

    @Option(help: "Port of the Lavalink emulator (0 picks a free one).")
    var lavalinkPort: Int = 2333

    @Option(help: "Worker bots in the demo guild.")
    var workers: Int = 3

    @Option(help: "Lavalink clock speed: 1 is real time, 0 is manual (scripts move it with `advance`).")
    var speed: Double?

    @Option(help: "Lavalink plugins the emulated node runs (lavasrc, sponsorblock, lavasearch, lavalyrics, all, none; comma-separated). Default: all in the playground, none with --script.")
    var lavalinkPlugins: String?

    @Option(help: "A scenario to play; its transcript goes to stdout.")
    var script: String?

    @Option(help: "Log level of the services (the transcript stays readable at warning).")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        guard (0...65535).contains(discordPort), (0...65535).contains(lavalinkPort) else {
            throw ValidationError("ports must be between 0 and 65535")
        }
        guard (1...Anankor.maximumGuildSessionCap).contains(workers) else {
            throw ValidationError("--workers must be between 1 and \(Anankor.maximumGuildSessionCap)")
        }
        if let speed, !(speed >= 0 && speed.isFinite) { throw ValidationError("--speed must be a number ≥ 0") }
        if let lavalinkPlugins, EmulatedPlugins(list: lavalinkPlugins) == nil {
            throw ValidationError("--lavalink-plugins takes lavasrc, sponsorblock, lavasearch, lavalyrics, all or none, separated by commas")
        }
    }

    func run() async throws {
        var scenario: ScenarioScript?
        if let script {
            // A ValidationError thrown from run() makes ArgumentParser print the root usage; a bad
            // script is not a usage mistake, so it is one line and a sysexits status instead.
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                FileHandle.standardError.write(Data("anankor sandbox: cannot read the script file \(script)\n".utf8))
                throw ExitCode(66)
            }
            do { scenario = try ScenarioScript(parsing: text) } catch {
                FileHandle.standardError.write(Data("anankor sandbox: \(script): \(error)\n".utf8))
                throw ExitCode(65)
            }
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "anankor.sandbox")
        var plan = SandboxWorld.Plan(workerBots: workers, lavalinkSpeed: speed ?? (scenario == nil ? 1 : 0),
                                     discordPort: scenario == nil ? discordPort : 0,
                                     lavalinkPort: scenario == nil ? lavalinkPort : 0)
        // Scripts keep their transcripts unless they ask for plugins; the playground shows them all.
        plan.lavalinkPlugins = lavalinkPlugins.flatMap(EmulatedPlugins.init(list:)) ?? (scenario == nil ? .all : .none)
        let world = try await SandboxWorld.start(plan, logger: logger)
        if scenario == nil {
            // The first line, written at once: the page a newcomer opens.
            Self.write("Playground: \(world.discord.playgroundURL)\n")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ports = SandboxPorts(
            bus: InProcessJobBus(),
            state: try SQLiteStateStore(path: directory.appendingPathComponent("state.sqlite").path),
            ledger: try SQLiteLedger(path: directory.appendingPathComponent("ledger.sqlite").path))
        let tuning = SandboxTuning()
        let master = SandboxCluster.master(world: world, ports: ports, tuning: tuning, logger: logger)
        guard let scenario else {
            try await serve(world: world, ports: ports, tuning: tuning, master: master, logger: logger)
            return
        }
        let workerServices = (1...workers).map {
            SandboxCluster.worker(world: world, ports: ports, tuning: tuning, name: "worker-\($0)", logger: logger)
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: master)] + workerServices.map { .init(service: $0) },
            gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let ready = await world.eventually(timeout: .seconds(30)) {
                let live = (try? await ports.state.liveWorkers(now: Date()).count) ?? 0
                return master.isReady && live == workers
            }
            guard ready else {
                print("anankor: the sandbox did not become ready within 30 s")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                await world.stop()
                throw ExitCode.failure
            }
            print("Sandbox ready: \(workers) worker bots in \"Anankor Sandbox\". Transcript:\n")
            let failures = await ScenarioRunner(world: world).run(scenario) { print($0) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            await world.stop()
            if failures > 0 { throw ExitCode.failure }
        }
    }

    /// Runs until Ctrl-C with the playground: each worker in its own service group, so that the
    /// playground's fault panel can kill one like a crashed process.
    private func serve(world: SandboxWorld, ports: SandboxPorts, tuning: SandboxTuning, master: MasterService,
                       logger: Logger) async throws {
        let scripts = FileManager.default.currentDirectoryPath + "/docs/sandbox"
        let playground = SandboxPlayground(
            world: world, scriptsDirectory: FileManager.default.fileExists(atPath: scripts) ? scripts : nil, logger: logger
        ) { name in
            SandboxCluster.worker(world: world, ports: ports, tuning: tuning, name: name, logger: logger)
        }
        await world.discord.attachPlayground(playground)
        playground.startWorkers(workers)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: master)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let ready = await world.eventually(timeout: .seconds(30)) {
                    let live = (try? await ports.state.liveWorkers(now: Date()).count) ?? 0
                    return master.isReady && live == workers
                }
                Self.write(Self.welcome(world, ready: ready) + "\n")
                try await tasks.waitForAll()
            }
        } catch {
            failure = error
        }
        // Workers and emulators stop whether the master ended on Ctrl-C or failed.
        await playground.stop()
        await world.stop()
        if let failure { throw failure }
    }

    /// Unbuffered, so a script reading the sandbox's output sees each line at once.
    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func welcome(_ world: SandboxWorld, ready: Bool) -> String {
        let control = world.discord.controlURL
        let voice = world.voiceChannels.map { "\($0.name) \($0.id)" }.joined(separator: ", ")
        let users = world.users.map { "\($0.name) \($0.id)" }.joined(separator: ", ")
        let alice = world.users.first?.id ?? 0
        let lounge = world.voiceChannels.first?.id ?? 0
        return """
            Anankor sandbox is \(ready ? "up" : "starting (still waiting for the bots)"). Open the playground above to act as \
            any member: join voice, run slash commands, press buttons, watch the players, inject faults.
              Discord emulator:  \(world.discord.baseURL)   control API \(control)  (docs/emulators/discord.md)
              Lavalink emulator: \(world.lavalink.baseURL)   control API \(world.lavalink.baseURL)/_emulator
              Guild "Anankor Sandbox" \(world.guild), text channel #general \(world.textChannel)
              Voice channels: \(voice)
              Members: \(users)
              Master bot application \(world.master.applicationID); worker bots \(world.workers.map { "\($0.userID)" }.joined(separator: ", "))

            Or use the control API directly. Be alice: join Lounge, then ask for music.
              curl -s -X PUT \(control)/guilds/\(world.guild)/voice/\(alice) -d '{"channel_id": "\(lounge)"}'
              curl -s -X POST \(control)/interactions/commands -d '{"application_id": "\(world.master.applicationID)", "channel_id": "\(world.textChannel)", "user_id": "\(alice)", "name": "play", "options": {"query": "lofi beats"}}'
            See what happened:
              curl -s \(control)/channels/\(world.textChannel)/messages
              curl -s \(world.lavalink.baseURL)/_emulator/players
            Or play a whole scenario: anankor sandbox --script docs/sandbox/three-channels.txt
            Ctrl-C stops everything.
            """
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
