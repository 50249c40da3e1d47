import AnankorTesting
import NIOCore
import RedisKit
import Testing

/// What callers see when the server crashes and comes back on the same port.
@Suite struct RedisOutageTests {
    @Test func commandsFailFastDuringAnOutageAndRecoverAfterRestart() async throws {
        try await withRedis(options: .init(appendOnly: true)) { server, client in
            try await client.set("survives", to: "yes")
            server.kill()

            // During the outage every command fails quickly with a typed error; none hangs.
            for _ in 0..<20 {
                let error = await #expect(throws: RedisError.self) {
                    try await withTimeout(.seconds(5)) { try await client.get("survives") }
                }
                #expect(error?.code == .connectionUnavailable || error?.code == .connectionClosed)
            }

            try await server.restart()
            // No user action: the next commands reconnect by themselves (after the backoff window).
            let value = try await eventually { try await client.getString("survives") }
            #expect(value == "yes", "AOF kept the data across the crash")
        }
    }

    @Test func commandsInFlightOnADroppedConnectionFail() async throws {
        try await withRedis { server, client in
            try await client.xgroupCreate("s", group: "g")
            let blocked = Task {
                try await client.xreadgroup(group: "g", consumer: "c", key: "s", block: .seconds(30))
            }
            try await waitUntilBlocked(client)
            server.kill()
            let outcome = try await withTimeout { await blocked.result }
            #expect { try outcome.get() } throws: { ($0 as? RedisError)?.code == .connectionClosed }
        }
    }

    @Test func scriptsAreReloadedAfterTheServerLostItsScriptCache() async throws {
        try await withRedis { server, client in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(try await client.eval(script, keys: ["n"], arguments: [5]).int == 5, "first use loads the script")
            #expect(try await client.eval(script, keys: ["n"], arguments: [1]).int == 6)

            server.kill()
            try await server.restart()
            // The restarted server has no script cache: EVALSHA hits NOSCRIPT and is retried after LOAD.
            let after = try await eventually { try await client.eval(script, keys: ["fresh"], arguments: [2]) }
            #expect(after.int == 2)
        }
    }

    @Test func scriptHashMatchesWhatTheServerComputes() async throws {
        try await withRedis { _, client in
            let script = RedisScript("return 'héllo'")
            let loaded = try await client.send("SCRIPT", "LOAD", script.source)
            #expect(loaded.string == script.sha1)
            #expect(try await client.eval(script).string == "héllo")
        }
    }

    @Test func aServerThatWasNeverUpFailsFastWithConnectionUnavailable() async throws {
        let port = try FreePort.allocate()
        var configuration = RedisConfiguration(port: port)
        configuration.connectTimeout = .seconds(2)
        let client = RedisClient(configuration: configuration)
        let error = await #expect(throws: RedisError.self) {
            try await withTimeout { try await client.get("x") }
        }
        #expect(error?.code == .connectionUnavailable)
        #expect(error?.message.contains("\(port)") == true)
        await client.close()
    }
}
