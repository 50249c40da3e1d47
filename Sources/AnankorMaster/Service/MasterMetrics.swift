import AnankorCore
import Metrics
import Synchronization

/// The master's metrics (DESIGN §8), labels bounded: command names come from the registered set
/// (anything else is `other`), outcomes from a fixed list, job and event kinds from the closed
/// sets of `AnankorCore`. Every handle is made once (first use, after the metrics backend is
/// bootstrapped) and kept.
enum MasterMetrics {
    /// A command's metric label: its name when it is one of ours, else "other" (bounded).
    private static func commandLabel(_ name: String) -> String {
        CommandValidation.specs[name.split(separator: ".").first.map(String.init) ?? ""] == nil
            && !["toggle", "pick"].contains(name) ? "other" : name
    }

    static func command(_ name: String, outcome: String, seconds: Double) {
        let label = commandLabel(name)
        commands.handle("\(label)|\(outcome)") {
            Counter(label: "anankor_commands_total", dimensions: [("command", label), ("outcome", outcome)])
        }.increment()
        commandTimers.handle(label) {
            Timer(label: "anankor_command_seconds", dimensions: [("command", label)])
        }.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// A command refused with the member told why (`reason`: the reply's message key, a bounded set).
    static func commandRefused(_ name: String, reason: MessageKey) {
        let label = commandLabel(name)
        refusals.handle("\(label)|\(reason.rawValue)") {
            Counter(label: "anankor_command_refusals_total", dimensions: [("command", label), ("reason", reason.rawValue)])
        }.increment()
    }

    static func jobsEnqueued(kind: String) {
        jobs.handle(kind) { Counter(label: "anankor_jobs_enqueued_total", dimensions: [("kind", kind)]) }.increment()
    }

    static func event(kind: String) {
        events.handle(kind) { Counter(label: "anankor_worker_events_total", dimensions: [("kind", kind)]) }.increment()
    }

    static func eventRedelivered() { redeliveredEvents.increment() }
    static func sessionBound() { sessionsBound.increment() }
    static func sessionUnbound() { sessionsUnbound.increment() }
    static func workersAlive(_ count: Int) { aliveWorkers.record(count) }
    static func duplicateInteraction() { duplicateInteractions.increment() }
    /// Another master saved a session first; the input was handled again on its record.
    static func sessionConflict() { sessionConflicts.increment() }
    /// A member command whose job failed or was not acknowledged in time (the member was told).
    static func commandNotCarriedOut() { notCarriedOut.increment() }

    /// A notice posted because a session lost its worker (crash, kick, move).
    static func sessionNotice(_ notice: String, count: Int64 = 1) {
        notices.handle(notice) {
            Counter(label: "anankor_session_notices_total", dimensions: [("notice", notice)])
        }.increment(by: count)
    }

    /// What reconciliation repaired (a closed set).
    enum Repair: String, CaseIterable {
        case lostTrackEnd = "lost_track_end"
        case workerOffline = "worker_offline"
        case deadWorkerPlayer = "dead_worker_player"
        /// A player in a session's channel that was not its bound worker's, or a lost worker's.
        case strayPlayer = "stray_player"
        /// A player that did not play what its session says (replayed at the session's position).
        case replayed
    }

    static func reconciled(_ repair: Repair, count: Int64 = 1) {
        repairs.handle(repair.rawValue) {
            Counter(label: "anankor_reconciled_total", dimensions: [("repair", repair.rawValue)])
        }.increment(by: count)
    }

    /// A shard lease this master took, gave up to balance the masters, or lost (`MasterShards`).
    static func shardChange(_ change: String) {
        shardChanges.handle(change) {
            Counter(label: "anankor_master_shard_changes_total", dimensions: [("change", change)])
        }.increment()
    }

    static let shardChangeKinds = ["taken", "given_up", "lost"]

    /// Touches the unlabelled series so they read 0 from the first scrape (an alert on
    /// `increase(...)` needs a starting point).
    static func prepare() {
        _ = (redeliveredEvents, sessionsBound, sessionsUnbound, duplicateInteractions, aliveWorkers, sessionConflicts,
             notCarriedOut)
        for notice in lostWorkerNotices { sessionNotice(notice, count: 0) }
        for repair in Repair.allCases { reconciled(repair, count: 0) }
        for change in shardChangeKinds {
            shardChanges.handle(change) {
                Counter(label: "anankor_master_shard_changes_total", dimensions: [("change", change)])
            }.increment(by: 0)
        }
    }

    /// The notices a session posts when it loses its worker.
    static let lostWorkerNotices = ["playbackCrashed", "workerStopped", "botMoved", "botRemoved", "connectFailed"]

    private static let commands = Handles<Counter>()
    private static let commandTimers = Handles<Timer>()
    private static let refusals = Handles<Counter>()
    private static let jobs = Handles<Counter>()
    private static let events = Handles<Counter>()
    private static let notices = Handles<Counter>()
    private static let repairs = Handles<Counter>()
    private static let shardChanges = Handles<Counter>()
    private static let redeliveredEvents = Counter(label: "anankor_events_redelivered_total")
    private static let sessionsBound = Counter(label: "anankor_sessions_bound_total")
    private static let sessionsUnbound = Counter(label: "anankor_sessions_unbound_total")
    private static let duplicateInteractions = Counter(label: "anankor_interactions_duplicate_total")
    private static let aliveWorkers = Gauge(label: "anankor_workers_alive")
    private static let sessionConflicts = Counter(label: "anankor_session_conflicts_total")
    private static let notCarriedOut = Counter(label: "anankor_commands_not_carried_out_total")
}

/// Metric handles by (bounded) label values, each made on first use.
final class Handles<Handle: Sendable>: Sendable {
    private let made = Mutex<[String: Handle]>([:])

    func handle(_ key: String, make: () -> Handle) -> Handle {
        made.withLock { made in
            if let existing = made[key] { return existing }
            let handle = make()
            made[key] = handle
            return handle
        }
    }
}
