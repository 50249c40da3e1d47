public import Logging
import NIOCore
import NIOWebSocket
public import ServiceLifecycle
import Synchronization
import WSClient

/// The gateway's transport compression modes (`compress=`).
public enum GatewayTransportCompression: String, Sendable {
    case zstdStream = "zstd-stream"
    case zlibStream = "zlib-stream"

    /// zstd-stream (smaller frames, as Discord recommends) when libzstd loads, else zlib-stream.
    public static var preferred: GatewayTransportCompression {
        ZstdStreamInflater.isAvailable ? .zstdStream : .zlibStream
    }
}

/// One gateway shard: connects, identifies or resumes, heartbeats, reconnects, and yields events.
/// A `Service`: `run()` returns on graceful shutdown and throws `GatewayError` for the fatal close
/// codes instead of reconnecting in a loop.
public final class GatewayShard: Service, Sendable {
    public struct Configuration: Sendable {
        public var token: BotToken
        public var intents: GatewayIntents
        public var shardID: Int
        public var shardCount: Int
        /// The `url` of `GET /gateway/bot`.
        public var gatewayURL: String
        /// Transport compression (`compression`: the `compress` query), off when false.
        public var compression: Bool
        /// Which transport compression to ask for: `zstd-stream` when the system's libzstd loads,
        /// else `zlib-stream` (`GatewayTransportCompression.preferred`).
        public var compressionAlgorithm: GatewayTransportCompression
        public var presence: PresenceUpdate?
        public var largeThreshold: Int?
        public var properties: [String: String]
        public var maxPayloadSize: Int
        /// Whether dispatches DiscordKit does not type arrive with their payload (`.other`'s
        /// `data`); false: as `.other(name:data: .null)`, without decoding it
        /// (`GatewayFrameDecoder.otherPayloads`). For consumers that never read `.other`'s data.
        public var otherPayloads: Bool
        public var heartbeatJitter: @Sendable () -> Double
        public var invalidSessionDelay: @Sendable () -> Duration
        /// A saved session to RESUME on the first connection (falls back to IDENTIFY when the
        /// gateway no longer knows it).
        public var resume: GatewayResumeState?

        public init(token: BotToken, intents: GatewayIntents, shardID: Int = 0, shardCount: Int = 1,
                    gatewayURL: String, compression: Bool = true,
                    compressionAlgorithm: GatewayTransportCompression = .preferred, presence: PresenceUpdate? = nil,
                    largeThreshold: Int? = nil,
                    properties: [String: String] = ["os": "linux", "browser": "DiscordKit", "device": "DiscordKit"],
                    maxPayloadSize: Int = 32 << 20, otherPayloads: Bool = true,
                    heartbeatJitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                    invalidSessionDelay: @escaping @Sendable () -> Duration = { .milliseconds(Int.random(in: 1000...5000)) },
                    resume: GatewayResumeState? = nil) {
            self.token = token
            self.intents = intents
            self.shardID = shardID
            self.shardCount = shardCount
            self.gatewayURL = gatewayURL
            self.compression = compression
            self.compressionAlgorithm = compressionAlgorithm
            self.presence = presence
            self.largeThreshold = largeThreshold
            self.properties = properties
            self.maxPayloadSize = maxPayloadSize
            self.otherPayloads = otherPayloads
            self.heartbeatJitter = heartbeatJitter
            self.invalidSessionDelay = invalidSessionDelay
            self.resume = resume
        }
    }

    private struct State {
        var machine: GatewayStateMachine
        var writer: WebSocketOutboundWriter?
        /// An identify slot taken before connecting, so the wait does not hold an open socket.
        var identifySlotTaken = false
        /// Connection attempts since the shard started (the first one included).
        var connections = 0
        /// `handOver()` was called: close the connection resumably and connect no more.
        var handingOver = false
        /// The shard connects no more (handed over, or `run()` ended); `handOver()` waits for it.
        var parked = false
        var parkWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let configuration: Configuration
    /// Every dispatch of this shard, in order. Ends when `run()` ends.
    public let events: AsyncStream<GatewayEvent>
    private let continuation: AsyncStream<GatewayEvent>.Continuation
    private let state: Mutex<State>
    private let sendLimiter: GatewaySendLimiter
    private let identifyLimiter: any IdentifyPacing
    private let time: DiscordTimeSource
    private let logger: Logger
    private let decoder: GatewayFrameDecoder

