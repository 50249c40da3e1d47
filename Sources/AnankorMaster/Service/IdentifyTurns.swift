import AnankorCore
import DiscordKit
import Foundation
import Logging

/// Discord's identify pacing for a bot whose shards several masters split: one IDENTIFY per
/// `max_concurrency` bucket every 5 s, whichever master sends it. The master that identifies a
/// shard of bucket `shard % maxConcurrency` takes that bucket's lease for 5 s (a new holder each
/// time, so nobody extends it); the others wait until it lapses. Shards of one master are paced
/// locally first, so they do not poll the store against each other.
///
/// When the store cannot be reached the master paces its own shards only: at worst Discord answers
/// an early IDENTIFY with INVALID_SESSION and the shard tries again a few seconds later.
struct IdentifyTurns: IdentifyPacing {
    let leases: any LeaseRegistry
    let maxConcurrency: Int
    /// Names this master in the leases (with a nonce per attempt).
    let holder: LeaseHolder
    let interval: Duration
    let local: IdentifyLimiter
    let now: @Sendable () -> Date
    let time: DiscordTimeSource
    let logger: Logger

    init(leases: any LeaseRegistry, maxConcurrency: Int, holder: LeaseHolder, interval: Duration = .seconds(5),
         now: @escaping @Sendable () -> Date, time: DiscordTimeSource, logger: Logger) {
        self.leases = leases
        self.maxConcurrency = max(1, maxConcurrency)
        self.holder = holder
        self.interval = interval
        self.local = IdentifyLimiter(time: time, maxConcurrency: maxConcurrency, interval: interval)
        self.now = now
        self.time = time
        self.logger = logger
    }

    func waitForTurn(shardID: Int) async throws {
        try await local.waitForTurn(shardID: shardID)
        let bucket = shardID % maxConcurrency
        while true {
            try Task.checkCancellation()
            let attempt = LeaseHolder("\(holder)#\(UUID().uuidString.prefix(8))")
            let outcome: LeaseOutcome
            do {
                outcome = try await leases.acquireLease(.identifyBucket(bucket), holder: attempt, ttl: interval, now: now())
            } catch {
                logger.warning("identify pacing without the store: only this master's shards are paced",
                               metadata: ["shard.id": "\(shardID)", "error": "\(error)"])
                return
            }
            guard case .held(let current) = outcome else { return }
            // Another master identified in this bucket: wait until its 5 s are over.
            let wait = min(max(current.expiresAt.timeIntervalSince(now()), 0.01), interval.timeInterval)
            try await time.sleep(.milliseconds(Int64(wait * 1000)))
        }
    }
}
