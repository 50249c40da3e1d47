import Metrics

/// Heartbeat latency and reconnects of every shard of a gateway, as metrics labelled with the
/// caller's `role` (which bot this is: a bounded name such as `master` or `worker`, never an
/// id) and the shard number. Call `sample()` every few seconds; handles are made once per shard.
/// The shards may change between samples (a process that takes and gives up shards).
public struct GatewayMetricsSampler: Sendable {
    private let role: String
    private let current: @Sendable () -> [GatewayShard]
    private var handles: [Int: (latency: Gauge, reconnects: Counter)] = [:]
    /// Reconnects already counted, by shard object (a shard started again starts from 0).
    private var reported: [ObjectIdentifier: Int] = [:]

    public init(gateway: ShardedGateway, role: String) {
        self.init(shards: { gateway.shards }, role: role)
    }

    /// - Parameter shards: the shards running now, read at every `sample()`.
    public init(shards: @escaping @Sendable () -> [GatewayShard], role: String) {
        self.role = role
        self.current = shards
    }

    public mutating func sample() {
        var seen: [ObjectIdentifier: Int] = [:]
        for shard in current() {
            let id = shard.configuration.shardID
            if handles[id] == nil {
                let dimensions = [("role", role), ("shard", "\(id)")]
                handles[id] = (Gauge(label: "discord_gateway_heartbeat_latency_seconds", dimensions: dimensions),
                               Counter(label: "discord_gateway_reconnects_total", dimensions: dimensions))
            }
            guard let entry = handles[id] else { continue }
            if let latency = shard.latency {
                entry.latency.record(Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18)
            }
            let key = ObjectIdentifier(shard)
            let reconnects = shard.reconnects
            let counted = reported[key] ?? 0
            if reconnects > counted { entry.reconnects.increment(by: Int64(reconnects - counted)) }
            seen[key] = max(reconnects, counted)
        }
        reported = seen
    }
}
