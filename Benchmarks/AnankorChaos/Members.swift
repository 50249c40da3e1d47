import AnankorSandbox
import DiscordEmulator
import Foundation

/// One command a member issued, with when it was sent and what they saw.
struct IssuedInteraction: Sendable {
    var lane: Int
    var command: String
    var interaction: UInt64
    var sentAt: Double
    var answer: String?
    /// When the member saw the answer (Unix ms); nil when none came within the wait.
    var answeredAt: Double?
}

/// A track a member asked for, and whether the bot said it was queued.
struct RequestedTrack: Sendable {
    var lane: Int
    var identifier: String
    var title: String?
    var queued: Bool
    var answer: String
    var requestedAt: Double
}

/// The members of the chaos world acting like people: they join voice, queue tracks, look at the
/// player now and then, and answer a crash notice with `/play` as the notice asks.
final class Members: Sendable {
    let world: ChaosWorld
    let run: String
    let issued = Locked<[IssuedInteraction]>([])
    let requested = Locked<[RequestedTrack]>([])
    /// Tracks a member took out of the queue on purpose (`/skip`).
    let removed = Locked<Set<String>>([])
    /// Every look at a now-playing message (see `lookAtBoard`).
    let boardLooks = Locked<[BoardLook]>([])
    private let counter = Locked(0)

    init(world: ChaosWorld, run: String) {
        self.world = world
        self.run = run
    }

    /// A fresh identifier for a lane (`https://youtu.be/<id>` loads it as one track).
    func nextIdentifier(for lane: ChaosLane) -> String {
        let n = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return "chaos-\(run)-\(lane.label)-t\(n)"
    }

    func joinVoice() async throws {
        for lane in world.lanes {
            try await world.discord.setVoiceChannel(of: lane.member, in: lane.guild, to: lane.voice)
        }
    }

    /// Runs a slash command in the lane's text channel and waits (bounded) for the full answer.
    @discardableResult
    func command(_ name: String, _ options: EmulatorJSON? = nil, lane: ChaosLane, wait: Duration = .seconds(15)) async -> String? {
        let sentAt = unixMilliseconds()
        guard let interaction = try? await world.discord.invokeSlashCommand(
            name, application: world.master.applicationID, channel: lane.text, user: lane.member, options: options)
        else {
            issued.withLock { $0.append(IssuedInteraction(lane: lane.index, command: name, interaction: 0, sentAt: sentAt, answer: nil)) }
            return nil
        }
        let answer = await self.answer(interaction.id, within: wait)
        let answeredAt = answer == nil ? nil : unixMilliseconds()
        issued.withLock {
            $0.append(IssuedInteraction(lane: lane.index, command: name, interaction: interaction.id, sentAt: sentAt,
                                        answer: answer, answeredAt: answeredAt))
        }
        return answer
    }

    /// Queues one new track; a "briefly unavailable" answer is retried after a second, as a
    /// person would, up to three times.
    @discardableResult
    func play(lane: ChaosLane, identifier: String? = nil) async -> RequestedTrack {
        let identifier = identifier ?? nextIdentifier(for: lane)
        var answer = ""
        for attempt in 0..<3 {
            answer = await command("play", ["query": .string("https://youtu.be/\(identifier)")], lane: lane) ?? ""
            if answer.hasPrefix("Queued") || attempt == 2 || !answer.localizedCaseInsensitiveContains("try again") { break }
            try? await Task.sleep(for: .seconds(1))
        }
        let title = Self.boldText(in: answer)
        let track = RequestedTrack(lane: lane.index, identifier: identifier, title: title, queued: answer.hasPrefix("Queued"),
                                   answer: answer, requestedAt: unixMilliseconds())
        requested.withLock { $0.append(track) }
        return track
    }

    private func answer(_ interaction: UInt64, within timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let record = await world.discord.interactionRecord(interaction),
               let answer = SandboxWorld.answer(in: record) {
                return answer.text
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// Messages the master posted in a lane's text channel after `since` (Unix ms).
    func posts(in lane: ChaosLane, since: Double) async -> [(at: Double, message: SandboxMessage)] {
        await world.discord.messages(in: lane.text).compactMap { json -> (Double, SandboxMessage)? in
            guard let message = SandboxMessage(json), message.author == world.master.userID,
                  let at = Self.timestamp(json), at >= since
            else { return nil }
            return (at, message)
        }
    }

    /// The latest now-playing message of the lane's session (it names the voice channel first)
    /// says it plays: ▶️ rather than paused or idle, with its buttons (a message whose session is
    /// gone keeps its last state but loses its buttons).
    func boardSaysPlaying(_ lane: ChaosLane) async -> Bool {
        let boards = await world.discord.messages(in: lane.text).compactMap(SandboxMessage.init)
            .filter { $0.author == world.master.userID && ($0.embed ?? "").contains("🔊 <#\(lane.voice)>") }
        guard let latest = boards.last, let text = latest.embed else { return false }
        return latest.buttons.contains { $0.hasPrefix("np:") } && text.contains("▶️")
    }

    /// Looks at the lane's now-playing message and keeps what it showed.
    func lookAtBoard(_ lane: ChaosLane) async {
        let playing = await boardSaysPlaying(lane)
        boardLooks.withLock { $0.append(BoardLook(lane: lane.index, at: unixMilliseconds(), playing: playing)) }
    }

    static func boldText(in answer: String) -> String? {
        guard let start = answer.range(of: "**"), let end = answer.range(of: "**", range: start.upperBound..<answer.endIndex)
        else { return nil }
        return String(answer[start.upperBound..<end.lowerBound])
    }

    /// A message's time: its `edited_timestamp` when edited, else its `timestamp` (ISO 8601).
    static func timestamp(_ json: EmulatorJSON) -> Double? {
        let text = json["timestamp"]?.stringValue
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 * 1000 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { $0.timeIntervalSince1970 * 1000 }
    }
}