    public init(configuration: Configuration, identifyLimiter: (any IdentifyPacing)? = nil, time: DiscordTimeSource = .continuous,
                logger: Logger = Logger(label: "discordkit.gateway")) {
        self.configuration = configuration
        (self.events, self.continuation) = AsyncStream.makeStream(of: GatewayEvent.self)
        self.state = Mutex(State(machine: GatewayStateMachine(
            gatewayURL: configuration.gatewayURL, jitter: configuration.heartbeatJitter,
            invalidSessionDelay: configuration.invalidSessionDelay, resume: configuration.resume)))
        self.sendLimiter = GatewaySendLimiter(time: time)
        self.identifyLimiter = identifyLimiter ?? IdentifyLimiter(time: time, maxConcurrency: 1)
        self.time = time
        var logger = logger
        logger[metadataKey: "shard.id"] = "\(configuration.shardID)"
        self.logger = logger
        self.decoder = GatewayFrameDecoder(maxPayloadSize: configuration.maxPayloadSize,
                                           otherPayloads: configuration.otherPayloads)
    }

    /// The session id of the current session, if any.
    public var sessionID: String? { state.withLock { $0.machine.sessionID } }
    /// The last heartbeat round trip.
    public var latency: Duration? { state.withLock { $0.machine.latency } }
    /// What a later shard (in this or another process) needs to RESUME the current session:
    /// session id, last sequence, resume URL. Save it periodically; nil before READY.
    public var resumeState: GatewayResumeState? { state.withLock { $0.machine.resumeState } }
    /// Connection attempts after the first (resumes and new sessions), for operators' metrics.
    public var reconnects: Int { state.withLock { max(0, $0.connections - 1) } }
    /// Whether the shard has a ready session on an open connection (after READY or RESUMED).
    public var isConnected: Bool { state.withLock { $0.machine.phase == .connected } }

    // MARK: Commands

    /// Joins, moves within, or (with a nil channel) leaves voice in a guild.
    public func updateVoiceState(_ update: VoiceStateUpdate) async throws {
        try await send(.voiceStateUpdate(update))
    }

    public func updatePresence(_ presence: PresenceUpdate) async throws {
        try await send(.presenceUpdate(presence))
    }

    /// Op 8: the members arrive as `.guildMembersChunk` events on this shard.
    public func requestGuildMembers(_ request: RequestGuildMembers) async throws {
        try await send(.requestGuildMembers(request))
    }

    private func send(_ command: GatewayCommand) async throws {
        let writer = state.withLock { $0.machine.phase == .connected ? $0.writer : nil }
        guard let writer else {
            throw GatewayError(code: .notConnected, closeCode: nil,
                               message: "shard \(configuration.shardID) has no ready connection; retry later")
        }
        try await sendLimiter.acquire()
        try await writer.write(.text(try command.encoded(token: configuration.token)))
    }

    // MARK: Handing the session over

    /// Hands the session over to another process (a graceful stop that leaves a spare to carry
    /// on): closes the connection with a code that keeps the session resumable (never 1000/1001,
    /// which would end it), connects no more, and returns once the connection is closed, with the
    /// state the next holder resumes from — taken before the close, so dispatches that arrive
    /// while closing are replayed to it rather than lost. `run()` keeps running without a
    /// connection until cancelled or shut down, so a service group does not see it end early.
    @discardableResult
    public func handOver() async -> GatewayResumeState? {
        let (resume, writer) = state.withLock { state in
            state.handingOver = true
            return (state.machine.resumeState, state.writer)
        }
        if let writer { try? await writer.close(.unknown(GatewayStateMachine.reconnectCloseCode), reason: "handing over") }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let parked = state.withLock { state in
                if !state.parked { state.parkWaiters.append(waiter) }
                return state.parked
            }
            if parked { waiter.resume() }
        }
        return resume
    }

