/// The gateway session without I/O: it is told what arrived and what time it is, and answers
/// with actions. The shard performs them. Time is an offset (`Duration`) from any origin.
public struct GatewayStateMachine: Sendable {
    public enum Action: Sendable, Hashable {
        case sendHeartbeat(sequence: Int?)
        /// Wait for an identify slot (max_concurrency), then IDENTIFY.
        case identify
        case resume(sessionID: String, sequence: Int?)
        case dispatch(GatewayEvent)
        /// Close the socket with this code (never 1000/1001, which would end the session);
        /// `connectionClosed` then says how to reconnect.
        case close(code: UInt16)
    }

    public enum Plan: Sendable, Hashable {
        case reconnect(url: String, resume: Bool, after: Duration)
        case stop(GatewayError)
    }

    public enum Phase: Sendable, Hashable {
        case disconnected, awaitingHello, identifying, resuming, connected
    }

    /// Code used when this client closes to reconnect: private range, keeps the session resumable.
    public static let reconnectCloseCode: UInt16 = 4900

    public let gatewayURL: String
    public private(set) var phase = Phase.disconnected
    public private(set) var sessionID: String?
    public private(set) var resumeURL: String?
    public private(set) var sequence: Int?
    public private(set) var heartbeatInterval: Duration?
    public private(set) var nextHeartbeatAt: Duration?
    public private(set) var awaitingAck = false
    /// Round trip of the last acknowledged heartbeat.
    public private(set) var latency: Duration?
    private var lastHeartbeatSentAt: Duration?
    private var pendingPlan: Plan?
    private var consecutiveFailures = 0
    private let jitter: @Sendable () -> Double
    private let invalidSessionDelay: @Sendable () -> Duration

    /// - Parameters:
    ///   - jitter: a value in [0, 1); the first heartbeat waits `interval × jitter`.
    ///   - invalidSessionDelay: the wait after INVALID_SESSION, documented as 1–5 s.
    ///   - resume: a session saved by an earlier connection (possibly another process): the first
    ///     connection RESUMEs it at its resume URL; if the gateway refuses (op 9 `false`) the
    ///     machine forgets it and IDENTIFYs on `gatewayURL`.
    public init(gatewayURL: String, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                invalidSessionDelay: @escaping @Sendable () -> Duration = { .milliseconds(Int.random(in: 1000...5000)) },
                resume: GatewayResumeState? = nil) {
        self.gatewayURL = gatewayURL
        self.jitter = jitter
        self.invalidSessionDelay = invalidSessionDelay
        if let resume, !resume.sessionID.isEmpty {
            sessionID = resume.sessionID
            sequence = resume.sequence
            resumeURL = resume.resumeURL
        }
    }

    /// Whether the next connection will RESUME rather than IDENTIFY.
    public var canResume: Bool { sessionID != nil }

    /// Where and how to connect first: RESUME when a saved session was given, else IDENTIFY.
    public var initialPlan: Plan { .reconnect(url: reconnectURL, resume: canResume, after: .zero) }

    /// What another connection (or process) needs to RESUME this session; nil without a session.
    public var resumeState: GatewayResumeState? {
        sessionID.map { GatewayResumeState(sessionID: $0, sequence: sequence, resumeURL: resumeURL) }
    }

    public mutating func connectionOpened(now: Duration) {
        phase = .awaitingHello
        awaitingAck = false
        nextHeartbeatAt = nil
        heartbeatInterval = nil
        pendingPlan = nil
    }

