import AnankorTesting
import Foundation

/// What one run starts besides the Discord emulator: Lavalink emulator nodes, redis-server with
/// an append-only file, moto standing in for DynamoDB, and `anankor master` / `anankor worker`
/// processes — real processes, so `kill -9` and `SIGTERM` are the real thing.
struct ClusterShape: Sendable, Codable {
    var masters: Int
    /// Worker processes beyond one per token: they wait as spares.
    var spares: Int
    var lavalinkNodes: Int
    /// The Lavalink emulator's clock speed: tracks of 1–6 minutes last seconds.
    var lavalinkSpeed: Double
}

/// A node of the Lavalink emulator run as `anankor emulate lavalink` on a fixed port, so that a
/// restarted node comes back where the workers look for it.
final class LavalinkNodeProcess: Sendable {
    let name: String
    let port: Int
    private let program: String
    private let speed: Double
    private let current: Locked<ChildProcess?>
    /// Incremented on every start: a restarted node keeps no records of the previous one.
    let incarnation = Locked(0)

    static let password = "chaos-lavalink"

    init(name: String, program: String, speed: Double) throws {
        self.name = name
        self.program = program
        self.speed = speed
        port = try FreePort.allocate()
        current = Locked(nil)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var pid: Int32? { current.value?.pid }

    func start() async throws {
        let process = try ChildProcess(
            name: name, executable: program,
            arguments: ["emulate", "lavalink", "--port", "\(port)", "--password", Self.password,
                        "--speed", "\(speed)", "--player-update-interval", "1000"],
            environment: ["ANANKOR_LOG_LEVEL": "warning"])
        current.value = process
        incarnation.withLock { $0 += 1 }
        try await process.waitUntil("port \(port) open", timeout: .seconds(30)) { FreePort.isAccepting(port: self.port) }
    }

    func crash() async { await current.value?.crash() }
    func stop() async { await current.value?.stop() }
}

/// One `anankor master` or `anankor worker` process.
final class AnankorProcess: Sendable {
    enum Role: String, Sendable { case master, worker }
    let role: Role
    let name: String
    let httpPort: Int
    let process: ChildProcess

    init(role: Role, name: String, program: String, environment: [String: String]) throws {
        self.role = role
        self.name = name
        httpPort = try FreePort.allocate()
        process = try ChildProcess(name: name, executable: program,
                                   arguments: [role.rawValue, "--http-port", "\(httpPort)"], environment: environment)
    }

    /// The worker bot (user id) this process holds now, read from its log: the last "token lease
    /// acquired" line not followed by "token released".
    var heldBot: UInt64? {
        var held: UInt64?
        for line in process.output().split(separator: "\n") {
            guard line.contains("\"msg\"") else { continue }
            if line.contains("token lease acquired"), let id = Self.field("worker.id", in: line) {
                held = UInt64(id)
            } else if line.contains("token released") || line.contains("token lease lost") {
                held = nil
            }
        }
        return process.isRunning ? held : nil
    }

    /// The gateway shards this master process runs now, read from its log: "shard taken" lines not
    /// followed by "shard given up", "shard lease lost" or "shards released".
    var heldShards: Set<Int> {
        var held = Set<Int>()
        for line in process.output().split(separator: "\n") where line.contains("\"msg\"") {
            if line.contains("shards released") {
                held = []
            } else if let id = Self.field("shard.id", in: line).flatMap(Int.init) {
                if line.contains("shard taken") { held.insert(id) }
                if line.contains("shard given up") || line.contains("shard lease lost") { held.remove(id) }
            }
        }
        return process.isRunning ? held : []
    }

    private static func field(_ key: String, in line: Substring) -> String? {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        if let value = object[key] as? String { return value }
        if let value = object[key] as? NSNumber { return value.stringValue }
        return nil
    }

    var isReady: Bool {
        get async { await HTTPProbe.status("http://127.0.0.1:\(httpPort)/ready") == 200 }
    }
}

/// The cluster of one run, started in dependency order and stopped in reverse.
final class ChaosCluster: Sendable {
    let shape: ClusterShape
    let redis: RedisServer
    let redisProxy: DelayProxy
    let moto: MotoServer
    let nodes: [LavalinkNodeProcess]
    let environment: [String: String]
    let program: String
    let masters: Locked<[AnankorProcess]>
    let workers: Locked<[AnankorProcess]>

    private init(shape: ClusterShape, redis: RedisServer, redisProxy: DelayProxy, moto: MotoServer,
                 nodes: [LavalinkNodeProcess], environment: [String: String], program: String) {
        self.shape = shape
        self.redis = redis
        self.redisProxy = redisProxy
        self.moto = moto
        self.nodes = nodes
        self.environment = environment
        self.program = program
        masters = Locked([])
        workers = Locked([])
    }

