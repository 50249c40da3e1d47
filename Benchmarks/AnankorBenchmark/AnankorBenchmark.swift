// The load generator of issue 8: emulators + Anankor (embedded and distributed) + the null-bot
// floor + the Python peer, one workload, one report. Run (docs/performance.md):
//   swift build -c release && swift run -c release AnankorBenchmark
import AnankorCore
import AnankorTesting
import ArgumentParser
import Foundation
import Logging
import RedisKit

@main
struct AnankorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "AnankorBenchmark",
        abstract: "Measures Anankor against the null-bot floor and the Python peer through the emulators.",
        subcommands: [Measure.self, NullBotCommand.self],
        defaultSubcommand: Measure.self)
}

struct NullBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "null-bot", abstract: "The floor bot (started by the benchmark; reads DISCORD_API_URL, NULL_BOT_TOKEN).")

    func run() async throws { try await NullBot.run() }
}

struct Measure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "measure", abstract: "Runs the workload and writes the report.")

    @Option(help: "Guilds in the workload.") var guilds = 10
    @Option(help: "Voice channels per guild (Anankor's multi-channel workload).") var channels = 3
    @Option(help: "Members per voice channel.") var users = 2
    @Option(help: "Worker bots (and worker processes in distributed mode).") var workers = 3
    @Option(help: "Seconds each contender runs the command mix.") var duration = 20.0
    @Option(help: "Target commands per second over all members (default: as fast as answers come).") var rate: Double?
    @Option(help: "The Lavalink emulator's clock speed.") var lavalinkSpeed = 60.0
    @Option(help: "Contenders, comma-separated: anankor-embedded, anankor-distributed, null-bot, python-peer.")
    var contenders = ContenderKind.allCases.map(\.rawValue).joined(separator: ",")
    @Flag(help: "A tiny workload (one cycle per member) that fails only on errors: the scripts/test smoke run.")
    var smoke = false
    @Flag(help: "Also run the scale runs (guild cache, dispatch rate, concurrent sessions).") var scale = false
    @Option(help: "Scale run: guilds in the master's GUILD_CREATEs.") var scaleGuilds = 10_000
    @Option(help: "Scale run: target gateway dispatches per second.") var dispatchRate = 10_000.0
    @Option(help: "Scale run: seconds of dispatch load.") var dispatchSeconds = 10.0
    @Option(help: "Scale run: concurrent sessions (0 skips).") var scaleSessions = 500
    @Option(help: "Scale run: worker bots and processes for the sessions.") var scaleWorkers = 5
    @Option(help: "Where the JSON and Markdown reports go.") var output = ".build/benchmarks"
    @Option(help: "Python with discord.py and wavelink, for the peer.") var python = "python3"

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let programs = try Programs.locate(repository: repository, python: python)
        let kinds = try contenders.split(separator: ",").map { name in
            guard let kind = ContenderKind(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--contenders: unknown contender '\(name)'")
            }
            return kind
        }
        var shape = WorkloadShape(guilds: guilds, channelsPerGuild: channels, usersPerChannel: users, workerBots: workers,
                                  duration: duration, rate: rate, lavalinkSpeed: lavalinkSpeed)
        if smoke {
            shape = WorkloadShape(guilds: 2, channelsPerGuild: 2, usersPerChannel: 2, workerBots: 2, duration: 0,
                                  rate: nil, lavalinkSpeed: lavalinkSpeed)
        }
        guard shape.channelsPerGuild <= shape.workerBots else {
            throw ValidationError("--channels (\(shape.channelsPerGuild)) must not exceed --workers (\(shape.workerBots)): "
                + "a worker bot plays in one channel per guild")
        }

        var report = BenchmarkReport(date: ISO8601DateFormatter().string(from: Date()),
                                     machine: BenchmarkReport.machineDescription(), shape: shape, contenders: [],
                                     redisPing: nil, scale: nil, problems: [])
        // The multi-channel workload: Anankor in both modes and the floor, with buttons and lobbies.
        for kind in kinds where kind != .peer {
            let abilities = ContenderAbilities(buttons: kind != .nullBot, games: kind != .nullBot)
            print("==> \(kind.rawValue), multi-channel")
            let result = try await runContender(kind, workload: "multi-channel", shape: shape, abilities: abilities,
                                                programs: programs, logger: logger, measureRedis: kind == .anankorDistributed)
            report.contenders.append(result.report)
            if let ping = result.redisPing { report.redisPing = ping }
        }
        // The peer's shape: one channel per guild, music commands only, for every contender that can.
        if kinds.contains(.peer) {
            var single = shape
            single.channelsPerGuild = 1
            for kind in [ContenderKind.anankorEmbedded, .peer, .nullBot] where kinds.contains(kind) {
                print("==> \(kind.rawValue), one-channel")
                let result = try await runContender(kind, workload: "one-channel", shape: single,
                                                    abilities: ContenderAbilities(buttons: false, games: false),
                                                    programs: programs, logger: logger, measureRedis: false)
                report.contenders.append(result.report)
            }
        }
        if scale {
            report.scale = try await ScaleRuns(programs: programs, logger: logger).run(
                guilds: scaleGuilds, dispatchRate: dispatchRate, dispatchSeconds: dispatchSeconds,
                sessions: scaleSessions, workers: scaleWorkers)
        }
        (report.problems, report.notes) = problems(in: report)

        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: directory.appendingPathComponent("report.json"))
        try Data(report.markdown.utf8).write(to: directory.appendingPathComponent("report.md"))
        print("")
        print(report.markdown)
        print("Reports: \(directory.path)/report.json, report.md")
        if !report.problems.isEmpty { throw ExitCode(1) }
    }

    /// Errors, never speed: unanswered interactions and plays whose track never started. The
    /// peer's own slips are notes (it is the comparison, not the system under test).
    private func problems(in report: BenchmarkReport) -> (problems: [String], notes: [String]) {
        var problems: [String] = []
        var notes: [String] = []
        for contender in report.contenders {
            guard contender.contender != .peer else {
                let m = contender.measurements
                if m.unanswered > 0 || m.playsNotStarted > 0 {
                    notes.append("python-peer (\(contender.workload)): \(m.unanswered) unanswered, \(m.playsNotStarted) plays "
                        + "never started; " + m.playsNotStartedAnswers.joined(separator: "; "))
                }
                if m.commands == 0 || m.playCold == nil { problems.append("python-peer: it played nothing") }
                continue
            }
            let m = contender.measurements
            let name = "\(contender.contender.rawValue) (\(contender.workload))"
            if m.commands == 0 { problems.append("\(name): no commands were issued") }
            if m.unanswered > 0 { problems.append("\(name): \(m.unanswered) of \(m.commands) interactions unanswered") }
            if m.playsNotStarted > 0 {
                problems.append("\(name): \(m.playsNotStarted) plays never started a track; answers: "
                    + m.playsNotStartedAnswers.joined(separator: "; "))
            }
            if contender.contender.playsMusic, m.playCold == nil { problems.append("\(name): no track started") }
        }
        return (problems, notes)
    }

    private struct ContenderResult {
        var report: ContenderReport
        var redisPing: LatencySummary?
    }

    private func runContender(_ kind: ContenderKind, workload: String, shape: WorkloadShape,
                              abilities: ContenderAbilities, programs: Programs, logger: Logger,
                              measureRedis: Bool) async throws -> ContenderResult {
        let world = try await BenchWorld.start(shape, logger: logger)
        let contender: RunningContender
        do {
            contender = try await RunningContender.start(kind, world: world, programs: programs)
        } catch {
            await world.stop()
            throw error
        }
        do {
            let lanes = world.lanes
            try await world.seatMembers(lanes)
            // Voice states reach the bots before the first command.
            try await Task.sleep(for: .milliseconds(500))
            // Single commands while nothing plays (not part of the run's figures): round trips per command kind.
            var probe: RoundTripProbeReport?
            if kind.playsMusic, let lane = lanes.first(where: { !Workload.isListener($0) }) {
                probe = await RoundTripProbe(world: world, contender: contender, lane: lane,
                                             tag: "bench-\(kind.rawValue)-\(workload)-probe",
                                             runSpeed: shape.lavalinkSpeed).run()
            }
            let before = contender.processes.map { ProcessProbe.sample(pid: $0.pid)?.cpuSeconds ?? 0 }
            let supportingBefore = contender.supporting.map { ProcessProbe.sample(pid: $0.pid)?.cpuSeconds ?? 0 }
            let harnessBefore = ProcessProbe.sample(pid: ProcessProbe.selfPID)?.cpuSeconds ?? 0
            let roundTripsBefore = await contender.storeRoundTrips()
            let started = ContinuousClock.now
            let tag = "bench-\(kind.rawValue)-\(workload)"
            let commands = await Workload(world: world, application: contender.application, abilities: abilities,
                                          lanes: lanes, gate: RateGate(rate: shape.rate), tag: tag)
                .run(until: started + .seconds(shape.duration), minimumCycles: 1)
            let seconds = (ContinuousClock.now - started).timeInterval
            // Late followups and the last auto-advances land before the records are read.
            try await Task.sleep(for: .seconds(1))
            func usage(_ name: String, pid: Int32, since cpu: Double) -> ProcessUsage {
                let sample = ProcessProbe.sample(pid: pid)
                return ProcessUsage(name: name, cpuSeconds: (sample?.cpuSeconds ?? cpu) - cpu,
                                    peakRSSBytes: sample?.peakRSSBytes ?? 0)
            }
            let processes = zip(contender.processes, before).map { usage($0.name, pid: $0.pid, since: $1) }
            let supporting = zip(contender.supporting, supportingBefore).map { usage($0.name, pid: $0.pid, since: $1) }
            let harness = usage("benchmark (emulators + members)", pid: ProcessProbe.selfPID, since: harnessBefore)
            // Read with the CPU figures: the same window (background work such as heartbeats included).
            let roundTripsAfter = await contender.storeRoundTrips()
            let measurements = await MeasurementReader.read(commands, world: world, tag: tag, music: kind.playsMusic)
            var redisPing: LatencySummary?
            if measureRedis, let url = contender.redisURL { redisPing = try await Self.pingFloor(url: url) }
            await contender.stop()
            await world.stop()
            let report = ContenderReport(
                contender: kind, workload: workload, lanes: lanes.count, seconds: seconds,
                commandsPerSecond: seconds > 0 ? Double(commands.count) / seconds : 0, measurements: measurements,
                processes: processes, supporting: supporting, harness: harness,
                storeRoundTrips: StoreRoundTrips(before: roundTripsBefore, after: roundTripsAfter), roundTripProbe: probe)
            if let line = report.storeRoundTripsLine { print(line) }
            for line in probe?.lines ?? [] { print("      \(line)") }
            return ContenderResult(report: report, redisPing: redisPing)
        } catch {
            await contender.stop()
            await world.stop()
            throw error
        }
    }

    /// Sequential PINGs through RedisKit: the least a Redis-backed step can cost on this machine.
    static func pingFloor(url: String, count: Int = 2_000) async throws -> LatencySummary? {
        let client = try RedisClient(url: url)
        do {
            _ = try await client.send("PING")
            var samples: [Double] = []
            samples.reserveCapacity(count)
            let clock = ContinuousClock()
            for _ in 0..<count {
                let elapsed = try await clock.measure { _ = try await client.send("PING") }
                samples.append(elapsed.timeInterval * 1000)
            }
            await client.close()
            return LatencySummary(samples)
        } catch {
            await client.close()
            throw error
        }
    }
}