    private func markParked() {
        let waiters = state.withLock { state in
            state.parked = true
            defer { state.parkWaiters = [] }
            return state.parkWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// After a hand-over: no connection until the shard is cancelled or shut down.
    private func park() async throws {
        // The machine learns the connection is gone (not connected any more); the session it
        // keeps is not used again here: the next holder resumes it.
        state.withLock { _ = $0.machine.connectionClosed(closeCode: Int(GatewayStateMachine.reconnectCloseCode)) }
        markParked()
        logger.info("gateway session handed over")
        while true { try await time.sleep(.seconds(3_600)) }
    }

    // MARK: Running

    public func run() async throws {
        defer { continuation.finish() }
        defer { markParked() }
        do {
            try await cancelWhenGracefulShutdown { try await self.runConnections() }
        } catch is CancellationError {
            return
        }
    }

    private func runConnections() async throws {
        var plan = state.withLock { $0.machine.initialPlan }
        while true {
            switch plan {
            case .stop(let error):
                logger.error("gateway stopped", metadata: ["error": "\(error)"])
                throw error
            case .reconnect(let url, let resume, let delay):
                try await time.sleep(delay)
                try Task.checkCancellation()
                if state.withLock({ $0.handingOver }) { return try await park() }
                state.withLock { $0.connections += 1 }
                if !resume {
                    try await identifyLimiter.waitForTurn(shardID: configuration.shardID)
                    state.withLock { $0.identifySlotTaken = true }
                }
                logger.debug("connecting", metadata: ["resume": "\(resume)"])
                let closeCode = await connect(to: url)
                try Task.checkCancellation()
                if state.withLock({ $0.handingOver }) { return try await park() }
                plan = state.withLock { $0.machine.connectionClosed(closeCode: closeCode) }
                logger.info("gateway connection closed", metadata: ["close_code": "\(closeCode.map(String.init) ?? "none")"])
            }
        }
    }

    private func connect(to url: String) async -> Int? {
        var address = url
        if let query = address.firstIndex(of: "?") { address = String(address[..<query]) }
        if !address.hasSuffix("/") { address += "/" }
        address += "?v=\(DiscordAPI.version)&encoding=json"
        if configuration.compression { address += "&compress=\(configuration.compressionAlgorithm.rawValue)" }
        let client = WebSocketClient(
            url: address,
            configuration: .init(maxFrameSize: configuration.maxPayloadSize, closeTimeout: .seconds(2)),
            logger: logger
        ) { inbound, outbound, _ in
            try await self.handle(inbound: inbound, outbound: outbound)
        }
        do {
            guard let frame = try await client.run() else { return nil }
            var buffer = ByteBuffer()
            buffer.write(webSocketErrorCode: frame.closeCode)
            return buffer.readInteger(as: UInt16.self).map(Int.init)
        } catch is CancellationError {
            // The process is stopping: not a failure worth a line above debug.
            logger.debug("gateway connection ended by cancellation")
            return nil
        } catch {
            logger.info("gateway connection failed", metadata: ["error": "\(type(of: error))"])
            return nil
        }
    }

    private func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        await sendLimiter.reset()
        let handingOver = state.withLock { state in
            state.machine.connectionOpened(now: time.now())
            state.writer = outbound
            return state.handingOver
        }
        defer { state.withLock { $0.writer = nil } }
        if handingOver {
            // Opened while `handOver()` was closing: close it the same way.
            try? await outbound.close(.unknown(GatewayStateMachine.reconnectCloseCode), reason: "handing over")
            return
        }
        // Whichever ends first (the socket, or a close decided by the heartbeat) ends the other:
        // a zombie socket never delivers the close that would end the read loop.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.heartbeat(outbound) }
            group.addTask { try await self.read(inbound, outbound) }
            defer { group.cancelAll() }
            _ = try await group.next()
        }
        // A cancelled read loop ends without an error, and a handler that returns closes with
        // 1000, which ends the session. Cancellation outside a graceful shutdown stands for the
        // process going away: the session must stay resumable for the next holder, so the
        // connection ends with an error (1011) instead.
        if Task.isCancelled, !Task.isShuttingDownGracefully { throw CancellationError() }
    }

