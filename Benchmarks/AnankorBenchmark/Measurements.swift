import DiscordEmulator
import Foundation
import LavalinkEmulator

/// p50/p90/p99/max of a set of latencies, in milliseconds.
struct LatencySummary: Sendable, Codable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double {
            // Nearest rank: the smallest sample with at least p of the samples at or below it.
            let rank = Int((p * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
        }
        count = sorted.count
        p50 = percentile(0.50)
        p90 = percentile(0.90)
        p99 = percentile(0.99)
        max = sorted[sorted.count - 1]
        mean = sorted.reduce(0, +) / Double(sorted.count)
    }
}

/// What the emulators recorded about one contender's run, turned into latencies.
struct RunMeasurements: Sendable, Codable {
    var commands: Int
    var unanswered: Int
    /// `/play` commands into an idle channel whose track never started.
    var playsNotStarted: Int
    var firstResponse: LatencySummary?
    var playCold: LatencySummary?
    var playWarm: LatencySummary?
    var autoAdvance: LatencySummary?
    /// Per command label (`play`, `button pause`, …): interaction → first response.
    var firstResponseByCommand: [String: LatencySummary]
    /// What the member saw for plays whose track never started (the first few).
    var playsNotStartedAnswers: [String] = []
}

enum MeasurementReader {
    /// When the interaction was created and first answered (emulator wall clock, Unix ms).
    static func times(of interaction: UInt64, in discord: DiscordEmulator) async
        -> (created: Double, firstResponse: Double?)?
    {
        guard let record = await discord.interactionRecord(interaction),
              let created = record["created_at_unix_ms"]?.doubleValue
        else { return nil }
        return (created, record["responses"]?.arrayValue?.first?["at_unix_ms"]?.doubleValue)
    }

    /// Reads the emulators' records for `commands` (the Lavalink records only when the contender plays music).
    static func read(_ commands: [IssuedCommand], world: BenchWorld, tag: String, music: Bool) async -> RunMeasurements {
        var firstResponse: [Double] = []
        var byCommand: [String: [Double]] = [:]
        var createdAt: [UInt64: Double] = [:]
        var unanswered = 0
        for command in commands {
            guard command.interaction != 0, let times = await times(of: command.interaction, in: world.discord) else {
                unanswered += 1
                continue
            }
            createdAt[command.interaction] = times.created
            guard command.acknowledged, let first = times.firstResponse else {
                unanswered += 1
                continue
            }
            firstResponse.append(first - times.created)
            byCommand[command.label, default: []].append(first - times.created)
        }
        var measurements = RunMeasurements(
            commands: commands.count, unanswered: unanswered, playsNotStarted: 0,
            firstResponse: LatencySummary(firstResponse), playCold: nil, playWarm: nil, autoAdvance: nil,
            firstResponseByCommand: byCommand.compactMapValues(LatencySummary.init))
        guard music else { return measurements }

        let starts = await world.lavalink.trackStarts().filter { $0.title.hasPrefix(tag + " ") }
        let ends = await world.lavalink.trackEnds()
        // Titles are "<tag> <lane> n<cycle>[ b| c] (<suffix>)": the lane is the second word.
        func lane(ofTitle title: String) -> String? {
            let words = title.split(separator: " ")
            return words.count > 1 ? String(words[1]) : nil
        }
        var cold: [Double] = []
        var warm: [Double] = []
        for command in commands {
            guard let kind = command.startsTrack, let query = command.query,
                  let created = createdAt[command.interaction]
            else { continue }
            guard let start = starts.first(where: { $0.title.hasPrefix(query + " (") && $0.receivedAtUnixMs >= created })
            else {
                measurements.playsNotStarted += 1
                if measurements.playsNotStartedAnswers.count < 5 {
                    let record = await world.discord.interactionRecord(command.interaction)
                    let bodies = (record?["responses"]?.arrayValue ?? []).map { response in
                        let body = response["body"]
                        return body?["data"]?["content"]?.stringValue ?? body?["content"]?.stringValue ?? "(no text)"
                    }
                    measurements.playsNotStartedAnswers.append("\(query): \(bodies.joined(separator: " | "))")
                }
                continue
            }
            switch kind {
            case .cold: cold.append(start.receivedAtUnixMs - created)
            case .warm: warm.append(start.receivedAtUnixMs - created)
            }
        }
        measurements.playCold = LatencySummary(cold)
        measurements.playWarm = LatencySummary(warm)

        // Auto-advance: a track played to its end, and the next track of that lane started with
        // no member command in between (else the start may be the command's doing). Commands
        // sent up to 100 ms before the end count too: they may still be in flight.
        var laneOfIdentifier: [String: String] = [:]
        var startsByLane: [String: [TrackStartRecord]] = [:]
        for start in starts {
            guard let lane = lane(ofTitle: start.title) else { continue }
            laneOfIdentifier[start.identifier] = lane
            startsByLane[lane, default: []].append(start)
        }
        let laneLabels = Dictionary(uniqueKeysWithValues: world.lanes.map { ($0.index, $0.label) })
        var commandTimesByLane: [String: [Double]] = [:]
        for command in commands {
            guard let label = laneLabels[command.lane], let created = createdAt[command.interaction] else { continue }
            commandTimesByLane[label, default: []].append(created)
        }
        var advances: [Double] = []
        for end in ends {
            guard let lane = laneOfIdentifier[end.identifier],
                  let next = startsByLane[lane]?.first(where: { $0.receivedAtUnixMs >= end.sentAtUnixMs })
            else { continue }
            let interfered = (commandTimesByLane[lane] ?? []).contains {
                $0 >= end.sentAtUnixMs - 100 && $0 <= next.receivedAtUnixMs
            }
            if !interfered { advances.append(next.receivedAtUnixMs - end.sentAtUnixMs) }
        }
        measurements.autoAdvance = LatencySummary(advances)
        return measurements
    }
}
