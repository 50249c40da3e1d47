import AnankorCore
import Foundation
import Synchronization

/// The live workers as the master's last reconciliation pass read them (every
/// `watchdogInterval`), so routing a command does not read the registry again. Never more
/// hopeful than the registry: a worker counts only until its heartbeat's expiry as read, and a
/// worker that said it is going offline is dropped at once. A worker that came alive since the
/// last pass may be missed for up to one pass, so a routing that finds nobody reads the
/// registry itself (`MusicCommands.snapshot`).
final class LiveWorkerView: Sendable {
    private struct Reading {
        var workers: [WorkerStatus]
        var readAt: Date
    }

    private let reading = Mutex<Reading?>(nil)

    /// What a pass read at `now`.
    func remember(_ workers: [WorkerStatus], at now: Date) {
        reading.withLock { $0 = Reading(workers: workers, readAt: now) }
    }

    /// A worker announced it is stopping (or was found gone): not routed to until a pass sees it
    /// live again.
    func forget(_ worker: WorkerID) {
        reading.withLock { reading in reading?.workers.removeAll { status in status.worker == worker } }
    }

    /// The live workers at `now`, when the last reading is younger than `maxAge`; nil otherwise.
    func live(at now: Date, maxAge: TimeInterval) -> [WorkerStatus]? {
        reading.withLock { reading in
            guard let reading, now.timeIntervalSince(reading.readAt) < maxAge, now >= reading.readAt else { return nil }
            return reading.workers.filter { $0.expiresAt > now }
        }
    }
}
