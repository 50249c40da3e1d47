import AnankorCore
import DiscordKit
import Logging
import Metrics

/// Figures the master reads rather than counts: gateway heartbeat latency and reconnects per
/// shard, and the dead letters the bus keeps. Sampled every few seconds; handles made once.
struct MasterSampler: Sendable {
    let bus: any JobBus
    /// The gateway shards the master runs now.
    let shards: @Sendable () -> [GatewayShard]
    /// Interactions worked on and waiting for a turn.
    let admission: InteractionAdmission
    /// The configured worker bots, whose job streams' dead letters are counted.
    let workers: [WorkerID]
    let logger: Logger
    var clock: any Clock<Duration> = ContinuousClock()

    static let interval: Duration = .seconds(5)
    /// Dead-letter lists are read less often: a Redis read of up to `maxDeadLetters` entries.
    static let deadLetterEvery = 6

    func run() async {
        var gatewayMetrics = GatewayMetricsSampler(shards: shards, role: "master")
        let eventLetters = Gauge(label: "anankor_bus_dead_letters", dimensions: [("stream", "events")])
        let jobLetters = Gauge(label: "anankor_bus_dead_letters", dimensions: [("stream", "jobs")])
        let running = Gauge(label: "anankor_interactions_in_hand", dimensions: [("state", "running")])
        let waiting = Gauge(label: "anankor_interactions_in_hand", dimensions: [("state", "waiting")])
        var round = 0
        while !Task.isCancelled {
            gatewayMetrics.sample()
            let counts = admission.counts
            running.record(counts.running)
            waiting.record(counts.waiting)
            if round % Self.deadLetterEvery == 0 {
                if let letters = try? await bus.deadLetters(in: .events, limit: bus.policy.maxDeadLetters) {
                    eventLetters.record(letters.count)
                }
                var jobs = 0
                for worker in workers {
                    jobs += (try? await bus.deadLetters(in: .jobs(worker), limit: bus.policy.maxDeadLetters).count) ?? 0
                }
                jobLetters.record(jobs)
            }
            round += 1
            try? await clock.sleep(for: Self.interval)
        }
    }
}

