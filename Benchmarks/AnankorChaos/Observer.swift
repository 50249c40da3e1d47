import DiscordEmulator
import Foundation

/// One Lavalink player as a sample saw it.
struct PlayerSample: Sendable {
    var node: String
    var bot: UInt64
    var guild: UInt64
    var channel: UInt64?
    var identifier: String?
    var position: Int64
    var paused: Bool
    var voiceConnected: Bool
    var stuck: Bool

    /// Audio goes out: a track, not paused, not frozen, with a voice connection.
    var audible: Bool { identifier != nil && !paused && !stuck && voiceConnected }
}

/// What every node reported at one instant (wall clock, Unix ms).
struct Snapshot: Sendable {
    var at: Double
    var players: [PlayerSample]
}

struct TrackStart: Sendable, Hashable {
    var node: String
    var incarnation: Int
    var index: Int
    var bot: UInt64
    var guild: UInt64
    var identifier: String
    var position: Int64
    var at: Double
}

struct TrackEnd: Sendable, Hashable {
    var node: String
    var incarnation: Int
    var index: Int
    var identifier: String
    var at: Double
}

/// Samples the Lavalink nodes (players, track starts and ends) while a run goes on, and keeps
/// what dead nodes reported before they died. The checker reads everything from here.
final class Observer: Sendable {
    let nodes: [LavalinkNodeProcess]
    let snapshots = Locked<[Snapshot]>([])
    let starts = Locked<[String: TrackStart]>([:])
    let ends = Locked<[String: TrackEnd]>([:])
    /// Nodes whose player list could not be read in the last sample (dead or restarting).
    let unreachable = Locked<Set<String>>([])

    init(nodes: [LavalinkNodeProcess]) { self.nodes = nodes }

    /// Samples every `interval` until cancelled.
    func run(interval: Duration = .milliseconds(100)) async {
        var tick = 0
        while !Task.isCancelled {
            await samplePlayers()
            if tick % 2 == 0 { await sampleRecords() }
            tick += 1
            try? await Task.sleep(for: interval)
        }
    }

    func samplePlayers() async {
        var players: [PlayerSample] = []
        var down: Set<String> = []
        for node in nodes {
            guard let list = await HTTPProbe.array(node.baseURL + "/_emulator/players", timeout: .seconds(1)) else {
                down.insert(node.name)
                continue
            }
            for player in list {
                let track = player["track"] as? [String: Any]
                // The control API shows the track's info directly; a player REST answer nests it.
                let info = track?["info"] as? [String: Any] ?? track
                let voice = player["voice"] as? [String: Any]
                players.append(PlayerSample(
                    node: node.name, bot: UInt64(player["userId"] as? String ?? "") ?? 0,
                    guild: UInt64(player["guildId"] as? String ?? "") ?? 0,
                    channel: (voice?["channelId"] as? String).flatMap { UInt64($0) },
                    identifier: info?["identifier"] as? String,
                    position: (player["position"] as? NSNumber)?.int64Value ?? 0,
                    paused: player["paused"] as? Bool ?? false,
                    voiceConnected: player["voiceConnected"] as? Bool ?? false,
                    stuck: player["stuck"] as? Bool ?? false))
            }
        }
        let snapshot = Snapshot(at: unixMilliseconds(), players: players)
        snapshots.withLock { $0.append(snapshot) }
        unreachable.value = down
    }

    /// Reads every node's start and end records; a node that died keeps what was read before.
    func sampleRecords() async {
        for node in nodes {
            let incarnation = node.incarnation.value
            if let list = await HTTPProbe.array(node.baseURL + "/_emulator/track-starts") {
                let records = list.enumerated().compactMap { index, record -> TrackStart? in
                    guard let identifier = record["identifier"] as? String else { return nil }
                    return TrackStart(node: node.name, incarnation: incarnation, index: index,
                                      bot: UInt64(record["userId"] as? String ?? "") ?? 0,
                                      guild: UInt64(record["guildId"] as? String ?? "") ?? 0,
                                      identifier: identifier, position: (record["position"] as? NSNumber)?.int64Value ?? 0,
                                      at: (record["receivedAtUnixMs"] as? NSNumber)?.doubleValue ?? 0)
                }
                starts.withLock { all in for record in records { all["\(node.name)/\(incarnation)/\(record.index)"] = record } }
            }
            if let list = await HTTPProbe.array(node.baseURL + "/_emulator/track-ends") {
                let records = list.enumerated().compactMap { index, record -> TrackEnd? in
                    guard let identifier = record["identifier"] as? String else { return nil }
                    return TrackEnd(node: node.name, incarnation: incarnation, index: index, identifier: identifier,
                                    at: (record["sentAtUnixMs"] as? NSNumber)?.doubleValue ?? 0)
                }
                ends.withLock { all in for record in records { all["\(node.name)/\(incarnation)/\(record.index)"] = record } }
            }
        }
    }

    /// Changes every live node's clock speed (the drain after a fault's window runs fast).
    func setSpeed(_ speed: Double) async {
        for node in nodes {
            _ = await HTTPProbe.post(node.baseURL + "/_emulator/clock/speed", json: ["speed": speed])
        }
    }

    func finishedCount(_ identifier: String) -> Int { ends.value.values.filter { $0.identifier == identifier }.count }
    func startRecords(_ identifier: String) -> [TrackStart] {
        starts.value.values.filter { $0.identifier == identifier }.sorted { $0.at < $1.at }
    }
}
