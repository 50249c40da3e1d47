import Foundation

/// How loaded a node looks; the pool puts a new player on the node with the lowest penalty.
///
/// Each part grows with a cost a listener would hear: players share the node's CPU and network;
/// CPU load hurts little until it is high and then a lot (exponential); missing (deficit) and
/// silent (nulled) frames mean audio already stutters there, so they weigh most.
public struct NodePenalty: Sendable, Hashable, Comparable {
    public var players: Double
    public var cpu: Double
    public var frames: Double
    public var total: Double { players + cpu + frames }

    /// - Parameters:
    ///   - stats: the node's last stats, nil when none arrived yet (counts as idle).
    ///   - localPlayers: players this client placed on the node; stats arrive once a minute, so
    ///     this keeps a burst of new players from all landing on the same node.
    public init(stats: NodeStats?, localPlayers: Int = 0) {
        let reportedPlayers = stats?.players ?? 0
        let playing = stats?.playingPlayers ?? 0
        let allPlayers = max(reportedPlayers, localPlayers)
        // An idle (paused, stopped) player costs a quarter of a playing one.
        players = Double(playing) + 0.25 * Double(max(0, allPlayers - playing))

        let load = min(max(stats?.cpu.systemLoad ?? 0, 0), 1)
        cpu = (pow(1.05, 100 * load) - 1) * 10

        if let frameStats = stats?.frameStats, playing > 0 {
            let expected = 3000 * Double(playing)
            let deficit = Double(max(0, frameStats.deficit)) / expected
            let nulled = Double(max(0, frameStats.nulled)) / expected
            frames = (pow(1.03, 500 * min(deficit, 1)) - 1) * 600 + (pow(1.03, 500 * min(nulled, 1)) - 1) * 300
        } else {
            frames = 0
        }
    }

    public static func < (lhs: NodePenalty, rhs: NodePenalty) -> Bool { lhs.total < rhs.total }
}
