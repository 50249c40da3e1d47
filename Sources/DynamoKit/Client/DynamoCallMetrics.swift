import Metrics
import Synchronization

/// DynamoDB call latency (retries included) and failures, by operation (a bounded set), for the
/// whole process.
final class DynamoCallMetrics: Sendable {
    static let shared = DynamoCallMetrics()

    private let cache = Mutex<[String: (timer: Timer, errors: Counter)]>([:])

    func handles(for operation: String) -> (timer: Timer, errors: Counter) {
        cache.withLock { cache in
            if let existing = cache[operation] { return existing }
            let made = (Timer(label: "dynamodb_call_seconds", dimensions: [("operation", operation)]),
                        Counter(label: "dynamodb_call_errors_total", dimensions: [("operation", operation)]))
            cache[operation] = made
            return made
        }
    }
}
