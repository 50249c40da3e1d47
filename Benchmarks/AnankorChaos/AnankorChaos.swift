import ArgumentParser
import Foundation
import Logging

/// Kills, stops and slows Anankor's processes and servers while members listen, and checks with
/// a total-queue checker that nothing was lost, doubled, left unanswered or stuck
/// (docs/reliability.md).
@main
struct AnankorChaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fault injection against real anankor processes, with a total-queue checker.",
        discussion: "Build first: swift build -c release --product anankor --product AnankorChaos")

    @Option(help: "Runs per fault.")
    var runs = 5

    @Option(help: "Comma-separated faults (default: all). Known: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var faults: String?

    @Option(help: "The first run's seed (each further run adds 1); printed with every run so a failure can be replayed.")
    var seed: UInt64?

    @Flag(help: "Each fault once in a small world: the check scripts/test runs. Fails on lost or duplicated tracks, unanswered interactions, double audio, stuck sessions, silence while shown playing or a reminder not posted once, never on timing.")
    var smoke = false

    @Option(help: "Where report.json and report.md go.")
    var output = ".build/chaos"

    @Option(help: "The anankor executable (default: beside this one).")
    var anankor: String?

    @Flag(help: "Keep every run's process logs in <output>/logs/<fault>-<seed>/, not only a failed run's.")
    var keepLogs = false

    func run() async throws {
        // The smoke takes Redis down once (5 s); the longer outages only differ in duration.
        // With no free bot, the stopped variant takes the same path after its notice as the killed
        // one (and its hand-over is exercised by worker-sigterm-no-spare): the killed one is enough.
        var selected = smoke
            ? FaultKind.allCases.filter { ![.redisDown15s, .redisDown30s, .workerTermNoFreeBot].contains($0) }
            : FaultKind.allCases
        if let faults {
            selected = try faults.split(separator: ",").map { name in
                guard let fault = FaultKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown fault \"\(name)\"; known: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return fault
            }
        }
        let program = try locateAnankor()
        var logger = Logger(label: "anankor.chaos")
        logger.logLevel = .warning
        let settings = smoke
            ? RunSettings(guilds: 1, lanesPerGuild: 2, tracksPerLane: 2, windowSpeed: 1, drainSpeed: 150,
                          trackLengths: 60_000...150_000, drainTimeout: .seconds(45), longestWindow: .seconds(12),
                          reminderGrace: .seconds(12))
            : RunSettings(guilds: 2, lanesPerGuild: 2, tracksPerLane: 3, windowSpeed: 1, drainSpeed: 150,
                          trackLengths: 60_000...150_000, drainTimeout: .seconds(60))
        let runsPerFault = smoke ? 1 : max(1, runs)
        let base = seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000_007
        var verdicts: [Verdict] = []
        var summaries: [FaultSummary] = []
        var index: UInt64 = 0
        for fault in selected {
            var mine: [Verdict] = []
            for run in 1...runsPerFault {
                let runSeed = base &+ index
                index += 1
                print("chaos: \(fault.rawValue) run \(run)/\(runsPerFault) seed \(runSeed)")
                let record = await ChaosRun(fault: fault, seed: runSeed, settings: settings, program: program,
                                            logger: logger,
                                            logDirectory: URL(fileURLWithPath: output).appendingPathComponent("logs"),
                                            keepAllLogs: keepLogs)
                    .execute()
                let verdict = Verdict(record)
                print("  " + Self.line(verdict))
                if verdict.failed, let tail = record.logTail { print(tail.split(separator: "\n").suffix(60).joined(separator: "\n")) }
                mine.append(verdict)
            }
            verdicts += mine
            summaries.append(FaultSummary(fault: fault, verdicts: mine))
        }
        let report = ChaosReport(date: ISO8601DateFormatter().string(from: Date()), machine: Self.machine,
                                 settings: settings, summaries: summaries, verdicts: verdicts)
        try report.write(to: URL(fileURLWithPath: output))
        print(report.markdown)
        print("chaos: report in \(output)/report.{json,md}" + (report.failed ? "; logs of failed runs in \(output)/logs" : ""))
        if report.failed { throw ExitCode(1) }
    }

    static func line(_ v: Verdict) -> String {
        if let error = v.setupError { return "ERROR \(error.prefix(3000))" }
        func f(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "—" }
        return "queued \(v.queued) played \(v.played) recovered \(v.recovered) still-queued \(v.stillQueued) lost \(v.lost) "
            + "dup \(v.duplicated) unanswered \(v.unanswered)/\(v.interactions) (\(v.sentWithoutMaster) sent with no master) stuck \(v.stuck) double-audio \(v.doubleAudio) silent-while-playing \(v.silentWhilePlaying)/\(v.playingLooks) reminders-wrong \(v.remindersWrong)/\(v.reminders) "
            + "notice \(f(v.noticeMs)) takeover \(f(v.takeoverMs)) resumed \(f(v.resumedMs)) gap \(f(v.gapMs)) rewind \(f(v.rewindMs)) dead-bot-heard \(f(v.phantomMs)) hidden-silence \(f(v.silenceBehindPlayingMs))"
            + (v.silenceBehindPlayingWhere.map { " (\($0))" } ?? "")
            + (v.failed ? "  FAILED" : "")
    }

    private func locateAnankor() throws -> String {
        if let anankor { return anankor }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let path = executable.deletingLastPathComponent().appendingPathComponent("anankor").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("\(path) is missing: build it first (swift build --product anankor)")
        }
        return path
    }

    static var machine: String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = ProcessInfo.processInfo.physicalMemory / (1 << 30)
        return "\(cores) cores, \(memory) GiB"
    }
}
