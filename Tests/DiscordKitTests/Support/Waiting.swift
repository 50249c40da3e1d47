import AnankorTesting
import Synchronization

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until true, failing after a real-time deadline.
func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    guard try await poll(timeout: timeout, every: .milliseconds(2), until: condition) else { throw TestTimeout(what: what) }
}

/// Values recorded from concurrent tasks.
final class Recorded<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    func contains(where predicate: (Value) -> Bool) -> Bool { values.withLock { $0.contains(where: predicate) } }
}
