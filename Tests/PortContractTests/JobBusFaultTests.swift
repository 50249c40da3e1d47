import AnankorCore
import AnankorDistributed
import AnankorTesting
import Foundation
import RedisKit
import Synchronization
import Testing

/// The redis-server is killed (SIGKILL) and restarted with AOF while jobs flow. Producers and
/// consumers keep their clients (which reconnect by themselves); a checker classifies every job as
/// delivered once, redelivered, or lost. Lost must be 0.
@Suite("JobBus fault: Redis killed and restarted while jobs flow")
struct JobBusFaultTests {
    @Test func noJobIsLostAcrossARedisCrash() async throws {
        let disposable = try await DisposableRedisServer(options: RedisServer.Options(appendOnly: true))
        let server = disposable.server
        defer { withExtendedLifetime(disposable) {} }
        let policy = JobBusPolicy(reclaimIdle: .milliseconds(500), maxDeliveries: 50)
        let producer = RedisJobBus(redis: try RedisClient(url: server.url), policy: policy)
        let consumer = RedisJobBus(redis: try RedisClient(url: server.url), policy: policy)
        let worker = WorkerID(1)
        let total = 400
        let ledger = FaultLedger()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(45))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<total {
                    let job = JobEnvelope(body: .voiceLeave(VoiceLeaveJob(session: SessionKey(guild: GuildID(1), channel: ChannelID(UInt64(n))),
                                                                          reason: .idle)), createdAt: Date())
                    // Retry until Redis confirms; a send that failed mid-flight may still have
                    // landed, which the checker counts as a redelivery, never as a loss.
                    while clock.now < deadline {
                        do {
                            try await producer.send(job, to: worker)
                            break
                        } catch {
                            ledger.failures.withLock { $0 += 1 }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                    ledger.sent.withLock { _ = $0.insert(job.id) }
                }
            }
            group.addTask {
                // Crash the server once a quarter of the jobs went out, then bring it back.
                while ledger.sent.withLock({ $0.count }) < total / 4 && clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                ledger.sentAtCrash.withLock { $0 = ledger.sent.withLock { $0.count } }
                server.kill()
                try await Task.sleep(for: .milliseconds(300))
                try await server.restart()
            }
            group.addTask {
                while clock.now < deadline {
                    let done = ledger.deliveries.withLock { seen in
                        ledger.sent.withLock { $0.count == total && $0.isSubset(of: Set(seen.keys)) }
                    }
                    if done { return }
                    do {
                        for delivery in try await consumer.receiveJobs(for: worker, as: "c1", limit: 32,
                                                                         waitingUpTo: .milliseconds(200)) {
                            ledger.deliveries.withLock { $0[delivery.envelope.id, default: 0] += 1 }
                            try await consumer.acknowledge(delivery)
                        }
                    } catch {
                        ledger.failures.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
            try await group.waitForAll()
        }

        let sentIDs = ledger.sent.withLock { $0 }
        let seen = ledger.deliveries.withLock { $0 }
        let once = sentIDs.filter { seen[$0] == 1 }.count
        let redelivered = sentIDs.filter { (seen[$0] ?? 0) > 1 }.count
        let lost = sentIDs.filter { seen[$0] == nil }.count
        let crashAt = ledger.sentAtCrash.withLock { $0 }
        let failures = ledger.failures.withLock { $0 }
        print("fault test: \(sentIDs.count) jobs sent (crash after \(crashAt)), \(failures) failed calls during the outage, "
              + "\(once) delivered once, \(redelivered) redelivered, \(lost) lost")
        #expect(sentIDs.count == total)
        #expect(crashAt > 0 && crashAt < total, "the crash happened while jobs flowed")
        #expect(lost == 0)
    }
}

/// What the fault test's producer sent and its consumer saw, shared by their tasks.
final class FaultLedger: Sendable {
    let sent = Mutex<Set<EnvelopeID>>([])
    let deliveries = Mutex<[EnvelopeID: Int]>([:])
    let sentAtCrash = Mutex(0)
    let failures = Mutex(0)
}
