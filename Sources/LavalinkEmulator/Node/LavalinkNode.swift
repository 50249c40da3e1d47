import Foundation

/// An error a REST route answers with Lavalink's error body.
struct LavalinkHTTPError: Error {
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> LavalinkHTTPError { .init(status: 400, message: message) }
    static let sessionNotFound = LavalinkHTTPError(status: 404, message: "Session not found")
    static let playerNotFound = LavalinkHTTPError(status: 404, message: "Player not found")
}

/// The state of one emulated Lavalink node: sessions, players, and what they emit.
///
/// All mutation happens on this actor; the HTTP layer and the timer loop call into it. Messages
/// are handed to each websocket's outbound stream in order, so a client sees events in the order
/// the node produced them.
actor LavalinkNode {
    let configuration: NodeConfiguration
    let clock: VirtualClock
    let catalogue: Catalogue
    let wake: WakeSignal

    var sessions: [String: Session] = [:]
    var nextConnectionId: UInt64 = 0
    var startedAt = ContinuousClock.now
    var trackStarts: [TrackStartRecord] = []
    var trackEnds: [TrackEndRecord] = []
    var injectedFaults: [String: [TrackFault]] = [:]
    /// Guilds whose next `TrackEndEvent` is lost on the way (the control API's message loss).
    var droppedTrackEnds: [String: Int] = [:]
    /// When set, voice connections fail with close code 4017, as without DAVE support.
    var daveRequired = false
    var load = NodeLoad()
    /// Sources made to fail by the control API: loads and plays left to fail, by source name.
    var failingSources: [String: SourceFailure] = [:]
    var region: String?

    init(configuration: NodeConfiguration, clock: VirtualClock, catalogue: Catalogue, wake: WakeSignal) {
        self.configuration = configuration
        self.region = configuration.region
        self.clock = clock
        self.catalogue = catalogue
        self.wake = wake
    }

    var now: Int64 { clock.now }

    // MARK: Websocket sessions

    /// Whether a websocket presenting `sessionId` would resume it (for `Session-Resumed`).
    func canResume(_ sessionId: String?) -> Bool {
        guard let sessionId, let session = sessions[sessionId] else { return false }
        return session.resuming && session.connection == nil
    }

    /// Attaches a new websocket: resumes `requestedSessionId` when it is resumable, else opens a
    /// fresh session. Sends `ready`, then (on resume) the queued events and a playerUpdate per
    /// player, then `stats`.
    func connect(userId: String, clientName: String, requestedSessionId: String?)
        -> (sessionId: String, connectionId: UInt64, messages: AsyncStream<OutboundMessage>)
    {
        let (stream, continuation) = AsyncStream<OutboundMessage>.makeStream()
        nextConnectionId += 1
        let connection = Session.Connection(id: nextConnectionId, continuation: continuation)
        let now = self.now
        let resumed = canResume(requestedSessionId)
        var session: Session
        if resumed, let requestedSessionId, let existing = sessions[requestedSessionId] {
            session = existing
            session.clientName = clientName
            session.disconnectedAt = nil
        } else {
            session = Session(id: Self.newSessionId(), userId: userId, clientName: clientName, now: now)
        }
        session.connection = connection
        session.send(["op": "ready", "resumed": .bool(resumed), "sessionId": .string(session.id)], queueIfDisconnected: false)
        if resumed {
            for text in session.queued { continuation.yield(.text(text)) }
            session.queued.removeAll()
            for guildId in session.sortedGuildIds {
                guard var player = session.players[guildId] else { continue }
                player.lastUpdateSent = now
                session.players[guildId] = player
                session.send(playerUpdateMessage(player, now: now), queueIfDisconnected: false)
            }
        }
        session.lastStatsSent = now
        sessions[session.id] = session
        let stats = statsMessage(frameStats: true)
        sessions[session.id]?.send(stats, queueIfDisconnected: false)
        wake.signal()
        return (session.id, connection.id, stream)
    }

    /// The websocket `connectionId` of `sessionId` went away.
    func disconnect(sessionId: String, connectionId: UInt64) {
        guard var session = sessions[sessionId], session.connection?.id == connectionId else { return }
        session.connection?.continuation.finish()
        session.connection = nil
        if session.resuming {
            session.disconnectedAt = now
            sessions[sessionId] = session
        } else {
            sessions[sessionId] = session
            destroySession(sessionId)
        }
        wake.signal()
    }

    /// Ends a session and its players (cleanup events go nowhere: the client is gone).
    func destroySession(_ sessionId: String) {
        guard let session = sessions.removeValue(forKey: sessionId) else { return }
        session.connection?.continuation.yield(.close)
        session.connection?.continuation.finish()
    }

    /// `PATCH /v4/sessions/{id}`.
    func updateSession(_ sessionId: String, body: JSONValue) throws(LavalinkHTTPError) -> JSONValue {
        guard var session = sessions[sessionId] else { throw .sessionNotFound }
        guard body.objectValue != nil else { throw .badRequest("the body must be a JSON object") }
        if let resuming = body["resuming"], !resuming.isNull {
            guard let value = resuming.boolValue else { throw .badRequest("resuming must be a boolean") }
            session.resuming = value
        }
        if let timeout = body["timeout"], !timeout.isNull {
            guard let value = timeout.int64Value, value >= 0 else { throw .badRequest("timeout must be a non-negative integer") }
            session.timeoutSeconds = value
        }
        sessions[sessionId] = session
        return ["resuming": .bool(session.resuming), "timeout": .int(session.timeoutSeconds)]
    }

    /// Closes every websocket and forgets all state, as when the process dies.
    func kill() {
        for id in Array(sessions.keys) { destroySession(id) }
        sessions.removeAll()
        trackStarts.removeAll()
        startedAt = .now
    }

    static func newSessionId() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<16).map { _ in alphabet.randomElement() ?? "a" })
    }

    // MARK: Messages

    var progressWithoutVoice: Bool { configuration.progressWithoutVoice }

    func stateJSON(_ player: Player, now: Int64) -> JSONValue {
        [
            "time": .int(Int64(Date().timeIntervalSince1970 * 1000)),
            "position": .int(player.position(at: now, progressWithoutVoice: progressWithoutVoice)),
            "connected": .bool(player.voiceConnected),
            "ping": .int(player.voiceConnected ? 12 : -1),
        ]
    }

    func playerUpdateMessage(_ player: Player, now: Int64) -> JSONValue {
        ["op": "playerUpdate", "guildId": .string(player.guildId), "state": stateJSON(player, now: now)]
    }

    func playerJSON(_ player: Player, now: Int64) -> JSONValue {
        let position = player.position(at: now, progressWithoutVoice: progressWithoutVoice)
        return [
            "guildId": .string(player.guildId),
            "track": player.track.map { $0.json(position: position) } ?? .null,
            "volume": .int(player.volume),
            "paused": .bool(player.paused),
            "state": stateJSON(player, now: now),
            "voice": player.voice.json,
            "filters": player.filters.json,
        ]
    }

    func eventMessage(_ type: String, guildId: String, _ fields: [(String, JSONValue)]) -> JSONValue {
        .object([("op", "event"), ("type", .string(type)), ("guildId", .string(guildId))] + fields)
    }

    /// Node-wide statistics; `frameStats` only over the websocket and only with players.
    func statsMessage(frameStats: Bool) -> JSONValue {
        let allPlayers = sessions.values.flatMap { $0.players.values }
        let playing = allPlayers.filter(\.isPlaying).count
        let uptime = startedAt.duration(to: .now)
        var members: [(String, JSONValue)] = frameStats ? [("op", "stats")] : []
        members += [
            ("players", .int(allPlayers.count)),
            ("playingPlayers", .int(playing)),
            ("uptime", .int(uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000)),
            ("memory", ["free": .int(load.memoryFree), "used": .int(load.memoryUsed),
                        "allocated": .int(load.memoryFree + load.memoryUsed), "reservable": .int(load.memoryReservable)]),
            ("cpu", ["cores": .int(ProcessInfo.processInfo.activeProcessorCount),
                     "systemLoad": .double(load.systemLoad), "lavalinkLoad": .double(load.lavalinkLoad)]),
        ]
        if frameStats {
            members.append(("frameStats", allPlayers.isEmpty ? .null : [
                "sent": .int(max(0, Int64(playing) * 3000 - load.frameDeficit - load.framesNulled)),
                "nulled": .int(load.framesNulled), "deficit": .int(load.frameDeficit),
            ]))
        }
        return .object(members)
    }
}

/// The load figures the node reports in `stats` (settable through the control API so node
/// selection by penalty can be tested).
public struct NodeLoad: Sendable, Equatable {
    public var systemLoad: Double = 0.05
    public var lavalinkLoad: Double = 0.01
    public var framesNulled: Int64 = 0
    public var frameDeficit: Int64 = 0
    public var memoryFree: Int64 = 200_000_000
    public var memoryUsed: Int64 = 56_000_000
    public var memoryReservable: Int64 = 1_073_741_824

    public init() {}
}