    public mutating func receive(_ message: GatewayMessage, now: Duration) -> [Action] {
        switch message {
        case .hello(let interval):
            heartbeatInterval = interval
            awaitingAck = false
            let fraction = min(max(jitter(), 0), 1)
            nextHeartbeatAt = now + interval * fraction
            guard phase == .awaitingHello else { return [] }
            if let sessionID {
                phase = .resuming
                return [.resume(sessionID: sessionID, sequence: sequence)]
            }
            phase = .identifying
            return [.identify]

        case .heartbeatAck:
            awaitingAck = false
            if let sent = lastHeartbeatSentAt { latency = now - sent }
            return []

        case .heartbeatRequest:
            lastHeartbeatSentAt = now
            return [.sendHeartbeat(sequence: sequence)]

        case .dispatch(let seq, let event):
            if let seq { sequence = seq }
            switch event {
            case .ready(let ready):
                sessionID = ready.sessionID
                resumeURL = ready.resumeGatewayURL
                phase = .connected
                consecutiveFailures = 0
            case .resumed:
                phase = .connected
                consecutiveFailures = 0
            default:
                break
            }
            return [.dispatch(event)]

        case .reconnect:
            return closeForReconnect(plan: .reconnect(url: reconnectURL, resume: canResume, after: .zero))

        case .invalidSession(let resumable):
            if !(resumable && canResume) { forgetSession() }
            return closeForReconnect(plan: .reconnect(url: reconnectURL, resume: canResume, after: invalidSessionDelay()))

        case .unknown:
            return []
        }
    }

    /// Heartbeat timing and zombie detection. Call at or after `nextHeartbeatAt`.
    public mutating func tick(now: Duration) -> [Action] {
        guard let due = nextHeartbeatAt, let interval = heartbeatInterval, now >= due else { return [] }
        if awaitingAck {
            // No ACK since the last heartbeat: the connection is a zombie.
            return closeForReconnect(plan: .reconnect(url: reconnectURL, resume: canResume, after: .zero))
        }
        awaitingAck = true
        lastHeartbeatSentAt = now
        nextHeartbeatAt = max(due + interval, now)
        return [.sendHeartbeat(sequence: sequence)]
    }

    /// The connection broke in a way that needs a fresh socket (e.g. a corrupt compressed
    /// stream): close and resume.
    public mutating func protocolFailure() -> [Action] {
        closeForReconnect(plan: .reconnect(url: reconnectURL, resume: canResume, after: .zero))
    }

    /// The socket closed (`closeCode` nil: dropped without a close frame, or never opened).
    public mutating func connectionClosed(closeCode: Int?) -> Plan {
        let wasReady = phase == .connected
        phase = .disconnected
        nextHeartbeatAt = nil
        heartbeatInterval = nil
        awaitingAck = false
        if let plan = pendingPlan {
            pendingPlan = nil
            return plan
        }
        if let closeCode, let fatal = GatewayError.fatal(closeCode: closeCode) {
            return .stop(fatal)
        }
        if closeCode == 4007 || closeCode == 4009 { forgetSession() }
        if !wasReady { consecutiveFailures += 1 }
        return .reconnect(url: reconnectURL, resume: canResume, after: backoff)
    }

    private var reconnectURL: String { canResume ? (resumeURL ?? gatewayURL) : gatewayURL }

    /// Immediate after a working session; then 1, 2, 4 … 60 s while connections keep failing.
    private var backoff: Duration {
        guard consecutiveFailures > 1 else { return .zero }
        return .seconds(min(60, 1 << min(consecutiveFailures - 2, 6)))
    }

    private mutating func forgetSession() {
        sessionID = nil
        resumeURL = nil
        sequence = nil
    }

    private mutating func closeForReconnect(plan: Plan) -> [Action] {
        pendingPlan = plan
        nextHeartbeatAt = nil
        return [.close(code: Self.reconnectCloseCode)]
    }
}

/// A gateway session as far as resuming needs it: saved by one connection, handed to a new
/// `GatewayShard` (even in another process) so it RESUMEs instead of IDENTIFYing.
public struct GatewayResumeState: Sendable, Hashable, Codable {
    public var sessionID: String
    /// The last sequence number received (`s`), nil before the first dispatch.
    public var sequence: Int?
    /// READY's `resume_gateway_url`; nil resumes on the configured gateway URL.
    public var resumeURL: String?

    public init(sessionID: String, sequence: Int?, resumeURL: String?) {
        self.sessionID = sessionID
        self.sequence = sequence
        self.resumeURL = resumeURL
    }
}
