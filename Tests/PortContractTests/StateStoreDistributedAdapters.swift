import AnankorCore
import AnankorDistributed
import AnankorTesting
import RedisKit

extension StateStoreAdapter {
    /// A fresh redis-server per test (a few milliseconds to start), so tests never share keys and
    /// the server stops with the fixture.
    static let redis = StateStoreAdapter(name: "redis") {
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        return StateStoreFixture(store: RedisStateStore(redis: client), keepAlive: (server, client), reopen: {
            RedisStateStore(redis: try RedisClient(url: server.url))
        }, overwriteSessionRecord: { session, bytes in
            // The layout in docs/state.md: the record JSON is field `r` of `{sr}:rec:<guild>/<channel>`.
            _ = try await client.send("HSET", arguments: ["anankor:{sr}:rec:\(session)", "r", bytes])
        })
    }
}

let distributedStateStoreAdapters: [StateStoreAdapter] = [.redis]

/// A throwaway redis-server, SIGKILLed when the last test reference goes: it needs no clean
/// shutdown, and a kill never waits on the server.
final class DisposableRedisServer: Sendable {
    let server: RedisServer
    var url: String { server.url }

    init(options: RedisServer.Options = RedisServer.Options()) async throws {
        server = try await RedisServer(options: options)
    }

    deinit { server.kill() }
}
