import NIOCore

/// When the next connect attempt may happen after failures (sans-IO: the caller passes `now`).
///
/// Between a failure and the next allowed attempt, callers fail fast instead of queueing behind a
/// server that is known to be down. Each failure doubles the wait up to `maximum`; a success resets it.
struct ReconnectBackoff: Sendable {
    let initial: TimeAmount
    let maximum: TimeAmount
    private(set) var nextDelay: TimeAmount
    private(set) var notBefore: NIODeadline?
    private(set) var lastError: RedisError?

    init(initial: TimeAmount, maximum: TimeAmount) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.nextDelay = initial
    }

    /// `nil` when an attempt may start now, else the error to fail with right away.
    func gate(now: NIODeadline) -> RedisError? {
        guard let notBefore, now < notBefore else { return nil }
        let wait = (notBefore - now).nanoseconds / 1_000_000
        return RedisError(
            .connectionUnavailable,
            "the Redis server is unreachable; next connect attempt in \(wait) ms", underlying: lastError)
    }

    mutating func failed(_ error: RedisError, now: NIODeadline) {
        lastError = error
        notBefore = now + nextDelay
        nextDelay = min(nextDelay * 2, maximum)
    }

    mutating func succeeded() {
        notBefore = nil
        lastError = nil
        nextDelay = initial
    }
}
