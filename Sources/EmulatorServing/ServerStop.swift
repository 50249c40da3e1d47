import Logging
import ServiceLifecycle
import Synchronization

/// How both emulators stop their HTTP server. A graceful shutdown closes the listener at once and
/// then waits for every open connection to finish. One that a client opened but never sent a
/// request on (an HTTP client's pool opens such spares) has no idle timer yet and only ends when
/// that client drops it — a minute later for AsyncHTTPClient — so the wait is bounded: after
/// `limit` the server task is cancelled and left to end in the background, as a real server's
/// stop closes such connections instead of waiting for them.
public enum ServerStop {
    public static func stop(_ group: ServiceGroup, running task: Task<Void, Never>, within limit: Duration,
                            logger: Logger) async {
        await group.triggerGracefulShutdown()
        if await !finishes(task, within: limit) {
            logger.debug("server still closing connections after the stop's bound; cancelled")
            task.cancel()
        }
    }

    /// Whether `task` ends within `limit`, without waiting longer than that (awaiting a task's
    /// value cannot be cancelled, so the wait runs beside a timer and whichever ends first wins).
    static func finishes(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = ResumeOnce(continuation)
            // Two unstructured tasks by necessity: one of them is abandoned by design.
            Task { await task.value; once.resume(true) }
            Task { try? await Task.sleep(for: limit); once.resume(false) }
        }
    }
}

/// Resumes a continuation with the first value offered and ignores the rest.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Bool) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
