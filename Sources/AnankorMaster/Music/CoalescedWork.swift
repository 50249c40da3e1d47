import Synchronization

/// Runs work per key, coalesced and serialized: a caller asks and returns at once; a key being
/// worked on gets at most one more pass afterwards, however many requests came in meanwhile, and
/// two passes for one key never overlap. Now-playing refreshes use it (answers stay inside
/// Discord's 3 seconds when message edits are rate limited, and the rate limit is spared), and so
/// do voice-change checks per guild (a leave and a quick rejoin are judged in order).
final class CoalescedWork<Key: Hashable & Sendable>: Sendable {
    /// Keys being worked on → whether another pass was requested meanwhile.
    private let inFlight = Mutex<[Key: Bool]>([:])
    private let requests: AsyncStream<Key>
    private let continuation: AsyncStream<Key>.Continuation

    init() {
        (requests, continuation) = AsyncStream.makeStream(of: Key.self)
    }

    func request(_ key: Key) {
        let start = inFlight.withLock { keys -> Bool in
            if keys[key] != nil {
                keys[key] = true
                return false
            }
            keys[key] = false
            return true
        }
        if start { continuation.yield(key) }
    }

    /// Runs the work (one child task per key being worked on) until `finish()`.
    func run(_ work: @escaping @Sendable (Key) async -> Void) async {
        await withDiscardingTaskGroup { group in
            for await key in requests {
                group.addTask {
                    repeat { await work(key) } while self.another(key)
                }
            }
        }
    }

    func finish() { continuation.finish() }

    private func another(_ key: Key) -> Bool {
        inFlight.withLock { keys in
            if keys[key] == true {
                keys[key] = false
                return true
            }
            keys[key] = nil
            return false
        }
    }
}
