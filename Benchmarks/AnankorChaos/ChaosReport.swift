import Foundation

/// The figures of one fault over its runs.
struct FaultSummary: Sendable, Codable {
    struct Spread: Sendable, Codable {
        var p50: Double
        var max: Double
        var samples: Int

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            p50 = sorted[(sorted.count - 1) / 2]
            max = sorted[sorted.count - 1]
            samples = sorted.count
        }
    }

    var fault: String
    var promise: String
    var runs: Int
    var failedRuns: Int
    var setupErrors: Int
    var queued: Int
    var lost: Int
    var duplicated: Int
    var recovered: Int
    var stillQueued: Int
    var interactions: Int
    var unanswered: Int
    var stuck: Int
    var doubleAudio: Int
    var silentWhilePlaying: Int
    var playingLooks: Int
    var reminders: Int
    var remindersWrong: Int
    var notice: Spread?
    var takeover: Spread?
    var resumed: Spread?
    var gap: Spread?
    var rewind: Spread?
    var phantom: Spread?
    /// The longest silence a ▶️ look hid, per run.
    var silenceBehindPlaying: Spread?
    var seeds: [UInt64]

    init(fault: FaultKind, verdicts: [Verdict]) {
        self.fault = fault.rawValue
        promise = fault.promise
        runs = verdicts.count
        failedRuns = verdicts.filter(\.failed).count
        setupErrors = verdicts.filter { $0.setupError != nil }.count
        queued = verdicts.map(\.queued).reduce(0, +)
        lost = verdicts.map(\.lost).reduce(0, +)
        duplicated = verdicts.map(\.duplicated).reduce(0, +)
        recovered = verdicts.map(\.recovered).reduce(0, +)
        stillQueued = verdicts.map(\.stillQueued).reduce(0, +)
        interactions = verdicts.map(\.interactions).reduce(0, +)
        unanswered = verdicts.map(\.unanswered).reduce(0, +)
        stuck = verdicts.map(\.stuck).reduce(0, +)
        doubleAudio = verdicts.map(\.doubleAudio).reduce(0, +)
        silentWhilePlaying = verdicts.map(\.silentWhilePlaying).reduce(0, +)
        playingLooks = verdicts.map(\.playingLooks).reduce(0, +)
        reminders = verdicts.map(\.reminders).reduce(0, +)
        remindersWrong = verdicts.map(\.remindersWrong).reduce(0, +)
        notice = Spread(verdicts.compactMap(\.noticeMs))
        takeover = Spread(verdicts.compactMap(\.takeoverMs))
        resumed = Spread(verdicts.compactMap(\.resumedMs))
        gap = Spread(verdicts.compactMap(\.gapMs))
        rewind = Spread(verdicts.compactMap(\.rewindMs))
        phantom = Spread(verdicts.compactMap(\.phantomMs))
        silenceBehindPlaying = Spread(verdicts.compactMap(\.silenceBehindPlayingMs))
        seeds = verdicts.map(\.seed)
    }
}

struct ChaosReport: Sendable, Codable {
    var date: String
    var machine: String
    var settings: RunSettings
    var summaries: [FaultSummary]
    var verdicts: [Verdict]

    var failed: Bool { verdicts.contains(where: \.failed) }

    func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent("report.json"))
        try markdown.write(to: directory.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
    }

    var markdown: String {
        func ms(_ spread: FaultSummary.Spread?) -> String {
            guard let spread else { return "—" }
            return String(format: "%.0f / %.0f", spread.p50, spread.max)
        }
        var lines = [
            "# Chaos run, \(date)", "",
            "Machine: \(machine). World: \(settings.guilds) guild(s) × \(settings.lanesPerGuild) listening channels, "
                + "\(settings.tracksPerLane) tracks queued per channel; Lavalink clock ×\(settings.windowSpeed) during a fault's "
                + "window. Times in ms after the fault (p50 / max); rewind in ms of audio. Silent while ▶️: looks that "
                + "showed playing after more than \(Int(Verdict.silenceTolerance / 1000)) s of silence / all ▶️ looks; "
                + "hidden silence: the longest silence a ▶️ look hid.", "",
            "| fault | runs | failed | queued | lost | dup | recovered | unanswered | stuck | double audio | silent while ▶️ | reminders not once | notice | takeover | resumed | gap | rewind | dead bot heard | hidden silence |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in summaries {
            lines.append("| \(s.fault) | \(s.runs) | \(s.failedRuns) | \(s.queued) | \(s.lost) | \(s.duplicated) | \(s.recovered) | "
                + "\(s.unanswered)/\(s.interactions) | \(s.stuck) | \(s.doubleAudio) | \(s.silentWhilePlaying)/\(s.playingLooks) | "
                + "\(s.remindersWrong)/\(s.reminders) | \(ms(s.notice)) | \(ms(s.takeover)) | "
                + "\(ms(s.resumed)) | \(ms(s.gap)) | \(ms(s.rewind)) | \(ms(s.phantom)) | \(ms(s.silenceBehindPlaying)) |")
        }
        let failures = verdicts.filter(\.failed)
        if !failures.isEmpty {
            lines += ["", "## Failed runs (replay with `--faults FAULT --seed SEED --runs 1`)", ""]
            for verdict in failures {
                var what: [String] = []
                if let error = verdict.setupError { what.append("error: \(error.prefix(300))") }
                if verdict.lost > 0 { what.append("lost \(verdict.lostTracks.joined(separator: ", "))") }
                if verdict.duplicated > 0 { what.append("duplicated \(verdict.duplicatedTracks.joined(separator: ", "))") }
                if verdict.unanswered > 0 {
                    what.append("\(verdict.unanswered) unanswered (\(verdict.unansweredCommands.joined(separator: ", ")))")
                }
                if verdict.stuck > 0 { what.append("\(verdict.stuck) stuck") }
                if verdict.doubleAudio > 0 { what.append("double audio ×\(verdict.doubleAudio)") }
                if verdict.silentWhilePlaying > 0 {
                    what.append("silent while playing (\(verdict.silentWhilePlayingDetail.joined(separator: ", ")))")
                }
                if verdict.remindersWrong > 0 { what.append("the lobby reminder was not posted exactly once") }
                lines.append("- \(verdict.fault) seed \(verdict.seed): \(what.joined(separator: "; "))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
