import AnankorTesting
import Foundation

/// One contender's run of one workload.
struct ContenderReport: Sendable, Codable {
    var contender: ContenderKind
    /// `multi-channel` (several voice channels per guild) or `one-channel` (the peer's shape).
    var workload: String
    var lanes: Int
    var seconds: Double
    var commandsPerSecond: Double
    var measurements: RunMeasurements
    var processes: [ProcessUsage]
    /// Redis and moto in distributed mode (not counted in `cpuSeconds`).
    var supporting: [ProcessUsage]
    /// The benchmark process itself: emulators and the load generator.
    var harness: ProcessUsage
    /// State store and ledger round trips of the contender's processes during the run (Anankor only).
    var storeRoundTrips: StoreRoundTrips?
    /// Round trips of single commands sent one at a time after the run.
    var roundTripProbe: RoundTripProbeReport?
    var cpuSeconds: Double { processes.reduce(0) { $0 + $1.cpuSeconds } }
    var commandsPerCPUSecond: Double { cpuSeconds > 0 ? Double(measurements.commands) / cpuSeconds : 0 }
    var peakRSSBytes: Int { processes.map(\.peakRSSBytes).max() ?? 0 }

    enum CodingKeys: String, CodingKey {
        case contender, workload, lanes, seconds, commandsPerSecond, measurements, processes, supporting, harness
        case storeRoundTrips, roundTripProbe
    }

    /// `store round trips per command: 9.4 (redis 8.1, dynamodb 1.3)`; nil without figures.
    var storeRoundTripsLine: String? {
        guard let trips = storeRoundTrips, measurements.commands > 0 else { return nil }
        let commands = Double(measurements.commands)
        let stores = trips.byStore.sorted { $0.key < $1.key }
            .map { "\($0.key) " + String(format: "%.1f", $0.value / commands) }.joined(separator: ", ")
        return "    \(contender.rawValue) (\(workload)): store round trips per command "
            + String(format: "%.1f", trips.total / commands) + (stores.isEmpty ? "" : " (\(stores))")
    }
}

/// `anankor_store_round_trips_total` over a run: the difference of two scrapes, by `store/operation`.
struct StoreRoundTrips: Sendable, Codable {
    var byOperation: [String: Double]

    init?(before: [String: Double]?, after: [String: Double]?) {
        guard let before, let after else { return nil }
        byOperation = after.reduce(into: [:]) { result, item in
            let delta = item.value - (before[item.key] ?? 0)
            if delta > 0 { result[item.key] = delta }
        }
    }

    var total: Double { byOperation.values.reduce(0, +) }
    var byStore: [String: Double] {
        byOperation.reduce(into: [:]) { $0[String($1.key.prefix { $0 != "/" }), default: 0] += $1.value }
    }
}

struct ScaleReport: Sendable, Codable {
    var guilds: Int?
    var masterReadySeconds: Double?
    var masterRSSBytes: Int?
    var masterBaselineRSSBytes: Int?
    var masterBytesPer10kGuilds: Double?
    var dispatchTargetPerSecond: Double?
    var dispatchSentPerSecond: Double?
    var dispatchReceivedPerSecond: Double?
    var dispatchMasterCPUSecondsPer10k: Double?
    var dispatchInteractionDuringLoad: LatencySummary?
    var sessions: Int?
    var sessionsPlaying: Int?
    var sessionsSeconds: Double?
    var sessionWorkers: Int?
    var sessionProcesses: [ProcessUsage]?
    /// The benchmark's own CPU during the run: the Discord and Lavalink emulators and the members.
    var sessionEmulatorCPUSeconds: Double?
    /// What the master did, from its `/metrics` at the end: Discord REST requests by route and
    /// status, commands by name and outcome.
    var sessionMasterREST: [String: Double]?
    var sessionMasterCommands: [String: Double]?

    /// The least time Discord's rules allow for the concurrent-sessions run: each worker bot sends
    /// one voice join per guild it plays in, at most 120 gateway payloads a minute per connection,
    /// and the members' /plays are paced at `ScaleRuns.playRate`; the larger of the two.
    var sessionsPacingBound: Double? {
        guard let sessions, let workers = sessionWorkers, workers > 0 else { return nil }
        let joinsPerBot = (Double(sessions) / Double(workers)).rounded(.up)
        return max(joinsPerBot / 120 * 60, Double(sessions) / ScaleRuns.playRate)
    }
}

struct BenchmarkReport: Sendable, Codable {
    var date: String
    var machine: String
    var shape: WorkloadShape
    var contenders: [ContenderReport]
    var redisPing: LatencySummary?
    var scale: ScaleReport?
    var problems: [String]
    var notes: [String] = []
}

