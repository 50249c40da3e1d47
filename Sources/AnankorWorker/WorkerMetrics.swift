import AnankorCore
import Metrics

/// The worker's metrics. Labels are bounded: job kinds come from the closed set `Job.kinds`
/// (anything else is `other`), outcomes from `JobOutcome`. The gauges are process-wide sums
/// (`Meter`s moved up and down), so several workers in one process (`anankor run`) add up.
struct WorkerMetrics: Sendable {
    /// How a delivered job ended.
    enum JobOutcome: String, Sendable, CaseIterable {
        /// Executed successfully and acknowledged.
        case done
        /// Discord or Lavalink refused it; `jobFailed` was published and it was acknowledged.
        case failed
        /// A redelivery of a job already completed: acknowledged without executing.
        case duplicate
        /// A transient failure: left pending for redelivery.
        case retry
    }

    private let counters: [String: Counter]
    private let timers: [String: Timer]
    private let latencies: [String: Timer]
    private let redeliveries: [String: Counter]
    let sessionsActive: Meter
    let leaseHeld: Meter
    /// Voice sessions by state, summed over the worker bots of the process (each bot moves them
    /// by the difference from its last sample).
    let sessionStates: [SessionState: Meter]

    /// What a voice session is doing, as its worker sees it.
    enum SessionState: String, Sendable, CaseIterable {
        /// Asked Discord to join, not in yet.
        case connecting
        case playing
        case paused
        /// In voice with nothing playing.
        case idle
    }

    init() {
        var counters: [String: Counter] = [:]
        var timers: [String: Timer] = [:]
        var latencies: [String: Timer] = [:]
        var redeliveries: [String: Counter] = [:]
        for kind in Job.kinds.union(["other"]) {
            timers[kind] = Timer(label: "anankor_worker_job_seconds", dimensions: [("kind", kind)])
            latencies[kind] = Timer(label: "anankor_job_latency_seconds", dimensions: [("kind", kind)])
            redeliveries[kind] = Counter(label: "anankor_jobs_redelivered_total", dimensions: [("kind", kind)])
            for outcome in JobOutcome.allCases {
                counters["\(kind)|\(outcome.rawValue)"] = Counter(
                    label: "anankor_worker_jobs_total", dimensions: [("kind", kind), ("outcome", outcome.rawValue)])
            }
        }
        self.counters = counters
        self.timers = timers
        self.latencies = latencies
        self.redeliveries = redeliveries
        sessionsActive = Meter(label: "anankor_worker_sessions_active")
        leaseHeld = Meter(label: "anankor_worker_lease_held")
        sessionStates = Dictionary(uniqueKeysWithValues: SessionState.allCases.map {
            ($0, Meter(label: "anankor_sessions", dimensions: [("state", $0.rawValue)]))
        })
    }

    /// A job delivered more than once (its first consumer died or was too slow).
    func recordRedelivery(kind: String) {
        redeliveries[redeliveries[kind] == nil ? "other" : kind]?.increment()
    }

    /// From the master sending a job to the worker finishing it (clocks of two hosts: a skew
    /// between them shows here).
    func recordLatency(kind: String, seconds: Double) {
        let seconds = max(0, seconds)
        latencies[latencies[kind] == nil ? "other" : kind]?.recordNanoseconds(Int64(seconds * 1e9))
    }

    func recordJob(kind: String, outcome: JobOutcome, duration: Duration?) {
        let kind = timers[kind] == nil ? "other" : kind
        counters["\(kind)|\(outcome.rawValue)"]?.increment()
        if let duration, let timer = timers[kind] { timer.record(duration: duration) }
    }
}
