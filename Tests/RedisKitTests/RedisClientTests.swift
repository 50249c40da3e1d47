import AnankorTesting
import NIOCore
import RedisKit
import Testing

@Suite struct RedisClientTests {
    @Test(arguments: [3, 2])
    func stringCommandsBehaveAsRedisDocumentsThem(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { _, client in
            #expect(try await client.get("missing") == nil)
            #expect(try await client.set("k", to: "v1"))
            #expect(try await client.set("k", to: "v2", condition: .ifNotExists) == false)
            #expect(try await client.getString("k") == "v1")
            #expect(try await client.set("k", to: "v3", condition: .ifExists))
            #expect(try await client.set("absent", to: "x", condition: .ifExists) == false)
            #expect(try await client.set("lease", to: "w1", condition: .ifNotExists, expiration: .seconds(30)))
            let ttl = try #require(try await client.pttl("lease"))
            #expect(ttl > .seconds(20) && ttl <= .seconds(30))
            #expect(try await client.pttl("k") == nil)
            #expect(try await client.pexpire("k", after: .seconds(5)))
            #expect(try await client.expire("nothing", after: .seconds(5)) == false)
            #expect(try await client.incr("n") == 1)
            #expect(try await client.incrby("n", by: 41) == 42)
            #expect(try await client.getdel("n")?.text == "42")
            #expect(try await client.exists("n", "k", "k") == 2)
            #expect(try await client.del("k", "lease", "nope") == 2)
        }
    }

    @Test func serverErrorsAreTypedAndKeepTheirPrefix() async throws {
        try await withRedis { _, client in
            try await client.rpush("list", ["a"])
            do {
                _ = try await client.get("list")
                Issue.record("GET on a list must fail")
            } catch let error as RedisError {
                #expect(error.code == .server)
                #expect(error.serverErrorPrefix == "WRONGTYPE")
            }
            // The connection keeps working after an error reply.
            #expect(try await client.llen("list") == 1)
        }
    }

