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
    let sessionsActive: Meter
    let leaseHeld: Meter

    init() {
        var counters: [String: Counter] = [:]
        var timers: [String: Timer] = [:]
        for kind in Job.kinds.union(["other"]) {
            timers[kind] = Timer(label: "anankor_worker_job_seconds", dimensions: [("kind", kind)])
            for outcome in JobOutcome.allCases {
                counters["\(kind)|\(outcome.rawValue)"] = Counter(
                    label: "anankor_worker_jobs_total", dimensions: [("kind", kind), ("outcome", outcome.rawValue)])
            }
        }
        self.counters = counters
        self.timers = timers
        sessionsActive = Meter(label: "anankor_worker_sessions_active")
        leaseHeld = Meter(label: "anankor_worker_lease_held")
    }

    func recordJob(kind: String, outcome: JobOutcome, duration: Duration?) {
        let kind = timers[kind] == nil ? "other" : kind
        counters["\(kind)|\(outcome.rawValue)"]?.increment()
        if let duration, let timer = timers[kind] { timer.recordNanoseconds(duration.nanoseconds) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
