import AsyncHTTPClient
import Foundation
import LavalinkEmulator
import Logging
import ServiceLifecycle
import Testing

@testable import LavalinkKit

/// Test support: emulated nodes, running services for the duration of a test, and waiting for
/// events with a deadline (no fixed sleeps).
enum Emulated {
    /// The HTTP client of the current `withEmulator` scope. Each scope shuts its client down
    /// before its emulator, so no keep-alive connection holds the emulator's shutdown up.
    @TaskLocal static var httpClient: HTTPClient = LavalinkREST.sharedHTTPClient
    static let logger: Logger = {
        var logger = Logger(label: "lavalinkkit.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// A node on a free port with a manual clock (time moves only when a test advances it).
    /// Voice connections are ready at the virtual instant of their PATCH unless a test asks for a
    /// delay, so tests about positions count playback from the PATCH; the voice-ready delay has
    /// its own tests.
    static func start(
        password: String = "test-password-9f2", version: String = "4.2.2", voiceReadyDelayMs: Int64 = 0,
        plugins: EmulatedPlugins = .none
    ) async throws -> LavalinkEmulator {
        let emulator = LavalinkEmulator(
            configuration: .init(speed: 0, node: .init(password: password, version: version,
                                                       voiceReadyDelayMs: voiceReadyDelayMs, plugins: plugins)),
            logger: logger
        )
        try await emulator.start()
        return emulator
    }

    static func nodeConfiguration(
        _ name: String, _ emulator: LavalinkEmulator, password: String? = nil, failedAttemptsBeforeLost: Int = 1,
        region: String? = nil
    ) -> LavalinkKit.NodeConfiguration {
        LavalinkKit.NodeConfiguration(
            name: name,
            endpoint: NodeEndpoint(host: "127.0.0.1", port: emulator.port, password: password ?? emulator.password),
            userId: "111111111111111111",
            clientName: "LavalinkKitTests/1.0",
            backoff: ReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200), jitter: 0),
            failedAttemptsBeforeLost: failedAttemptsBeforeLost,
            requestTimeout: .seconds(5),
            region: region
        )
    }

    /// - Parameter clock: the node's clock for its reconnect backoff (a test's manual clock holds
    ///   the reconnect attempts until it is advanced).
    static func node(
        _ name: String, _ emulator: LavalinkEmulator, failedAttemptsBeforeLost: Int = 1, region: String? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) -> LavalinkKit.LavalinkNode {
        LavalinkKit.LavalinkNode(
            configuration: nodeConfiguration(name, emulator, failedAttemptsBeforeLost: failedAttemptsBeforeLost, region: region),
            httpClient: httpClient, clock: clock, logger: logger
        )
    }

    static let voice = LavalinkKit.VoiceState(
        token: "voice-token", endpoint: "us-east1.discord.media", sessionId: "voice-session", channelId: "555"
    )
}

/// Everything a stream delivered so far, for polling with a deadline.
actor EventLog<Event: Sendable> {
    private(set) var events: [Event] = []
    func append(_ event: Event) { events.append(event) }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `log` until an event after index `from` matches, or fails after `timeout` (generous: at the
/// start of a whole run hundreds of tests start their servers at once on a 2-core machine).
@discardableResult
func waitFor<Event: Sendable>(
    _ what: String, in log: EventLog<Event>, from: Int = 0, timeout: Duration = .seconds(30),
    _ match: (Event) -> Bool
) async throws -> Event {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let events = await log.events
        if let found = events.dropFirst(from).first(where: match) { return found }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw TimedOut(description: "timed out waiting for \(what)")
}

/// Polls a condition until it holds, or fails after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw TimedOut(description: "timed out waiting until \(what)")
}

/// Runs a node while `body` runs, recording its events.
func withNode<T>(
    _ node: LavalinkKit.LavalinkNode, _ body: (EventLog<NodeEvent>) async throws -> T
) async throws -> T {
    let log = EventLog<NodeEvent>()
    let events = node.events()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { for await event in events { await log.append(event) } }
        group.addTask { try await node.run() }
        defer { group.cancelAll() }
        return try await body(log)
    }
}

/// Runs a pool (and so its nodes) while `body` runs, recording its events.
func withPool<T>(
    _ nodes: [LavalinkKit.LavalinkNode], maxConcurrentMoves: Int = 4, logger: Logger = Emulated.logger,
    reconnectWait: Duration = .seconds(10),
    // The emulators' virtual clocks only move when a test advances them, so by default no time
    // passes on the pool's side either: a moved player resumes exactly where it was reported.
    monotonicNow: @escaping @Sendable () -> Duration = { .zero },
    breakerPolicy: SourceBreakerPolicy = SourceBreakerPolicy(),
    _ body: (LavalinkNodePool, EventLog<PoolEvent>) async throws -> T
) async throws -> T {
    let pool = LavalinkNodePool(nodes: nodes, maxConcurrentMoves: maxConcurrentMoves, reconnectWait: reconnectWait,
                                monotonicNow: monotonicNow, breakerPolicy: breakerPolicy, logger: logger)
    let log = EventLog<PoolEvent>()
    let events = pool.events()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { for await event in events { await log.append(event) } }
        group.addTask { try await pool.run() }
        defer { group.cancelAll() }
        return try await body(pool, log)
    }
}

extension PoolEvent {
    func isReady(_ node: String) -> Bool {
        if case .node(node, .ready) = self { return true }
        return false
    }

    var playerEvent: PlayerEvent.Kind? {
        if case .player(let event) = self { return event.kind }
        return nil
    }
}

extension PlayerEvent.Kind {
    var startedTitle: String? {
        if case .trackStart(let track) = self { return track.info.title }
        return nil
    }

    var endReason: TrackEndReason? {
        if case .trackEnd(_, let reason) = self { return reason }
        return nil
    }
}

/// Starts an emulator for `body` and always shuts it down afterwards (after the scope's HTTP client).
func withEmulator<T>(
    version: String = "4.2.2", voiceReadyDelayMs: Int64 = 0, plugins: EmulatedPlugins = .none,
    _ body: (LavalinkEmulator) async throws -> T
) async throws -> T {
    let emulator = try await Emulated.start(version: version, voiceReadyDelayMs: voiceReadyDelayMs, plugins: plugins)
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    let result: Result<T, any Error>
    do {
        result = .success(try await Emulated.$httpClient.withValue(client) { try await body(emulator) })
    } catch {
        result = .failure(error)
    }
    try? await client.shutdown()
    await emulator.shutdown()
    return try result.get()
}
