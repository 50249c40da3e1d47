import Metrics

/// Heartbeat latency and reconnects of every shard of a gateway, as metrics labelled with the
/// caller's `role` (which bot this is: a bounded name such as `master` or `worker`, never an
/// id) and the shard number. Call `sample()` every few seconds; handles are made once.
public struct GatewayMetricsSampler: Sendable {
    private let shards: [(shard: GatewayShard, latency: Gauge, reconnects: Counter)]
    private var reported: [Int]

    public init(gateway: ShardedGateway, role: String) {
        shards = gateway.shards.map { shard in
            let dimensions = [("role", role), ("shard", "\(shard.configuration.shardID)")]
            return (shard, Gauge(label: "discord_gateway_heartbeat_latency_seconds", dimensions: dimensions),
                    Counter(label: "discord_gateway_reconnects_total", dimensions: dimensions))
        }
        reported = Array(repeating: 0, count: shards.count)
    }

    public mutating func sample() {
        for (index, entry) in shards.enumerated() {
            if let latency = entry.shard.latency {
                entry.latency.record(Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18)
            }
            let reconnects = entry.shard.reconnects
            if reconnects > reported[index] {
                entry.reconnects.increment(by: Int64(reconnects - reported[index]))
                reported[index] = reconnects
            }
        }
    }
}
