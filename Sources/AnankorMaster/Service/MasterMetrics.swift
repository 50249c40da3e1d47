import Metrics

/// The master's metrics (DESIGN §8), labels bounded: command names come from the registered set
/// (anything else is `other`), outcomes from a fixed list.
enum MasterMetrics {
    static func command(_ name: String, outcome: String, seconds: Double) {
        let label = CommandValidation.specs[name.split(separator: ".").first.map(String.init) ?? ""] == nil
            && !["toggle", "pick"].contains(name) ? "other" : name
        Counter(label: "anankor_commands_total", dimensions: [("command", label), ("outcome", outcome)]).increment()
        Timer(label: "anankor_command_seconds", dimensions: [("command", label)])
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    static func jobsEnqueued(kind: String) {
        Counter(label: "anankor_jobs_enqueued_total", dimensions: [("kind", kind)]).increment()
    }

    static func event(kind: String) {
        Counter(label: "anankor_worker_events_total", dimensions: [("kind", kind)]).increment()
    }

    static func eventRedelivered() {
        Counter(label: "anankor_events_redelivered_total").increment()
    }

    static func sessionBound() { Counter(label: "anankor_sessions_bound_total").increment() }
    static func sessionUnbound() { Counter(label: "anankor_sessions_unbound_total").increment() }

    static func workersAlive(_ count: Int) {
        Gauge(label: "anankor_workers_alive").record(count)
    }

    static func duplicateInteraction() {
        Counter(label: "anankor_interactions_duplicate_total").increment()
    }

    /// What reconciliation repaired (a closed set).
    enum Repair: String {
        case lostTrackEnd = "lost_track_end"
        case workerOffline = "worker_offline"
        case deadWorkerPlayer = "dead_worker_player"
    }

    static func reconciled(_ repair: Repair) {
        Counter(label: "anankor_reconciled_total", dimensions: [("repair", repair.rawValue)]).increment()
    }
}
