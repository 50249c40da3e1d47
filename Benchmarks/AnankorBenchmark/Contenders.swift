import AnankorTesting
import Foundation

/// Who answers the members: Anankor in either run mode, the null bot floor, or the Python peer.
enum ContenderKind: String, Sendable, Codable, CaseIterable {
    case anankorEmbedded = "anankor-embedded"
    case anankorDistributed = "anankor-distributed"
    case nullBot = "null-bot"
    case peer = "python-peer"

    var playsMusic: Bool { self != .nullBot }
}

/// Where the benchmark finds the programs it starts.
struct Programs: Sendable {
    /// The `anankor` executable of the same build (configuration) as the benchmark.
    var anankor: String
    /// This executable (it is also the null bot).
    var benchmark: String
    var python: String
    /// The repository root (the peer's script lives under `benchmarks/peers/`).
    var repository: URL

    var peerScript: String { repository.appendingPathComponent("benchmarks/peers/music_bot.py").path }

    static func locate(repository: URL, python: String) throws -> Programs {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let anankor = executable.deletingLastPathComponent().appendingPathComponent("anankor").path
        guard FileManager.default.isExecutableFile(atPath: anankor) else {
            throw BenchmarkError("\(anankor) is missing: build it first (`swift build -c release --product anankor`)")
        }
        return Programs(anankor: anankor, benchmark: executable.path, python: onPath(python) ?? python,
                        repository: repository)
    }

