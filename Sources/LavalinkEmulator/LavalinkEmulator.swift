import EmulatorServing
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A faithful local Lavalink v4 node: websocket, REST, players on a virtual clock, and a control
/// API (HTTP under `/_emulator/` and the methods of this type) for tests.
///
/// ```swift
/// let emulator = LavalinkEmulator(configuration: .init(speed: 0))   // manual clock
/// try await emulator.start()
/// defer { Task { await emulator.shutdown() } }
/// // connect a client to emulator.baseURL with emulator.password …
/// await emulator.advance(byMilliseconds: 180_000)                     // the track ends
/// ```
public final class LavalinkEmulator: Service, Sendable {
    public struct Configuration: Sendable {
        /// Address to listen on.
        public var host: String
        /// Port to listen on; 0 picks a free one (read it back from `port` after `start()`).
        public var port: Int
        /// Virtual clock speed: 1 is real time, 1000 makes a 3-minute track last 180 ms, 0 is a
        /// manual clock that only `advance(byMilliseconds:)` moves.
        public var speed: Double
        public var node: NodeConfiguration

        public init(host: String = "127.0.0.1", port: Int = 0, speed: Double = 1, node: NodeConfiguration = .init()) {
            self.host = host
            self.port = port
            self.speed = speed
            self.node = node
        }
    }

    /// A start or restart that could not bind its port.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let configuration: Configuration
    public let clock: VirtualClock
    let node: LavalinkNode
    let wake: WakeSignal
    private let logger: Logger
    private let state = Mutex(RunState())

    private struct RunState {
        var port: Int?
        var server: RunningServer?
        var timers: Task<Void, Never>?
    }

    /// The HTTP server of one start: its service group (for a graceful stop) and the task running it.
    private struct RunningServer {
        let group: ServiceGroup
        let task: Task<Void, Never>
    }

    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "anankor.emulator.lavalink")) {
        self.configuration = configuration
        self.clock = VirtualClock(speed: configuration.speed)
        self.wake = WakeSignal()
        self.node = LavalinkNode(configuration: configuration.node, clock: clock, catalogue: Catalogue(plugins: PluginSwitches(configuration.node.plugins)), wake: wake)
        self.logger = logger
    }

    /// The bound port (after `start()`).
    public var port: Int { state.withLock { $0.port ?? configuration.port } }
    /// `http://host:port`, the node's REST base and what clients call the node URI.
    public var baseURL: String { "http://\(configuration.host):\(port)" }
    /// `ws://host:port/v4/websocket`.
    public var websocketURL: String { "ws://\(configuration.host):\(port)/v4/websocket" }
    public var password: String { configuration.node.password }
    /// Whether REST and websocket connections are being accepted.
    public var isListening: Bool { state.withLock { $0.server != nil } }

    // MARK: Lifecycle

    /// Starts listening and running the virtual clock; returns once the port is bound.
    public func start() async throws {
        let timers = state.withLock { state -> Bool in
            if state.timers != nil { return false }
            state.timers = Task.detached { [node, clock, wake] in await Self.runTimers(node: node, clock: clock, wake: wake) }
            return true
        }
        if !timers { return }
        do {
            try await startServer(port: configuration.port)
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Stops everything: websockets closed, port released, clock loop ended.
    public func shutdown() async {
        await stopServer()
        let timers = state.withLock { state -> Task<Void, Never>? in
            defer { state.timers = nil }
            return state.timers
        }
        timers?.cancel()
        await timers?.value
    }

    /// `Service`: runs until graceful shutdown or cancellation.
    public func run() async throws {
        try await start()
        do {
            try await gracefulShutdown()
        } catch {}
        await shutdown()
    }

    /// Simulates the node's process dying: every websocket closes, all sessions and players are
    /// lost, and connections are refused until `restart()`.
    public func kill() async {
        await stopServer()
    }

    /// Brings a killed node back on the same port, with no sessions (clients cannot resume).
    public func restart() async throws {
        guard !isListening else { return }
        try await startServer(port: port)
    }

    private func startServer(port: Int) async throws {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LavalinkRESTMiddleware(password: configuration.node.password))
        router.addLavalinkRoutes(node: node)
        router.addPluginRoutes(node: node)
        router.addControlRoutes(emulator: self)
        router.addSourceControlRoutes(emulator: self)
        let webSocketRouter = Router(context: LavalinkWebSocketRequestContext.self)
        webSocketRouter.addLavalinkWebSocket(node: node)

        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            // Idle HTTP connections (a client's keep-alive pool) are closed after a few seconds, as
            // the Discord emulator's are: one that never sends a request otherwise holds the
            // graceful shutdown until its client drops it (a test's stage then waited about 60 s).
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter,
                                           configuration: .init(http1: .init(idleTimeout: .seconds(3)))),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: nil),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? 0)
                boundContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let logger = self.logger
        // Owned by `state.server` and ended by `stopServer()`; it cannot be a child task because
        // the server outlives this call (kill and restart replace it). Detached, so it does not
        // inherit a caller's graceful-shutdown state (a restart requested from inside a request
        // handler would otherwise stop as soon as it started).
        let task = Task.detached {
            do {
                try await group.run()
            } catch {
                logger.error("Lavalink emulator server stopped", metadata: ["error": "\(error)"])
            }
            boundContinuation.finish()
        }
        var iterator = bound.makeAsyncIterator()
        guard let boundPort = await iterator.next(), boundPort != 0 else {
            task.cancel()
            await task.value
            throw StartError(description: "the Lavalink emulator could not listen on \(configuration.host):\(port)")
        }
        state.withLock { state in
            state.port = boundPort
            state.server = RunningServer(group: group, task: task)
        }
        logger.info("Lavalink emulator listening", metadata: ["url": "\(baseURL)"])
    }

    private func stopServer() async {
        let server = state.withLock { state -> RunningServer? in
            defer { state.server = nil }
            return state.server
        }
        await node.kill()
        guard let server else { return }
        // Graceful: stop accepting, close idle connections, let in-flight requests finish; a
        // connection no request ever came on is not waited for beyond the bound.
        await ServerStop.stop(server.group, running: server.task, within: .seconds(2), logger: logger)
    }

    /// Fires due events at virtual deadlines, sleeping in real time in between.
    private static func runTimers(node: LavalinkNode, clock: VirtualClock, wake: WakeSignal) async {
        while !Task.isCancelled {
            let next = await node.tick()
            var delay = next.flatMap { clock.realDelay(until: $0) }
            if let current = delay, current < .milliseconds(1) { delay = .milliseconds(1) }
            await wake.wait(timeout: delay)
        }
    }
}