extension BenchmarkReport {
    static func machineDescription() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } }
        let memory = ProcessInfo.processInfo.physicalMemory / (1 << 30)
        return "\(model ?? "unknown CPU"), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(memory) GiB"
    }

    func contender(_ kind: ContenderKind, _ workload: String) -> ContenderReport? {
        contenders.first { $0.contender == kind && $0.workload == workload }
    }

    /// The aims of issue 8, as ratios (reported, never asserted).
    var comparisons: [(aim: String, value: String)] {
        var rows: [(String, String)] = []
        func fmt(_ value: Double, _ unit: String = "") -> String { String(format: "%.2f", value) + unit }
        let null = contender(.nullBot, "multi-channel")
        if let null, let floor = null.measurements.firstResponse?.p99 {
            for kind in [ContenderKind.anankorEmbedded, .anankorDistributed] {
                if let p99 = contender(kind, "multi-channel")?.measurements.firstResponse?.p99 {
                    rows.append(("first response p99 ≤ 2× null-bot floor (\(kind.rawValue))",
                                 "\(fmt(p99 / floor))× (\(fmt(p99)) ms vs \(fmt(floor)) ms)"))
                }
            }
            if let play = contender(.anankorDistributed, "multi-channel")?.measurements.playWarm?.p99 {
                rows.append(("interaction → play p99 (distributed, warm) ≤ floor + 2 ms",
                             "floor + \(fmt(play - floor)) ms (\(fmt(play)) ms)"))
            }
        }
        if let anankor = contender(.anankorEmbedded, "one-channel"), let peer = contender(.peer, "one-channel"),
           peer.commandsPerCPUSecond > 0
        {
            rows.append(("commands per CPU-second ≥ 5× the peer (one channel per guild)",
                         "\(fmt(anankor.commandsPerCPUSecond / peer.commandsPerCPUSecond))× (\(fmt(anankor.commandsPerCPUSecond)) vs \(fmt(peer.commandsPerCPUSecond)))"))
            if let worker = contender(.anankorDistributed, "multi-channel")?.processes.first(where: { $0.name.hasPrefix("anankor worker") }),
               peer.peakRSSBytes > 0
            {
                rows.append(("worker RSS ≤ 1/3 of the peer's",
                             "\(fmt(Double(worker.peakRSSBytes) / Double(peer.peakRSSBytes)))× (\(mib(worker.peakRSSBytes)) vs \(mib(peer.peakRSSBytes)))"))
            }
        }
        if let bytes = scale?.masterBytesPer10kGuilds {
            rows.append(("master cache ≤ 25 MB per 10k guilds", String(format: "%.1f MB", bytes / 1_000_000)))
        }
        return rows
    }

    var markdown: String {
        var lines: [String] = []
        lines.append("# Anankor benchmark — \(date)")
        lines.append("")
        lines.append("Machine: \(machine). Workload: \(shape.guilds) guilds × \(shape.channelsPerGuild) voice channels × "
            + "\(shape.usersPerChannel) members, \(shape.workerBots) worker bots, \(Int(shape.duration)) s per contender, "
            + (shape.rate.map { "target \(Int($0)) commands/s" } ?? "as fast as answers come")
            + ", Lavalink clock ×\(Int(shape.lavalinkSpeed)).")
        lines.append("")
        lines.append("Latencies in ms (p50 / p90 / p99 / max), measured with the emulators' timestamps.")
        lines.append("")
        lines.append("| contender | workload | cmds | cmds/s | interaction → first response | → play (cold) | → play (warm) | TrackEnd → next | CPU s | cmds / CPU s | peak RSS | unanswered |")
        lines.append("|---|---|---:|---:|---|---|---|---|---:|---:|---:|---:|")
        for report in contenders {
            let m = report.measurements
            lines.append("| \(report.contender.rawValue) | \(report.workload) | \(m.commands) | "
                + String(format: "%.0f", report.commandsPerSecond) + " | \(cell(m.firstResponse)) | \(cell(m.playCold)) | "
                + "\(cell(m.playWarm)) | \(cell(m.autoAdvance)) | " + String(format: "%.1f", report.cpuSeconds) + " | "
                + String(format: "%.0f", report.commandsPerCPUSecond) + " | \(mib(report.peakRSSBytes)) | \(m.unanswered) |")
        }
        lines.append("")
        lines.append("Per process (CPU seconds during the run, peak RSS):")
        lines.append("")
        lines.append("| contender | workload | process | CPU s | peak RSS |")
        lines.append("|---|---|---|---:|---:|")
        for report in contenders {
            for usage in report.processes + report.supporting + [report.harness] {
                lines.append("| \(report.contender.rawValue) | \(report.workload) | \(usage.name) | "
                    + String(format: "%.2f", usage.cpuSeconds) + " | \(mib(usage.peakRSSBytes)) |")
            }
        }
        let counted = contenders.filter { $0.storeRoundTrips != nil && $0.measurements.commands > 0 }
        if !counted.isEmpty {
            lines.append("")
            lines.append("Store round trips per command (`anankor_store_round_trips_total` of every process over the run, "
                + "background work included, divided by the commands; the five largest operations):")
            lines.append("")
            lines.append("| contender | workload | per command | redis | sqlite | dynamodb | largest |")
            lines.append("|---|---|---:|---:|---:|---:|---|")
            for report in counted {
                guard let trips = report.storeRoundTrips else { continue }
                let commands = Double(report.measurements.commands)
                let stores = trips.byStore
                func perCommand(_ value: Double?) -> String { value.map { String(format: "%.2f", $0 / commands) } ?? "–" }
                let largest = trips.byOperation.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
                    .map { "\($0.key) " + String(format: "%.2f", $0.value / commands) }.joined(separator: ", ")
                lines.append("| \(report.contender.rawValue) | \(report.workload) | \(perCommand(trips.total)) | "
                    + "\(perCommand(stores["redis"])) | \(perCommand(stores["sqlite"])) | \(perCommand(stores["dynamodb"])) | \(largest) |")
            }
        }
        let probed = contenders.filter { $0.roundTripProbe != nil }
        if !probed.isEmpty {
            lines.append("")
            lines.append("Store round trips of single commands (one member, one command at a time before the run while "
                + "nothing else plays, counted until every process's counters stood still for 300 ms; only "
                + "`origin=\"command\"`: periodic passes in the window are not charged to the command):")
            for report in probed {
                lines.append("")
                lines.append("- \(report.contender.rawValue) (\(report.workload)):")
                for line in report.roundTripProbe?.lines ?? [] { lines.append("  - \(line)") }
            }
        }
        if let ping = redisPing {
            lines.append("")
            lines.append("Redis round trip (PING through RedisKit, sequential): \(cell(ping)) ms.")
        }
        let comparisons = comparisons
        if !comparisons.isEmpty {
            lines.append("")
            lines.append("| aim | measured |")
            lines.append("|---|---|")
            for row in comparisons { lines.append("| \(row.aim) | \(row.value) |") }
        }
        if let scale {
            lines.append("")
            lines.append("Scale:")
            lines.append("")
            if let guilds = scale.guilds, let seconds = scale.masterReadySeconds, let rss = scale.masterRSSBytes {
                lines.append("- master with \(guilds) guilds in GUILD_CREATE: all cached after "
                    + String(format: "%.1f", seconds) + " s, RSS \(mib(rss))"
                    + (scale.masterBaselineRSSBytes.map { " (\(mib($0)) with 1 guild)" } ?? "")
                    + (scale.masterBytesPer10kGuilds.map { String(format: "; %.1f MB per 10k guilds", $0 / 1_000_000) } ?? ""))
            }
            if let target = scale.dispatchTargetPerSecond, let sent = scale.dispatchSentPerSecond,
               let received = scale.dispatchReceivedPerSecond
            {
                lines.append("- gateway dispatch: target \(Int(target))/s, emulator sent " + String(format: "%.0f", sent)
                    + "/s, master handled " + String(format: "%.0f", received) + "/s"
                    + (scale.dispatchMasterCPUSecondsPer10k.map { String(format: ", %.2f master CPU s per 10k events", $0) } ?? "")
                    + (scale.dispatchInteractionDuringLoad.map { "; an interaction meanwhile: first response \(cell($0)) ms" } ?? ""))
            }
            if let sessions = scale.sessions, let playing = scale.sessionsPlaying, let seconds = scale.sessionsSeconds {
                lines.append("- concurrent sessions: \(playing) of \(sessions) playing after " + String(format: "%.1f", seconds) + " s"
                    + (scale.sessionsPacingBound.map { bound in
                        playing >= sessions
                            ? String(format: " (Discord's pacing allows %.1f s at best: %.2f× that)", bound, seconds / bound)
                            : String(format: " (Discord's pacing would allow all of them in %.1f s)", bound)
                    } ?? ""))
                for usage in scale.sessionProcesses ?? [] {
                    lines.append("  - \(usage.name): " + String(format: "%.1f", usage.cpuSeconds) + " CPU s, peak RSS \(mib(usage.peakRSSBytes))")
                }
                if let emulators = scale.sessionEmulatorCPUSeconds {
                    lines.append("  - the emulators and members (this process): " + String(format: "%.1f", emulators) + " CPU s")
                }
                func counts(_ values: [String: Double]?) -> String? {
                    guard let values, !values.isEmpty else { return nil }
                    return values.sorted { $0.value > $1.value }.prefix(8)
                        .map { "\($0.key) \(Int($0.value))" }.joined(separator: ", ")
                }
                if let rest = counts(scale.sessionMasterREST) { lines.append("  - the master's Discord REST requests: \(rest)") }
                if let commands = counts(scale.sessionMasterCommands) { lines.append("  - the master's commands: \(commands)") }
            }
        }
        if !problems.isEmpty {
            lines.append("")
            lines.append("Problems:")
            for problem in problems { lines.append("- \(problem)") }
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            for note in notes { lines.append("- \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func cell(_ summary: LatencySummary?) -> String {
        guard let summary else { return "–" }
        return [summary.p50, summary.p90, summary.p99, summary.max].map { String(format: "%.1f", $0) }.joined(separator: " / ")
    }
}

func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