    static func start(_ shape: ClusterShape, world: ChaosWorld, program: String, run: String) async throws -> ChaosCluster {
        var nodes: [LavalinkNodeProcess] = []
        var redis: RedisServer?
        var proxy: DelayProxy?
        var moto: MotoServer?
        do {
            for index in 1...max(1, shape.lavalinkNodes) {
                let node = try LavalinkNodeProcess(name: "lavalink-\(index)", program: program, speed: shape.lavalinkSpeed)
                try await node.start()
                nodes.append(node)
            }
            let startedRedis = try await RedisServer(options: RedisServer.Options(appendOnly: true))
            redis = startedRedis
            let startedProxy = try await DelayProxy.start(forwardingTo: startedRedis.port)
            proxy = startedProxy
            let startedMoto = try await MotoServer.start(oneRequestAtATime: false)
            moto = startedMoto
            var environment: [String: String] = [
                "DISCORD_API_URL": world.discord.restURL,
                "DISCORD_MASTER_TOKEN": world.master.token,
                "LAVALINK_NODES": nodes.map { "http://:\(LavalinkNodeProcess.password)@127.0.0.1:\($0.port)" }
                    .joined(separator: ","),
                "REDIS_URL": "redis://127.0.0.1:\(startedProxy.port)",
                "DYNAMODB_TABLE": "chaos-\(run)",
                // ANANKOR_CHAOS_LOG_LEVEL=debug for a run whose logs (--keep-logs) should say more.
                "ANANKOR_LOG_LEVEL": ProcessInfo.processInfo.environment["ANANKOR_CHAOS_LOG_LEVEL"] ?? "info",
                "ANANKOR_LOG_FORMAT": "json",
                "ANANKOR_IDLE_TIMEOUT": "1h",
            ]
            environment.merge(startedMoto.environment) { $1 }
            for (index, bot) in world.workers.enumerated() { environment["DISCORD_WORKER_TOKEN_\(index + 1)"] = bot.token }
            let cluster = ChaosCluster(shape: shape, redis: startedRedis, redisProxy: startedProxy, moto: startedMoto,
                                       nodes: nodes, environment: environment, program: program)
            do {
                for _ in 0..<max(1, shape.masters) { try cluster.startMaster() }
                for _ in 0..<(world.workers.count + shape.spares) { try cluster.startWorker() }
                try await cluster.waitUntilServing(workers: world.workers.count)
            } catch {
                await cluster.stop()
                throw error
            }
            return cluster
        } catch {
            for node in nodes { await node.stop() }
            redis?.kill()
            await proxy?.stop()
            moto?.stop()
            throw error
        }
    }

    @discardableResult
    func startMaster() throws -> AnankorProcess { try start(.master, into: masters) }

    @discardableResult
    func startWorker() throws -> AnankorProcess { try start(.worker, into: workers) }

    private func start(_ role: AnankorProcess.Role, into list: Locked<[AnankorProcess]>) throws -> AnankorProcess {
        let index = list.withLock { $0.count + 1 }
        let process = try AnankorProcess(role: role, name: "\(role.rawValue)-\(index)", program: program,
                                         environment: environment)
        list.withLock { $0.append(process) }
        return process
    }

    var liveMasters: [AnankorProcess] { masters.value.filter(\.process.isRunning) }
    var liveWorkers: [AnankorProcess] { workers.value.filter(\.process.isRunning) }

    /// The worker process that holds `bot`'s token now.
    func holder(of bot: UInt64) -> AnankorProcess? { liveWorkers.first { $0.heldBot == bot } }

    /// A running worker process that holds no token.
    var spare: AnankorProcess? { liveWorkers.first { $0.heldBot == nil } }

    /// Every master ready and every token held.
    func waitUntilServing(workers tokens: Int, timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        var replaced: Set<Int32> = []
        while ContinuousClock.now < deadline {
            // A process that exits while starting is started again once, as its supervisor would
            // (deploy/systemd: Restart=on-failure), and said so; it is never silently waited for
            // (a dead master would leave the readiness check below vacuously true).
            for gone in masters.value + workers.value where !gone.process.isRunning && !replaced.contains(gone.process.pid) {
                guard replaced.count < 2 else {
                    throw ChildProcessError("\(gone.name) exited while the cluster started:\n\(gone.process.tail(8))")
                }
                replaced.insert(gone.process.pid)
                print("  \(gone.name) exited while the cluster started; started again as a supervisor would. Its last lines:\n"
                      + gone.process.tail(3))
                if gone.role == .master { try startMaster() } else { try startWorker() }
            }
            var ready = true
            for master in liveMasters {
                if !(await master.isReady) { ready = false }
            }
            let held = Set(liveWorkers.compactMap(\.heldBot))
            if ready, held.count == tokens {
                var workersReady = true
                for worker in liveWorkers where worker.heldBot != nil {
                    if !(await worker.isReady) { workersReady = false }
                }
                if workersReady { return }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let states = (masters.value + workers.value).map { "\($0.name): running \($0.process.isRunning), holds \($0.heldBot.map(String.init) ?? "-")\n\($0.process.tail(8))" }
        throw ChildProcessError("the cluster did not get ready within \(timeout):\n" + states.joined(separator: "\n"))
    }

    /// Stops everything: Anankor processes first (gracefully), then the servers they used.
    func stop() async {
        // Side by side: each may take its grace period, and a run should not wait for them in turn.
        for group in [workers.value, masters.value] {
            await withTaskGroup(of: Void.self) { tasks in
                for process in group { tasks.addTask { await process.process.stop(grace: .seconds(5)) } }
            }
        }
        for node in nodes { await node.stop() }
        await redisProxy.stop()
        redis.kill()
        moto.stop()
    }

    /// Copies every Anankor process's whole log into `directory` (`<name>.log`), to read after a
    /// failed run.
    func keepLogs(in directory: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for process in masters.value + workers.value {
            let target = directory.appendingPathComponent("\(process.name).log")
            try? FileManager.default.removeItem(at: target)
            try? FileManager.default.copyItem(at: process.process.logFile, to: target)
        }
    }

    /// Log tails of every Anankor process, for a report of a failed run.
    func logTails(lines: Int = 20) -> String {
        (masters.value + workers.value).map { "--- \($0.name)\n\($0.process.tail(lines))" }.joined(separator: "\n")
    }
}
