import DiscordEmulator
import Foundation
import Synchronization

/// What a contender understands of the command mix.
struct ContenderAbilities: Sendable {
    /// Now-playing buttons (`np:pause:<guild>:<channel>`).
    var buttons: Bool
    /// `/game` lobbies.
    var games: Bool
}

/// One command a member issued, and when (emulator wall clock, Unix ms).
struct IssuedCommand: Sendable {
    var lane: Int
    var label: String
    var interaction: UInt64
    /// A `/play` into an idle channel: its track should start (measured interaction → play).
    var startsTrack: StartKind?
    var query: String?
    var acknowledged: Bool
}

enum StartKind: String, Sendable, Codable {
    /// The first play of a lane: binding, the worker's voice join, the Lavalink player.
    case cold
    /// After `/stop`: the worker is already in the channel.
    case warm
}

/// Spaces commands evenly to reach a target rate over all lanes (nil = no spacing).
final class RateGate: Sendable {
    private let interval: Duration?
    private let next = Mutex<ContinuousClock.Instant>(.now)

    init(rate: Double?) {
        interval = rate.flatMap { $0 > 0 ? Duration.seconds(1 / $0) : nil }
    }

    func pass() async {
        guard let interval else { return }
        let slot = next.withLock { next -> ContinuousClock.Instant in
            let now = ContinuousClock.now
            let slot = max(next, now)
            next = slot + interval
            return slot
        }
        if slot > .now { try? await Task.sleep(until: slot) }
    }
}

/// The members: one sequential session per lane, each command waiting for its answer (as a
/// person would), cycling through a realistic mix until the time is up.
struct Workload: Sendable {
    let world: BenchWorld
    let application: UInt64
    let abilities: ContenderAbilities
    let lanes: [Lane]
    let gate: RateGate
    /// Queries carry the contender's name so runs never share a track identifier.
    let tag: String
    /// How long a member waits for an acknowledgement before counting the command unanswered.
    static let answerTimeout: Duration = .seconds(5)

    /// Runs until `deadline`; at least one cycle per lane when `minimumCycles` is 1.
    func run(until deadline: ContinuousClock.Instant, minimumCycles: Int = 0) async -> [IssuedCommand] {
        await withTaskGroup(of: [IssuedCommand].self) { group in
            for lane in lanes {
                group.addTask { await self.member(lane, until: deadline, minimumCycles: minimumCycles) }
            }
            var all: [IssuedCommand] = []
            for await commands in group { all += commands }
            return all
        }
    }

    private func member(_ lane: Lane, until deadline: ContinuousClock.Instant, minimumCycles: Int) async -> [IssuedCommand] {
        var log: [IssuedCommand] = []
        let user = lane.users[0]
        let friend = lane.users.count > 1 ? lane.users[1] : lane.users[0]
        /// Sends one interaction at the gate's pace and logs it with whether it was answered.
        func record(_ label: String, starts: StartKind? = nil, query: String? = nil,
                    _ send: () async throws -> EmulatedInteraction) async {
            await gate.pass()
            var command = IssuedCommand(lane: lane.index, label: label, interaction: 0, startsTrack: nil, query: nil,
                                        acknowledged: false)
            if let interaction = try? await send() {
                command.interaction = interaction.id
                command.startsTrack = starts
                command.query = query
                command.acknowledged = await waitForAcknowledgement(interaction.id)
            }
            log.append(command)
        }
        func issue(_ name: String, _ options: EmulatorJSON? = nil, by member: UInt64? = nil, starts: StartKind? = nil,
                   query: String? = nil) async {
            await record(name, starts: starts, query: query) {
                try await world.discord.invokeSlashCommand(
                    name, application: application, channel: lane.text, user: member ?? user, options: options)
            }
        }
        func press(_ action: String) async {
            guard let message = await nowPlayingMessage(in: lane) else { return }
            await record("button \(action)") {
                try await world.discord.pressButton("np:\(action):\(lane.guild):\(lane.voice)", on: message, by: user)
            }
        }

        if Self.isListener(lane) {
            // A listener queues a long evening of tracks and then only listens: its tracks end
            // and advance with no member command in between (the TrackEnd → next measurement).
            for index in 0..<Self.listenerTracks {
                let query = "\(tag) \(lane.label) listen\(index)"
                await issue("play", ["query": .string(query)], starts: index == 0 ? .cold : nil, query: query)
            }
            return log
        }
        if abilities.games {
            await issue("game create", ["title": .string("bench \(lane.label)"), "seats": 1])
        }
        var cycle = 0
        while ContinuousClock.now < deadline || cycle < minimumCycles {
            let query = "\(tag) \(lane.label) n\(cycle)"
            await issue("play", ["query": .string(query)], starts: cycle == 0 ? .cold : .warm, query: query)
            await issue("play", ["query": .string(query + " b")])
            await issue("play", ["query": .string(query + " c")])
            await issue("queue")
            if abilities.buttons {
                await press("pause")
                await press("pause")
            }
            await issue("pause")
            await issue("resume")
            await issue("volume", ["level": .int(Int64(40 + cycle % 80))])
            await issue("seek", ["position": "0:30"])
            if abilities.games {
                // Sign-ups beyond the one seat go to the bench; leaving promotes nobody new.
                await issue("game join", by: friend)
                await issue("game leave", by: friend)
            }
            await issue("skip")
            await issue("stop")
            cycle += 1
        }
        return log
    }

    /// Every fourth lane listens instead of commanding (the same lanes for every contender).
    static func isListener(_ lane: Lane) -> Bool { lane.index % 4 == 3 }
    static let listenerTracks = 30

    /// Waits until the member sees the answer (a deferred reply: until it is filled in), as a
    /// person would before the next command; true when it was acknowledged at all.
    func waitForAcknowledgement(_ interaction: UInt64) async -> Bool {
        let deadline = ContinuousClock.now + Self.answerTimeout
        var pause = Duration.microseconds(500)
        while ContinuousClock.now < deadline {
            if await world.discord.isAnswered(interaction) { return true }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(5))
        }
        return await world.discord.isAcknowledged(interaction)
    }

    /// The lane's now-playing message (the newest bot message with the session's buttons).
    private func nowPlayingMessage(in lane: Lane) async -> UInt64? {
        let wanted = "np:pause:\(lane.guild):\(lane.voice)"
        for message in await world.discord.messages(in: lane.text).reversed() {
            let ids = (message["components"]?.arrayValue ?? []).flatMap { row in
                (row["components"]?.arrayValue ?? []).compactMap { $0["custom_id"]?.stringValue }
            }
            if ids.contains(wanted) { return message["id"]?.snowflakeValue }
        }
        return nil
    }
}