    private func read(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let inflater: (any GatewayFrameInflater)? = if !configuration.compression {
            nil
        } else if configuration.compressionAlgorithm == .zstdStream {
            try ZstdStreamInflater(maxPayloadSize: configuration.maxPayloadSize)
        } else {
            try ZlibStreamInflater(maxPayloadSize: configuration.maxPayloadSize)
        }
        for try await message in inbound.messages(maxSize: configuration.maxPayloadSize) {
            let payload: ByteBuffer
            switch message {
            case .text(let text):
                payload = ByteBuffer(string: text)
            case .binary(let bytes):
                if let inflater {
                    do {
                        guard let inflated = try inflater.feed(bytes) else { continue }
                        payload = inflated
                    } catch {
                        logger.warning("compressed gateway stream failed; reconnecting", metadata: ["error": "\(error)"])
                        let actions = state.withLock { $0.machine.protocolFailure() }
                        _ = try await perform(actions, outbound)
                        return
                    }
                } else {
                    payload = bytes
                }
            }
            let decoded: GatewayMessage
            do {
                decoded = try decoder.decode(payload)
            } catch {
                logger.warning("skipped an undecodable gateway payload", metadata: ["error": "\(error)"])
                continue
            }
            let actions = state.withLock { $0.machine.receive(decoded, now: time.now()) }
            if try await perform(actions, outbound) { return }
        }
    }

    private func heartbeat(_ outbound: WebSocketOutboundWriter) async throws {
        while !Task.isCancelled {
            let next = state.withLock { $0.machine.nextHeartbeatAt }
            let now = time.now()
            guard let next else {
                try await time.sleep(.milliseconds(50))
                continue
            }
            if next > now { try await time.sleep(next - now) }
            let actions = state.withLock { $0.machine.tick(now: time.now()) }
            if try await perform(actions, outbound) { return }
        }
    }

    /// Performs actions; true when the connection is being closed.
    private func perform(_ actions: [GatewayStateMachine.Action], _ outbound: WebSocketOutboundWriter) async throws -> Bool {
        for action in actions {
            switch action {
            case .sendHeartbeat(let sequence):
                try await sendLimiter.acquire(heartbeat: true)
                try await outbound.write(.text(try GatewayCommand.heartbeat(sequence: sequence).encoded(token: configuration.token)))
            case .identify:
                let slotTaken = state.withLock { state in
                    defer { state.identifySlotTaken = false }
                    return state.identifySlotTaken
                }
                if !slotTaken { try await identifyLimiter.waitForTurn(shardID: configuration.shardID) }
                let identify = GatewayCommand.identify(.init(
                    intents: configuration.intents, shard: [configuration.shardID, configuration.shardCount],
                    properties: configuration.properties, presence: configuration.presence,
                    largeThreshold: configuration.largeThreshold))
                try await sendLimiter.acquire()
                try await outbound.write(.text(try identify.encoded(token: configuration.token)))
                logger.debug("identified")
            case .resume(let sessionID, let sequence):
                try await sendLimiter.acquire()
                try await outbound.write(.text(try GatewayCommand.resume(sessionID: sessionID, sequence: sequence)
                        .encoded(token: configuration.token)))
                logger.debug("resuming", metadata: ["sequence": "\(sequence.map(String.init) ?? "null")"])
            case .dispatch(let event):
                continuation.yield(event)
            case .close(let code):
                try? await outbound.close(.unknown(code), reason: "reconnecting")
                return true
            }
        }
        return false
    }
}
