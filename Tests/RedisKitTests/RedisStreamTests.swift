import AnankorTesting
import NIOCore
import RedisKit
import Testing

@Suite struct RedisStreamTests {
    @Test(arguments: [3, 2])
    func consumerGroupRoundTrip(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { _, client in
            #expect(try await client.xgroupCreate("jobs", group: "workers", startID: "0"))
            #expect(try await client.xgroupCreate("jobs", group: "workers", startID: "0") == false, "BUSYGROUP is tolerated")
            let first = try await client.xadd("jobs", fields: [("kind", "play"), ("n", 1)])
            try await client.xadd("jobs", fields: [("kind", "skip"), ("n", 2)], trim: .maxLength(1000))
            #expect(try await client.xlen("jobs") == 2)

            let read = try await client.xreadgroup(group: "workers", consumer: "c1", key: "jobs", count: 10)
            #expect(read.map { $0.string("kind") } == ["play", "skip"])
            #expect(read.first?.id == first)
            #expect(try await client.xreadgroup(group: "workers", consumer: "c1", key: "jobs").isEmpty, "nothing new")

            let history = try await client.xreadgroup(group: "workers", consumer: "c1", key: "jobs", id: "0")
            #expect(history.count == 2, "reading 0 returns this consumer's pending entries")

            #expect(try await client.xack("jobs", group: "workers", ids: [first]) == 1)
            let summary = try await client.xpending("jobs", group: "workers")
            #expect(summary.count == 1)
            #expect(summary.consumers == ["c1": 1])

            let groups = try await client.xinfoGroups("jobs")
            #expect(groups.map(\.name) == ["workers"])
            #expect(groups.first?.pending == 1)
            #expect(groups.first?.consumers == 1)
            #expect(groups.first?.lag == 0)
            let consumers = try await client.xinfoConsumers("jobs", group: "workers")
            #expect(consumers.map(\.name) == ["c1"])
            #expect(consumers.first?.pending == 1)

            #expect(try await client.xgroupDelConsumer("jobs", group: "workers", consumer: "c1") == 1)
            #expect(try await client.xdel("jobs", ids: [first]) == 1)
            #expect(try await client.xrange("jobs").map { $0.string("n") } == ["2"])
        }
    }

    @Test func maxLengthApproximateAndExactTrimming() async throws {
        try await withRedis { _, client in
            for index in 0..<300 { try await client.xadd("s", fields: [("i", index)], trim: .maxLength(100)) }
            let length = try await client.xlen("s")
            #expect(length >= 100 && length < 300, "~ trims whole nodes, keeping at least 100")
            #expect(try await client.xtrim("s", .maxLength(10, approximate: false)) == length - 10)
            #expect(try await client.xlen("s") == 10)
        }
    }

    @Test func pendingEntriesCountTheirDeliveries() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("s", group: "g", startID: "0")
            let id = try await client.xadd("s", fields: [("job", "x")])
            _ = try await client.xreadgroup(group: "g", consumer: "a", key: "s")
            var pending = try await client.xpending("s", group: "g", count: 10)
            #expect(pending.map(\.deliveryCount) == [1])
            #expect(pending.first?.consumer == "a")
            #expect(pending.first?.id == id)

            // A claim by another consumer counts as a delivery.
            let claim = try await client.xautoclaim("s", group: "g", consumer: "b", minIdle: .zero)
            #expect(claim.claimed.map(\.id) == [id])
            #expect(claim.claimed.first?.string("job") == "x")
            #expect(claim.deletedIDs.isEmpty)
            #expect(claim.nextCursor == "0-0")
            pending = try await client.xpending("s", group: "g", count: 10, consumer: "b")
            #expect(pending.map(\.deliveryCount) == [2])
            #expect(try await client.xpending("s", group: "g", count: 10, consumer: "a").isEmpty)
        }
    }

    /// Entries trimmed away while pending come back in XAUTOCLAIM's third element, never as claims.
    @Test(arguments: [3, 2])
    func autoclaimReportsTrimmedPendingEntriesAsDeleted(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { _, client in
            try await client.xgroupCreate("s", group: "g", startID: "0")
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await client.xadd("s", fields: [("i", index)])) }
            #expect(try await client.xreadgroup(group: "g", consumer: "dead", key: "s").count == 5)
            // Trim the three oldest while they are pending (unacknowledged).
            #expect(try await client.xtrim("s", .maxLength(2, approximate: false)) == 3)

            let claim = try await client.xautoclaim("s", group: "g", consumer: "rescuer", minIdle: .zero, count: 10)
            #expect(claim.claimed.map(\.id) == Array(ids.suffix(2)))
            #expect(claim.claimed.map { $0.string("i") } == ["3", "4"])
            #expect(Set(claim.deletedIDs) == Set(ids.prefix(3)))
            #expect(claim.claimed.allSatisfy { !$0.isDeleted })
            // Redis removed the deleted ids from the PEL while claiming.
            #expect(try await client.xpending("s", group: "g").count == 2)
        }
    }

    @Test func historyReadMarksEntriesDeletedWhilePending() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("s", group: "g", startID: "0")
            let gone = try await client.xadd("s", fields: [("i", 1)])
            let kept = try await client.xadd("s", fields: [("i", 2)])
            _ = try await client.xreadgroup(group: "g", consumer: "c", key: "s")
            try await client.xdel("s", ids: [gone])
            let history = try await client.xreadgroup(group: "g", consumer: "c", key: "s", id: "0")
            #expect(history.map(\.id) == [gone, kept])
            #expect(history.map(\.isDeleted) == [true, false])
        }
    }

    /// A blocked XREADGROUP wakes as soon as an entry is added, and does not stall other commands.
    @Test func blockingReadWakesOnXADD() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("wake", group: "g")
            let reader = Task {
                try await client.xreadgroup(group: "g", consumer: "c", key: "wake", block: .seconds(20))
            }
            try await waitUntilBlocked(client)
            try await client.xadd("wake", fields: [("hello", "world")])
            let entries = try await withTimeout { try await reader.value }
            #expect(entries.map { $0.string("hello") } == ["world"])
        }
    }

    @Test func aBlockingReadThatTimesOutReturnsNothing() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("quiet", group: "g")
            #expect(try await client.xreadgroup(group: "g", consumer: "c", key: "quiet", block: .milliseconds(50)).isEmpty)
        }
    }

    @Test func cancellingABlockedReadReturnsPromptly() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("idle", group: "g")
            let reader = Task {
                try await client.xreadgroup(group: "g", consumer: "c", key: "idle", block: .zero)
            }
            try await waitUntilBlocked(client)
            reader.cancel()
            let outcome = try await withTimeout { await reader.result.map { _ in () } }
            #expect(throws: (any Error).self) { try outcome.get() }
        }
    }
}