    @Test(arguments: [3, 2])
    func hashesListsAndSortedSets(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { _, client in
            #expect(try await client.hset("h", fields: [("a", "1"), ("b", 2)]) == 2)
            #expect(try await client.hsetnx("h", field: "a", to: "x") == false)
            #expect(try await client.hget("h", field: "a")?.text == "1")
            #expect(try await client.hmget("h", fields: ["b", "zz"]).map { $0?.text } == ["2", nil])
            #expect(try await client.hgetall("h").mapValues(\.text) == ["a": "1", "b": "2"])
            #expect(try await client.hincrby("h", field: "b", by: 3) == 5)
            #expect(try await client.hexists("h", field: "b"))
            #expect(try await client.hdel("h", fields: ["a"]) == 1)
            #expect(try await client.hlen("h") == 1)

            #expect(try await client.rpush("l", ["a", "b", "c"]) == 3)
            #expect(try await client.lpush("l", ["z"]) == 4)
            #expect(try await client.lrange("l", 0, -1).map(\.text) == ["z", "a", "b", "c"])
            #expect(try await client.lrem("l", count: 0, value: "b") == 1)
            #expect(try await client.lpop("l")?.text == "z")
            #expect(try await client.rpop("l")?.text == "c")
            #expect(try await client.lindex("l", 0)?.text == "a")
            try await client.ltrim("l", 1, -1)
            #expect(try await client.llen("l") == 0)

            #expect(try await client.zadd("z", [(3, "c"), (1, "a"), (2, "b"), (10, "j")]) == 4)
            #expect(try await client.zadd("z", score: 5, member: "a") == 0)
            #expect(try await client.zcard("z") == 4)
            #expect(try await client.zscore("z", member: "a") == 5)
            #expect(try await client.zrangeByScore("z", min: .inclusive(2), max: .exclusive(10)).map(\.text) == ["b", "c", "a"])
            #expect(try await client.zrangeByScore(
                "z", min: .negativeInfinity, max: .positiveInfinity, limit: (1, 2)).map(\.text) == ["c", "a"])
            let scored = try await client.zrangeByScoreWithScores("z", min: .inclusive(3), max: .positiveInfinity, limit: (0, 2))
            #expect(scored.map(\.member.text) == ["c", "a"])
            #expect(scored.map(\.score) == [3, 5])
            #expect(try await client.zrangeWithScores("z", -1, -1).map(\.score) == [10])
            #expect(try await client.zrange("z", 0, 0).map(\.text) == ["b"])
            #expect(try await client.zrem("z", members: ["a", "nope"]) == 1)
        }
    }

    @Test func genericSendReturnsTheRawReply() async throws {
        try await withRedis { _, client in
            #expect(try await client.send("PING") == .simpleString(ByteBuffer(string: "PONG")))
            #expect(try await client.send("ECHO", "hi").bytes?.text == "hi")
            let hello = try await client.send("HELLO")
            #expect(hello[field: "proto"]?.int == 3, "the handshake negotiated RESP3")
        }
    }

    @Test func fallsBackToRESP2WhenAskedTo() async throws {
        try await withRedis(protocolVersion: 2) { _, client in
            let hello = try await client.send("HELLO")
            #expect(hello[field: "proto"]?.int == 2)
        }
    }

    /// Many commands in flight on one connection: each caller gets its own reply.
    @Test func pipelinedCommandsFromManyTasksGetTheirOwnReplies() async throws {
        try await withRedis { server, _ in
            let connection = try await RedisConnection.connect(configuration: try testConfiguration(server))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        let reply = try await connection.send("ECHO", "value-\(index)")
                        #expect(reply.bytes?.text == "value-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            await connection.close()
        }
    }

    @Test func anExplicitPipelineReturnsResultsInOrderIncludingErrors() async throws {
        try await withRedis { _, client in
            let commands = (0..<200).map { _ in RedisCommand("INCR", "counter") } + [RedisCommand("HGET", "counter", "x")]
            let results = try await client.pipeline(commands)
            #expect(try results.prefix(200).map { try $0.get().int } == (1...200).map(Int64.init))
            guard case .failure(let error) = results.last else {
                Issue.record("HGET on a string must fail")
                return
            }
            #expect(error.serverErrorPrefix == "WRONGTYPE")
        }
    }

    @Test func thePoolServesManyConcurrentCallersOverSeveralConnections() async throws {
        try await withRedis { server, _ in
            var configuration = try testConfiguration(server)
            configuration.connectionCount = 4
            configuration.clientName = "pool-test"
            let client = RedisClient(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<50 {
                    group.addTask {
                        for step in 0..<20 {
                            try await client.hincrby("tally", field: "w\(worker)", by: 1)
                            _ = step
                        }
                    }
                }
                try await group.waitForAll()
            }
            let tally = try await client.hgetall("tally")
            #expect(tally.count == 50)
            #expect(tally.values.allSatisfy { $0.text == "20" })
            let clients = try await client.send("CLIENT", "LIST").string ?? ""
            #expect(clients.components(separatedBy: "name=pool-test").count - 1 == 4, "all four pooled connections were used")
            await client.close()
            await #expect { try await client.get("x") } throws: { ($0 as? RedisError)?.code == .clientClosed }
        }
    }

    @Test func dedicatedConnectionsAreExclusiveAndReused() async throws {
        try await withRedis { _, client in
            let first = try await client.withDedicatedConnection { try await $0.send("CLIENT", "ID").int }
            let second = try await client.withDedicatedConnection { try await $0.send("CLIENT", "ID").int }
            #expect(first == second, "an idle dedicated connection is lent again")
            let shared = try await client.send("CLIENT", "ID").int
            #expect(shared != first, "dedicated connections are not the shared ones")
            let (a, b) = try await client.withDedicatedConnection { outer in
                try await client.withDedicatedConnection { inner in
                    (try await outer.send("CLIENT", "ID").int, try await inner.send("CLIENT", "ID").int)
                }
            }
            #expect(a != b, "two leases at once get two connections")
        }
    }
}
