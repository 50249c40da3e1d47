import Metrics
import Synchronization
import Tracing

/// Latency and failures of Redis commands, by command name (a bounded set: the commands a
/// program sends), for the whole process; and a client span per command inside a traced
/// operation.
final class RedisCallMetrics: Sendable {
    static let shared = RedisCallMetrics()

    private let handles = Mutex<[String: (timer: Timer, errors: Counter)]>([:])

    private func handles(for command: String) -> (timer: Timer, errors: Counter) {
        handles.withLock { handles in
            if let existing = handles[command] { return existing }
            let made = (Timer(label: "redis_command_seconds", dimensions: [("command", command)]),
                        Counter(label: "redis_command_errors_total", dimensions: [("command", command)]))
            handles[command] = made
            return made
        }
    }

    /// Runs `call`, timing it under `command`. Blocking reads (`XREADGROUP … BLOCK`) are timed
    /// too: their figure includes the wait, which the dashboard shows apart.
    func measure<Result>(_ command: String, _ call: () async throws -> Result) async throws -> Result {
        let (timer, errors) = handles(for: command.uppercased())
        let started = ContinuousClock.now
        do {
            let result: Result
            if ServiceContext.current != nil {
                result = try await withSpan("redis \(command.uppercased())", ofKind: .client) { span in
                    span.attributes["db.system"] = "redis"
                    return try await call()
                }
            } else {
                result = try await call()
            }
            timer.record(duration: ContinuousClock.now - started)
            return result
        } catch {
            // NOSCRIPT is the script cache asking for `SCRIPT LOAD` (`eval` handles it), not a failure.
            if (error as? RedisError)?.serverErrorPrefix != "NOSCRIPT" { errors.increment() }
            throw error
        }
    }
}
