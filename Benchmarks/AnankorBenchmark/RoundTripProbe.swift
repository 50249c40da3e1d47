import DiscordEmulator
import Foundation

/// Store round trips of single commands: before the measured run, while nothing plays, one
/// member sends one command at a time and the counters of every process are read once its
/// effects have settled (no counter moved for 300 ms, at most 5 s). Only round trips of
/// `origin="command"` count for a command: the processes label their periodic work (heartbeats,
/// lease renewals, reconciliation passes, the lobby watch) `origin="periodic"`, so a pass that
/// happens to fall inside a window is not charged to the command. The idle rate printed beside
/// is measured over a window longer than the slowest periodic pass (5 s), so every loop shows.
/// The sequence ends with `/leave`, so the run starts cold.
struct RoundTripProbe {
    let world: BenchWorld
    let contender: RunningContender
    let lane: Lane
    let tag: String
    /// The Lavalink clock speed of the run, restored afterwards (the probe runs at real time, so
    /// position reports come every few seconds and tracks do not end inside a window).
    let runSpeed: Double

    /// A cold `/play` (bind, join, play), a `/play` into the bound, playing session, the player
    /// commands, and `/leave`.
    func run() async -> RoundTripProbeReport? {
        await world.lavalink.setSpeed(1)
        let report = await probe()
        await world.lavalink.setSpeed(runSpeed)
        return report
    }

    private func probe() async -> RoundTripProbeReport? {
        guard let start = await contender.storeRoundTrips() else { return nil }
        let idleSeconds = Self.idleSeconds
        try? await Task.sleep(for: .seconds(idleSeconds))
        guard let idleEnd = await contender.storeRoundTrips() else { return nil }
        let idle = StoreRoundTrips(before: start, after: idleEnd)
        var report = RoundTripProbeReport(idlePerSecond: (idle?.total ?? 0) / idleSeconds,
                                          idleOperations: Set(idle?.byOperation.keys.map { $0 } ?? []).sorted(), commands: [])
        let workload = Workload(world: world, application: contender.application,
                                abilities: ContenderAbilities(buttons: false, games: false), lanes: [lane],
                                gate: RateGate(rate: nil), tag: tag)
        let query = "\(tag) \(lane.label) probe"
        let steps: [(label: String, name: String, options: EmulatorJSON?, startsTrack: String?)] = [
            ("play (cold)", "play", ["query": .string(query)], query),
            ("play (bound, playing)", "play", ["query": .string(query + " b")], nil),
            ("pause", "pause", nil, nil),
            ("resume", "resume", nil, nil),
            ("skip", "skip", nil, nil),
            ("stop", "stop", nil, nil),
            ("leave", "leave", nil, nil),
        ]
        for step in steps {
            guard let before = await settled() else { return report }
            guard let interaction = try? await world.discord.invokeSlashCommand(
                step.name, application: contender.application, channel: lane.text, user: lane.users[0],
                options: step.options)
            else { return report }
            let answered = await workload.waitForAcknowledgement(interaction.id)
            if let track = step.startsTrack { await waitForStart(of: track) }
            guard let after = await settled(), let trips = StoreRoundTrips(before: before, after: after) else { return report }
            report.commands.append(ProbedCommand(command: step.label, answered: answered, roundTrips: trips))
        }
        return report
    }

    /// Longer than the slowest periodic pass (the lobby watch and the player reconciliation,
    /// every 5 s), so the idle line names every periodic operation.
    static let idleSeconds = 6.0

    /// The command-caused counters once they have not moved for 300 ms (or after 5 s).
    private func settled() async -> [String: Double]? {
        let deadline = ContinuousClock.now + .seconds(5)
        guard var last = await contender.storeRoundTrips(origin: "command") else { return nil }
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(300))
            guard let now = await contender.storeRoundTrips(origin: "command") else { return nil }
            if now == last { return now }
            last = now
        }
        return last
    }

    private func waitForStart(of query: String) async {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if await world.lavalink.trackStarts().contains(where: { $0.title.hasPrefix(query + " (") }) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct ProbedCommand: Sendable, Codable {
    var command: String
    var answered: Bool
    var roundTrips: StoreRoundTrips
}

struct RoundTripProbeReport: Sendable, Codable {
    /// Round trips per second with no command (heartbeats, leases, reconciliation, the lobby watch).
    var idlePerSecond: Double
    /// The operations that ran with no command at all.
    var idleOperations: [String]
    /// Each command's round trips of `origin="command"` (periodic passes in its window excluded).
    var commands: [ProbedCommand]

    /// One line per command: `play (cold): 6 (sqlite/saveSessionRecord 3, …)`.
    var lines: [String] {
        let header = "idle: " + String(format: "%.1f", idlePerSecond) + " round trips/s over "
            + String(format: "%.0f", RoundTripProbe.idleSeconds) + " s (" + idleOperations.joined(separator: ", ") + ")"
        return [header] + commands.map { probe in
            let trips = probe.roundTrips.byOperation
            let parts = trips.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\($0.key) \(Int($0.value))" }.joined(separator: ", ")
            return "\(probe.command): \(Int(probe.roundTrips.total))"
                + (probe.answered ? "" : " (not answered)") + (parts.isEmpty ? "" : " (\(parts))")
        }
    }
}