    /// `python3` → `/usr/bin/python3` (Process wants a path).
    static func onPath(_ program: String) -> String? {
        if program.contains("/") { return program }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A contender's processes while it runs, and the servers it needs (Redis, moto).
final class RunningContender: Sendable {
    let kind: ContenderKind
    let application: UInt64
    /// The contender's own processes (CPU and memory are reported per process).
    let processes: [ChildProcess]
    /// Redis and moto in distributed mode: reported beside, not counted as Anankor's.
    let supporting: [(name: String, pid: Int32)]
    let redisURL: String?
    /// `/metrics` of each Anankor process (none for the floor and the peer).
    let metricsURLs: [String]
    private let teardown: @Sendable () async -> Void

    init(kind: ContenderKind, application: UInt64, processes: [ChildProcess],
         supporting: [(name: String, pid: Int32)] = [], redisURL: String? = nil, metricsURLs: [String] = [],
         teardown: @escaping @Sendable () async -> Void = {}) {
        self.kind = kind
        self.application = application
        self.processes = processes
        self.supporting = supporting
        self.redisURL = redisURL
        self.metricsURLs = metricsURLs
        self.teardown = teardown
    }

    /// `anankor_store_round_trips_total` summed over the processes, by `store/operation`, of one
    /// `origin` (`command` or `periodic`) or all; nil when the contender exposes no metrics or one
    /// process did not answer.
    func storeRoundTrips(origin: String? = nil) async -> [String: Double]? {
        guard !metricsURLs.isEmpty else { return nil }
        var totals: [String: Double] = [:]
        for url in metricsURLs {
            guard let exposition = await OperationsProbe.body(url) else { return nil }
            for (labels, value) in OperationsProbe.series("anankor_store_round_trips_total", in: exposition)
            where origin == nil || labels["origin"] == origin {
                totals["\(labels["store"] ?? "?")/\(labels["operation"] ?? "?")", default: 0] += value
            }
        }
        return totals
    }

    func stop() async {
        for process in processes { await process.stop() }
        await teardown()
    }

    /// Starts the contender against `world` and waits until it can serve the workload.
    static func start(_ kind: ContenderKind, world: BenchWorld, programs: Programs,
                      extraEnvironment: [String: String] = [:]) async throws -> RunningContender {
        switch kind {
        case .anankorEmbedded:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var environment = world.anankorEnvironment.merging(extraEnvironment) { $1 }
            environment["ANANKOR_STATE_PATH"] = directory.appendingPathComponent("state.sqlite").path
            let port = try FreePort.allocate()
            let process = try ChildProcess(name: "anankor run", executable: programs.anankor,
                                           arguments: ["run", "--http-port", "\(port)"], environment: environment)
            let contender = RunningContender(kind: kind, application: world.master.applicationID, processes: [process],
                                             metricsURLs: ["http://127.0.0.1:\(port)/metrics"]) {
                try? FileManager.default.removeItem(at: directory)
            }
            do {
                try await waitForAnankor(masterPort: port, process: process, workers: world.workers.count)
            } catch {
                await contender.stop()
                throw error
            }
            return contender

        case .anankorDistributed:
            let redis = try await RedisServer(options: RedisServer.Options())
            let moto: MotoServer
            do { moto = try await MotoServer.start(oneRequestAtATime: false) } catch {
                redis.kill()
                throw error
            }
            var environment = world.anankorEnvironment.merging(moto.environment) { $1 }.merging(extraEnvironment) { $1 }
            environment["REDIS_URL"] = redis.url
            environment["DYNAMODB_TABLE"] = "bench-\(UUID().uuidString.prefix(8))"
            var supporting: [(String, Int32)] = [("moto_server", moto.process.processIdentifier)]
            if let pid = redis.processIdentifier { supporting.insert(("redis-server", pid), at: 0) }
            var processes: [ChildProcess] = []
            let teardown: @Sendable () async -> Void = {
                redis.kill()
                moto.stop()
            }
            do {
                let masterPort = try FreePort.allocate()
                var ports = [masterPort]
                processes.append(try ChildProcess(name: "anankor master", executable: programs.anankor,
                                                  arguments: ["master", "--http-port", "\(masterPort)"],
                                                  environment: environment))
                for index in 1...world.workers.count {
                    let port = try FreePort.allocate()
                    ports.append(port)
                    processes.append(try ChildProcess(
                        name: "anankor worker \(index)", executable: programs.anankor,
                        arguments: ["worker", "--http-port", "\(port)"], environment: environment))
                }
                let contender = RunningContender(kind: kind, application: world.master.applicationID,
                                                 processes: processes, supporting: supporting, redisURL: redis.url,
                                                 metricsURLs: ports.map { "http://127.0.0.1:\($0)/metrics" },
                                                 teardown: teardown)
                do {
                    try await waitForAnankor(masterPort: masterPort, process: processes[0], workers: world.workers.count)
                } catch {
                    await contender.stop()
                    throw error
                }
                return contender
            } catch {
                for process in processes { await process.stop() }
                await teardown()
                throw error
            }

        case .nullBot:
            let process = try ChildProcess(
                name: "null bot", executable: programs.benchmark, arguments: ["null-bot"],
                environment: ["DISCORD_API_URL": world.discord.restURL, "NULL_BOT_TOKEN": world.nullBot.token])
            let contender = RunningContender(kind: kind, application: world.nullBot.applicationID, processes: [process])
            do {
                try await process.waitForOutput(NullBot.readyLine, timeout: .seconds(30))
            } catch {
                await contender.stop()
                throw error
            }
            return contender

        case .peer:
            guard FileManager.default.fileExists(atPath: programs.peerScript) else {
                throw BenchmarkError("the peer is missing: \(programs.peerScript)")
            }
            let process = try ChildProcess(
                name: "python peer", executable: programs.python,
                arguments: [programs.peerScript, "--discord-url", world.discord.baseURL, "--token", world.peer.token,
                            "--lavalink-uri", world.lavalink.baseURL, "--lavalink-password", BenchWorld.lavalinkPassword],
                environment: ["PYTHONUNBUFFERED": "1"])
            let contender = RunningContender(kind: kind, application: world.peer.applicationID, processes: [process])
            do {
                try await process.waitForOutput("PEER READY", timeout: .seconds(60))
            } catch {
                await contender.stop()
                throw error
            }
            return contender
        }
    }

    /// The master answers `/ready` and sees every worker bot alive (its `anankor_workers_alive`).
    private static func waitForAnankor(masterPort: Int, process: ChildProcess, workers: Int) async throws {
        try await process.waitUntil("readiness and \(workers) live workers", timeout: .seconds(90)) {
            guard await OperationsProbe.status("http://127.0.0.1:\(masterPort)/ready") == 200,
                  let metrics = await OperationsProbe.body("http://127.0.0.1:\(masterPort)/metrics")
            else { return false }
            return OperationsProbe.metric("anankor_workers_alive", in: metrics) == Double(workers)
        }
    }
}
