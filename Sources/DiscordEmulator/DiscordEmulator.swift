import EmulatorServing
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A faithful local Discord (Gateway v10, REST v10) with a control API for tests.
///
/// In-process: `try await emulator.start()` binds (port 0 picks a free one), use the URLs, then
/// `await emulator.stop()`. As a long-lived service: add it to a `ServiceGroup` (`run()`).
public final class DiscordEmulator: Service, Sendable {
    public let configuration: DiscordEmulatorConfiguration
    /// Emulated time; advance it instead of sleeping (interaction deadlines, rate-limit windows).
    public let clock: EmulatorClock
    let state: EmulatorState
    private let logger: Logger
    private let running = Mutex<RunningServer?>(nil)
    private let boundPort = Atomic<Int>(0)

    private struct RunningServer {
        let group: ServiceGroup
        let task: Task<Void, Never>
    }

    public init(configuration: DiscordEmulatorConfiguration = .init(), logger: Logger? = nil) {
        self.configuration = configuration
        self.clock = EmulatorClock(followsRealTime: configuration.clockFollowsRealTime)
        var fallback = Logger(label: "anankor.discord-emulator")
        fallback.logLevel = .warning
        let logger = logger ?? fallback
        self.logger = logger
        self.state = EmulatorState(configuration: configuration, clock: clock, logger: logger)
    }

    /// The bound port (0 before the server listens).
    public var port: Int { boundPort.load(ordering: .acquiring) }
    /// `http://host:port`.
    public var baseURL: String { "http://\(configuration.host):\(port)" }
    /// REST base, to use where Discord's is `https://discord.com/api/v10`.
    public var restURL: String { baseURL + "/api/v10" }
    /// Gateway URL (also what GET /gateway returns); clients add `?v=10&encoding=json`.
    public var gatewayURL: String { "ws://\(configuration.host):\(port)" }
    /// Control API base.
    public var controlURL: String { baseURL + "/_emulator" }

    private func makeApplication(
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = HTTPSurface.router(state: state)
        var logger = self.logger
        // Hummingbird logs every cancelled connection at error level during shutdown.
        logger.logLevel = .critical
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(
                    // Idle HTTP connections (a client's keep-alive pool) are closed after a few
                    // seconds: a connection that never sends a request otherwise holds the
                    // server's shutdown until the client gives up on it.
                    http1: .init(idleTimeout: .seconds(3)),
                    ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled, closeTimeout: .seconds(2))
                )
            ),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil
            ),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private func serverStarted(port: Int) async {
        boundPort.store(port, ordering: .releasing)
        await state.setBaseURL("http://\(configuration.host):\(port)")
        logger.info("Discord emulator listening", metadata: ["port": "\(port)"])
    }

    /// Runs until cancelled or until graceful shutdown (swift-service-lifecycle).
    public func run() async throws {
        let application = makeApplication { port in await self.serverStarted(port: port) }
        try await application.run()
    }

    /// Starts listening and returns the base URL (`http://host:port`) once the port is bound.
    @discardableResult
    public func start() async throws(DiscordEmulatorError) -> String {
        let (started, continuation) = AsyncStream.makeStream(of: Int?.self)
        let application = makeApplication { port in
            await self.serverStarted(port: port)
            continuation.yield(port)
        }
        let logger = self.logger
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(2)
        // No cancellation limit: ServiceLifecycle ends the whole process with a fatal error when
        // cancellation overruns it, and a server connection that a client opened but never used
        // (a keep-alive pool's spare) can hold cancellation until the client drops it. `stop()`
        // bounds its own wait instead.
        let group = ServiceGroup(configuration: groupConfiguration)
        let task = Task {
            do {
                try await group.run()
            } catch {
                logger.error("Discord emulator stopped", metadata: ["error": "\(error)"])
            }
            continuation.yield(nil)
            continuation.finish()
        }
        running.withLock { $0 = RunningServer(group: group, task: task) }
        var iterator = started.makeAsyncIterator()
        guard let port = await iterator.next() ?? nil, port > 0 else {
            throw DiscordEmulatorError(
                code: .startFailed,
                message: "could not listen on \(configuration.host):\(configuration.port) (port in use?)"
            )
        }
        return baseURL
    }

    /// Stops the server started with `start()` and closes every connection.
    public func stop() async {
        guard let server = running.withLock({ current -> RunningServer? in
            defer { current = nil }
            return current
        }) else { return }
        // Gateway sockets get a close frame first, so the graceful shutdown has no open
        // connection to wait for; the group's limits bound the rest.
        await state.closeAllConnections()
        await ServerStop.stop(server.group, running: server.task, within: .seconds(2), logger: logger)
    }
}
