import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import ServiceLifecycle
import Synchronization
import WSClient

/// One Lavalink node: keeps the websocket session up (resuming across drops), tracks stats and
/// broadcasts what the node says. A swift-service-lifecycle `Service`; `run()` reconnects until
/// cancelled or shut down, and throws only for errors retrying cannot fix (node too old, wrong
/// password).
public actor LavalinkNode: Service {
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let rest: LavalinkREST
    public nonisolated var name: String { configuration.name }

    public private(set) var status: NodeStatus = .connecting
    public private(set) var lastStats: NodeStats?
    /// What `/v4/info` said before the last connection attempt (version, sources, plugins).
    public private(set) var info: NodeInfo?
    func rememberInfo(_ info: NodeInfo) { self.info = info }
    /// The session id of the last `ready` (before the first one: `configuration.resumeSessionId`).
    /// Save it to resume the session from another process (see `NodeConfiguration.resumeSessionId`).
    public private(set) var sessionId: String?

    private let clock: any Clock<Duration>
    private let logger: Logger
    private let broadcast = EventBroadcast<NodeEvent>()
    private var readyThisConnection = false
    private let readyWaiters = Waiters()
    private var outbound: WebSocketOutboundWriter?

    public init(
        configuration: NodeConfiguration, httpClient: HTTPClient = LavalinkREST.sharedHTTPClient,
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.configuration = configuration
        self.rest = LavalinkREST(
            endpoint: configuration.endpoint, nodeName: configuration.name,
            httpClient: httpClient, timeout: configuration.requestTimeout
        )
        self.clock = clock
        // Sent as `Session-Id` on the first connection; replaced by whatever `ready` says.
        self.sessionId = configuration.resumeSessionId
        var logger = logger
        logger[metadataKey: "lavalink.node"] = .string(configuration.name)
        self.logger = logger
    }

    /// A new stream of everything this node reports from now on.
    public nonisolated func events() -> AsyncStream<NodeEvent> { broadcast.subscribe() }

    /// The session id, once the node is connected.
    public func requireSession() throws -> String {
        guard case .connected(let sessionId) = status else {
            throw LavalinkError(.notConnected, "the node has no websocket session", node: name)
        }
        return sessionId
    }

    /// Suspends until the node is connected, refused or stopped, or the calling task is cancelled.
    public func waitUntilConnected() async {
        if status.isAvailable || status == .refused || status == .stopped { return }
        let waiters = readyWaiters
        let id = waiters.makeID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.add(id, $0) }
        } onCancel: {
            waiters.resume(id)
        }
    }

    public func run() async throws {
        defer { broadcast.finish() }
        do {
            try await cancelWhenGracefulShutdown {
                try await self.connectLoop()
            }
        } catch is CancellationError {
            // Shutdown.
        }
        status = .stopped
        resumeReadyWaiters()
    }

    private func connectLoop() async throws {
        var failedAttempts = 0
        var announcedLost = false
        while !Task.isCancelled {
            readyThisConnection = false
            do {
                // A REST probe first: it refuses old servers and wrong passwords with a clear
                // error, and fails fast when the node is down.
                info = try await rest.checkedInfo()
                try await connectOnce()
            } catch let error as LavalinkError where error.code == .unsupportedVersion || error.code == .unauthorized {
                logger.error("node refused", metadata: ["error": "\(error)"])
                status = .refused
                resumeReadyWaiters()
                throw error
            } catch {
                if Task.isCancelled { return }
                logger.debug("connection attempt ended", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { return }
            if readyThisConnection {
                failedAttempts = 0
                announcedLost = false
                broadcast.yield(.disconnected)
                logger.info("websocket closed; reconnecting")
            } else {
                failedAttempts += 1
                if failedAttempts >= configuration.failedAttemptsBeforeLost, !announcedLost {
                    announcedLost = true
                    logger.warning("node lost", metadata: ["failedAttempts": "\(failedAttempts)"])
                    broadcast.yield(.lost)
                }
            }
            status = .reconnecting(failedAttempts: failedAttempts)
            try await clock.sleep(for: configuration.backoff.delay(attempt: max(0, failedAttempts - 1)))
        }
    }

    private func connectOnce() async throws {
        var headers = HTTPFields()
        headers[HTTPField.Name("Authorization")!] = configuration.endpoint.password.value
        headers[HTTPField.Name("User-Id")!] = configuration.userId
        headers[HTTPField.Name("Client-Name")!] = configuration.clientName
        if let sessionId {
            headers[HTTPField.Name("Session-Id")!] = sessionId
        }
        let client = WebSocketClient(
            url: configuration.endpoint.websocketURL,
            configuration: WebSocketClientConfiguration(
                maxFrameSize: 1 << 24, additionalHeaders: headers,
                autoPing: .enabled(timePeriod: .seconds(15))
            ),
            logger: logger
        ) { inbound, outbound, _ in
            await self.attach(outbound)
            // Cancelled (the worker stopping or dying): the socket is closed at once, so Lavalink
            // pauses the session and the next holder can resume it. Waiting for the read loop to
            // notice left the connection open until the next message arrived.
            try await withTaskCancellationHandler {
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    guard case .text(let text) = message else { continue }
                    await self.receive(text)
                }
                try Task.checkCancellation()
            } onCancel: {
                Task { try? await outbound.close(.goingAway, reason: "stopping") }
            }
        }
        defer { outbound = nil }
        try await client.run()
    }

    private func attach(_ outbound: WebSocketOutboundWriter) { self.outbound = outbound }

    /// Closes the websocket; the node reconnects at once and resumes its session, so players keep
    /// playing. Useful after network changes, and to exercise resuming.
    public func reconnect() async {
        try? await outbound?.close(.goingAway, reason: "reconnecting")
    }

    private func receive(_ text: String) async {
        let message: NodeMessage
        do {
            message = try JSONDecoder().decode(NodeMessage.self, from: Data(text.utf8))
        } catch {
            // A malformed message must not take the session down; note it and carry on.
            logger.warning("undecodable node message", metadata: ["error": "\(error)"])
            return
        }
        switch message {
        case .ready(let resumed, let sessionId):
            await becomeReady(sessionId: sessionId, resumed: resumed)
        case .playerUpdate(let guildId, let state):
            broadcast.yield(.playerUpdate(guildId: guildId, state: state))
        case .stats(let stats):
            lastStats = stats
            broadcast.yield(.stats(stats))
        case .event(let event):
            broadcast.yield(.player(event))
        case .unknown(let op):
            logger.debug("ignoring unknown op", metadata: ["op": "\(op)"])
        }
    }

    private func becomeReady(sessionId: String, resumed: Bool) async {
        self.sessionId = sessionId
        readyThisConnection = true
        logger.info("ready", metadata: ["resumed": "\(resumed)"])
        do {
            let timeout = Int(configuration.resumeTimeout.seconds.rounded())
            _ = try await rest.updateSession(sessionId, SessionConfiguration(resuming: true, timeout: timeout))
        } catch {
            // Playback works without resuming; a drop would then cost the players.
            logger.warning("could not enable resuming", metadata: ["error": "\(error)"])
        }
        status = .connected(sessionId: sessionId)
        if lastStats == nil { lastStats = try? await rest.stats() }
        broadcast.yield(.ready(sessionId: sessionId, resumed: resumed))
        resumeReadyWaiters()
    }

    private func resumeReadyWaiters() {
        readyWaiters.resumeAll()
    }
}

/// Continuations waiting for the node to connect; lock-protected so a cancelled waiter can be
/// resumed from the cancellation handler, which runs outside the actor.
private final class Waiters: Sendable {
    private struct State {
        var nextID = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    func makeID() -> Int {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    func add(_ id: Int, _ continuation: CheckedContinuation<Void, Never>) {
        let cancelledAlready = state.withLock { state in
            if state.cancelled.remove(id) != nil { return true }
            state.waiting[id] = continuation
            return false
        }
        if cancelledAlready { continuation.resume() }
    }

    /// Cancellation: resume the waiter, or remember to resume it at once if it is not added yet.
    func resume(_ id: Int) {
        let continuation = state.withLock { state in
            guard let continuation = state.waiting.removeValue(forKey: id) else {
                state.cancelled.insert(id)
                return CheckedContinuation<Void, Never>?.none
            }
            return continuation
        }
        continuation?.resume()
    }

    func resumeAll() {
        let continuations = state.withLock { state in
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in continuations { continuation.resume() }
    }
}
