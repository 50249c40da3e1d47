import AnankorTesting
@testable import DiscordKit
import Synchronization
import Testing

@Suite("Gateway limiters")
struct GatewayLimiterTests {
    @Test("at most 120 payloads per 60 s leave a connection; heartbeats keep reserved slots")
    func sendLimit() async throws {
        let clock = ManualClock()
        let limiter = GatewaySendLimiter(time: DiscordTimeSource(clock: clock))
        for _ in 0..<115 { try await limiter.acquire() }
        let command = Task { try await limiter.acquire() }
        try await clock.waitForSleepers(1)
        // Heartbeats still go while commands wait.
        for _ in 0..<5 { try await limiter.acquire(heartbeat: true) }
        clock.advance(by: .seconds(60))
        try await command.value
    }

    @Test("identify waits per max_concurrency bucket, 5 s apart")
    func identifyBuckets() async throws {
        let clock = ManualClock()
        let limiter = IdentifyLimiter(time: DiscordTimeSource(clock: clock), maxConcurrency: 2)
        try await limiter.waitForTurn(shardID: 0)
        try await limiter.waitForTurn(shardID: 1) // other bucket: no wait
        let started = Mutex<[Int]>([])
        let third = Task {
            try await limiter.waitForTurn(shardID: 2) // bucket 0 again
            started.withLock { $0.append(2) }
        }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        #expect(started.withLock { $0 }.isEmpty)
        clock.advance(by: .seconds(1))
        try await third.value
        #expect(started.withLock { $0 } == [2])
    }
}
