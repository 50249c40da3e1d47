import AnankorCore
import DiscordKit
import LavalinkKit
import Metrics

/// Figures a worker bot reads rather than counts, every few seconds while it holds its token:
/// gateway latency and reconnects, its voice sessions by state, and the Lavalink nodes' own
/// stats and the pool's penalty for each. When the bot stops, its sessions leave the gauges.
struct WorkerSampler {
    let bot: WorkerBot

    static let interval: Duration = .seconds(5)

    func run() async {
        var gatewayMetrics = GatewayMetricsSampler(gateway: bot.gateway, role: "worker")
        let nodes = bot.pool.nodes.map { NodeGauges(node: $0) }
        let states = bot.context.metrics.sessionStates
        var counted: [WorkerMetrics.SessionState: Int] = [:]
        defer {
            for (state, count) in counted { states[state]?.decrement(by: Double(count)) }
        }
        while !Task.isCancelled {
            gatewayMetrics.sample()
            var now: [WorkerMetrics.SessionState: Int] = [:]
            for (guild, connected) in await bot.voice.connections {
                now[await state(of: guild, connected: connected), default: 0] += 1
            }
            for state in WorkerMetrics.SessionState.allCases {
                let change = (now[state] ?? 0) - (counted[state] ?? 0)
                if change > 0 { states[state]?.increment(by: Double(change)) }
                if change < 0 { states[state]?.decrement(by: Double(-change)) }
            }
            counted = now
            for gauges in nodes { await gauges.sample(pool: bot.pool) }
            for report in bot.pool.breakerReports() {
                Gauge(label: "anankor_lavalink_source_breaker_open",
                      dimensions: [("node", report.node), ("source", report.source), ("role", "worker")])
                    .record(report.isClosed ? 0 : 1)
            }
            do { try await bot.context.time.sleep(Self.interval) } catch { return }
        }
    }

    private func state(of guild: GuildID, connected: Bool) async -> WorkerMetrics.SessionState {
        guard connected else { return .connecting }
        guard let player = await bot.pool.snapshot(guildId: guild.description), player.track != nil else { return .idle }
        return player.paused ? .paused : .playing
    }
}

/// One Lavalink node's gauges, labelled with its configured name (a bounded set).
private struct NodeGauges {
    let node: LavalinkNode
    let up, players, playing, systemLoad, lavalinkLoad, sent, nulled, deficit, penalty: Gauge

    init(node: LavalinkNode) {
        self.node = node
        func gauge(_ label: String, _ extra: [(String, String)] = []) -> Gauge {
            Gauge(label: label, dimensions: [("node", node.name)] + extra)
        }
        up = gauge("anankor_lavalink_node_up")
        players = gauge("anankor_lavalink_node_players")
        playing = gauge("anankor_lavalink_node_playing_players")
        systemLoad = gauge("anankor_lavalink_node_cpu_load", [("source", "system")])
        lavalinkLoad = gauge("anankor_lavalink_node_cpu_load", [("source", "lavalink")])
        sent = gauge("anankor_lavalink_node_frames_sent")
        nulled = gauge("anankor_lavalink_node_frames_nulled")
        deficit = gauge("anankor_lavalink_node_frames_deficit")
        penalty = gauge("anankor_lavalink_node_penalty")
    }

    func sample(pool: LavalinkNodePool) async {
        up.record(await node.status.isAvailable ? 1 : 0)
        penalty.record(await pool.penalty(of: node.name).total)
        guard let stats = await node.lastStats else { return }
        players.record(stats.players)
        playing.record(stats.playingPlayers)
        systemLoad.record(stats.cpu.systemLoad)
        lavalinkLoad.record(stats.cpu.lavalinkLoad)
        // Lavalink sends frame stats only once a player has played for a minute.
        sent.record(stats.frameStats?.sent ?? 0)
        nulled.record(stats.frameStats?.nulled ?? 0)
        deficit.record(stats.frameStats?.deficit ?? 0)
    }
}
