import AnankorTesting
import Foundation
import NIOCore
import RedisKit
import Testing

/// Test-wide settings: short backoff so recovery is quick, short timeouts so nothing hangs.
func testConfiguration(_ server: RedisServer, protocolVersion: Int = 3) throws -> RedisConfiguration {
    var configuration = try RedisConfiguration(url: server.url)
    configuration.protocolVersion = protocolVersion
    configuration.connectTimeout = .seconds(2)
    configuration.commandTimeout = .seconds(10)
    configuration.initialReconnectDelay = .milliseconds(20)
    configuration.maxReconnectDelay = .milliseconds(200)
    return configuration
}

/// Runs `body` with a fresh server and a client on it, then closes both.
func withRedis<Result>(
    options: RedisServer.Options = .init(),
    protocolVersion: Int = 3,
    _ body: (RedisServer, RedisClient) async throws -> Result
) async throws -> Result {
    let server = try await RedisServer(options: options)
    let client = RedisClient(configuration: try testConfiguration(server, protocolVersion: protocolVersion))
    do {
        let result = try await body(server, client)
        await client.close()
        server.stop()
        return result
    } catch {
        await client.close()
        server.stop()
        throw error
    }
}

/// Retries `body` until it succeeds or `timeout` passes (then rethrows the last error).
func eventually<Result>(
    timeout: Duration = .seconds(10), _ body: () async throws -> Result
) async throws -> Result {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        do {
            return try await body()
        } catch {
            if clock.now >= deadline { throw error }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Fails the test instead of hanging when `body` takes longer than `timeout`.
func withTimeout<Result: Sendable>(
    _ timeout: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw TimeoutError()
        }
        return result
    }
}

/// Waits until the server reports `count` clients blocked in a blocking command.
func waitUntilBlocked(_ client: RedisClient, count: Int = 1) async throws {
    try await eventually {
        let info = try await client.send("INFO", "clients").string ?? ""
        guard info.contains("blocked_clients:\(count)\r") else { throw TimeoutError() }
    }
}

struct TimeoutError: Error, CustomStringConvertible {
    var description: String { "the operation did not finish in time" }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
}
