import Logging
import Synchronization

/// Logs a store outage once: its first failure at warning, its end at notice, what failed in
/// between at debug only. A Redis outage fails every interaction; one line each would bury the
/// log an operator reads to find out what happened.
final class OutageLog: Sendable {
    private let down = Mutex(false)

    func began(_ what: String, error: String, logger: Logger) {
        let first = down.withLock { down in
            defer { down = true }
            return !down
        }
        if first {
            logger.warning("a store is unavailable: members are told to try again in a moment",
                           metadata: ["during": "\(what)", "error": "\(error)"])
        } else {
            logger.debug("store still unavailable", metadata: ["during": "\(what)", "error": "\(error)"])
        }
    }

    func ended(logger: Logger) {
        let wasDown = down.withLock { down in
            defer { down = false }
            return down
        }
        if wasDown { logger.notice("the store answers again") }
    }
}
