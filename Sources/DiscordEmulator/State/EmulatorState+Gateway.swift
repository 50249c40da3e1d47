import Foundation

/// Gateway sessions: connections, IDENTIFY/RESUME, dispatching with sequence numbers and intents.
extension EmulatorState {
    func openConnection(_ outbound: AsyncStream<GatewayOutbound>.Continuation, compression: String? = nil) -> Int {
        let id = nextConnectionID
        nextConnectionID += 1
        connections[id] = GatewayConnectionState(id: id, outbound: outbound, compression: compression,
                                                 lastHeartbeat: clock.elapsed)
        send(["op": 10, "d": ["heartbeat_interval": .int(Int64(configuration.heartbeatInterval))]], to: id)
        return id
    }

    /// The socket ended. A client that closed it with 1000 or 1001 ended its session, as on
    /// Discord; any other end (another code, a drop, the server's own close) leaves it resumable.
    func connectionEnded(_ connectionID: Int, clientCloseCode: UInt16? = nil) {
        guard let connection = connections.removeValue(forKey: connectionID) else { return }
        connection.outbound.finish()
        if let sessionID = connection.sessionID, sessions[sessionID]?.connectionID == connectionID {
            sessions[sessionID]?.connectionID = nil
            if !connection.closed, let code = clientCloseCode, code == 1000 || code == 1001 {
                sessions[sessionID]?.resumable = false
            }
        }
    }

    /// Closes the connection with 4009 and ends its session when it has not heartbeaten within
    /// the zombie timeout; true when it did.
    func closeIfZombie(_ connectionID: Int) -> Bool {
        guard let connection = connections[connectionID], !connection.closed else { return false }
        guard clock.elapsed - connection.lastHeartbeat > configuration.effectiveZombieTimeout else { return false }
        if let sessionID = connection.sessionID { sessions[sessionID]?.resumable = false }
        close(connectionID, code: GatewayCloseCode.sessionTimedOut, reason: "Session timed out.")
        return true
    }

    func send(_ payload: JSON, to connectionID: Int) {
        connections[connectionID]?.outbound.yield(.payload(payload.encoded()))
    }

    func close(_ connectionID: Int, code: UInt16, reason: String) {
        guard var connection = connections[connectionID], !connection.closed else { return }
        connection.closed = true
        connections[connectionID] = connection
        connection.outbound.yield(.close(code: code, reason: reason))
    }

    /// One client payload (text or inflated binary).
    func receive(_ bytes: [UInt8], from connectionID: Int) {
        guard var connection = connections[connectionID], !connection.closed else { return }
        guard bytes.count <= configuration.maxClientPayloadBytes else {
            return close(connectionID, code: GatewayCloseCode.decodeError, reason: "Payload too large.")
        }
        let now = clock.elapsed
        connection.recentPayloads.removeAll { now - $0 >= configuration.gatewaySendWindow }
        connection.recentPayloads.append(now)
        connections[connectionID] = connection
        guard connection.recentPayloads.count <= configuration.gatewaySendLimit else {
            return close(connectionID, code: GatewayCloseCode.rateLimited, reason: "You are being rate limited.")
        }
        guard let payload = JSON.parse(bytes), let op = payload["op"]?.intValue else {
            return close(connectionID, code: GatewayCloseCode.decodeError, reason: "Error while decoding payload.")
        }
        let data = payload["d"] ?? .null
        let session = connection.sessionID
        switch op {
        case 1:
            connections[connectionID]?.lastHeartbeat = clock.elapsed
            if let session, let app = sessions[session]?.applicationID, heartbeatAcksWithheld.contains(app) { return }
            send(["op": 11], to: connectionID)
        case 2:
            guard session == nil else {
                return close(connectionID, code: GatewayCloseCode.alreadyAuthenticated, reason: "Already authenticated.")
            }
            identify(data, connectionID: connectionID)
        case 6:
            guard session == nil else {
                return close(connectionID, code: GatewayCloseCode.alreadyAuthenticated, reason: "Already authenticated.")
            }
            resume(data, connectionID: connectionID)
        case 3, 4, 8:
            guard let session, let current = sessions[session] else {
                return close(connectionID, code: GatewayCloseCode.notAuthenticated, reason: "Not authenticated.")
            }
            if op == 4 { voiceStateUpdate(data, session: current) }
            if op == 8 { requestGuildMembers(data, session: current) }
        default:
            close(connectionID, code: GatewayCloseCode.unknownOpcode, reason: "Unknown opcode.")
        }
    }

    private func identify(_ data: JSON, connectionID: Int) {
        identifyCount += 1
        guard let token = data["token"]?.stringValue,
            let application = world.application(token: token.hasPrefix("Bot ") ? String(token.dropFirst(4)) : token)
        else {
            return close(connectionID, code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed.")
        }
        guard let intentsValue = data["intents"]?.intValue, intentsValue >= 0,
            UInt64(intentsValue) & ~Intent.known == 0
        else {
            return close(connectionID, code: GatewayCloseCode.invalidIntents, reason: "Invalid intent(s).")
        }
        let intents = UInt64(intentsValue)
        guard intents & Intent.privileged & ~application.allowedPrivilegedIntents == 0 else {
            return close(connectionID, code: GatewayCloseCode.disallowedIntents, reason: "Disallowed intent(s).")
        }
        var shard = (id: 0, count: 1)
        if let pair = data["shard"]?.arrayValue {
            guard pair.count == 2, let id = pair[0].intValue, let count = pair[1].intValue, count >= 1, id >= 0,
                id < count
            else {
                return close(connectionID, code: GatewayCloseCode.invalidShard, reason: "Invalid shard.")
            }
            shard = (Int(id), Int(count))
        }
        if let window = configuration.identifyWindow {
            let bucket = "\(application.id)/\(shard.id % max(1, configuration.maxConcurrency))"
            let now = clock.elapsed
            if let last = lastIdentify[bucket], now - last < window {
                send(["op": 9, "d": false], to: connectionID)
                return
            }
            lastIdentify[bucket] = now
        }
        let guildIDs = world.guildIDs(ofMember: application.botUserID).filter {
            Int(($0 >> 22) % UInt64(shard.count)) == shard.id
        }
        guard guildIDs.count <= configuration.maxGuildsPerShard else {
            return close(connectionID, code: GatewayCloseCode.shardingRequired, reason: "Sharding required.")
        }
        let threshold = Int(data["large_threshold"]?.intValue ?? 50)
        let session = GatewaySession(
            id: Self.randomHex(16), applicationID: application.id, shardID: shard.id, shardCount: shard.count,
            intents: intents, largeThreshold: min(250, max(50, threshold)), connectionID: connectionID
        )
        sessions[session.id] = session
        connections[connectionID]?.sessionID = session.id
        var ready: JSON = [
            "v": 10, "user": world.currentUserJSON(application.botUserID),
            "guilds": .array(guildIDs.map { ["id": .id($0), "unavailable": true] }),
            "session_id": .string(session.id), "resume_gateway_url": .string(gatewayURL),
            "session_type": "normal", "application": ["id": .id(application.id), "flags": 0],
            "private_channels": [], "relationships": [], "presences": [], "guild_join_requests": [],
            "geo_ordered_rtc_regions": [], "user_settings": [:], "auth": [:],
        ]
        if data["shard"] != nil { ready["shard"] = [.int(Int64(shard.id)), .int(Int64(shard.count))] }
        emit(sessionID: session.id, "READY", ready)
        for guildID in guildIDs {
            guard let guild = world.guilds[guildID] else { continue }
            emit(sessionID: session.id, "GUILD_CREATE",
                 world.guildCreateJSON(guild, botUserID: application.botUserID, intents: intents,
                                       largeThreshold: session.largeThreshold))
        }
    }

    private func resume(_ data: JSON, connectionID: Int) {
        guard let token = data["token"]?.stringValue, let application = world.application(token: token) else {
            return close(connectionID, code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed.")
        }
        guard let sessionID = data["session_id"]?.stringValue, var session = sessions[sessionID],
            session.applicationID == application.id, session.resumable
        else {
            send(["op": 9, "d": false], to: connectionID)
            return
        }
        let seq = Int(data["seq"]?.intValue ?? 0)
        guard seq <= session.seq else {
            return close(connectionID, code: GatewayCloseCode.invalidSeq, reason: "Invalid seq.")
        }
        if let oldConnection = session.connectionID, oldConnection != connectionID {
            close(oldConnection, code: GatewayCloseCode.unknownError, reason: "Session resumed elsewhere.")
        }
        if let oldest = session.buffer.first?.seq, seq + 1 < oldest {
            // Events the client missed are gone; it must start over.
            send(["op": 9, "d": false], to: connectionID)
            return
        }
        session.connectionID = connectionID
        sessions[sessionID] = session
        connections[connectionID]?.sessionID = sessionID
        for entry in session.buffer where entry.seq > seq {
            connections[connectionID]?.outbound.yield(.payload(entry.payload))
        }
        emit(sessionID: sessionID, "RESUMED", [:])
    }

    /// Sends one dispatch on a session: next sequence number, kept for replay.
    func emit(sessionID: String, _ event: String, _ data: JSON) {
        emit(sessionID: sessionID, event, encoded: data.encoded())
    }

    /// `emit` with the event's data already encoded: a dispatch to many sessions encodes once.
    /// The session is changed in place: a copy of it would copy its resume buffer per event.
    func emit(sessionID: String, _ event: String, encoded data: String) {
        guard let index = sessions.index(forKey: sessionID) else { return }
        let limit = configuration.resumeBufferSize
        let (payload, connectionID) = { (session: inout GatewaySession) -> (String, Int?) in
            session.seq += 1
            let payload = "{\"op\":0,\"s\":\(session.seq),\"t\":\"\(event)\",\"d\":\(data)}"
            session.buffer.append((session.seq, payload))
            if session.buffer.count > limit { session.buffer.removeFirst(session.buffer.count - limit) }
            return (payload, session.connectionID)
        }(&sessions.values[index])
        if let connectionID {
            connections[connectionID]?.outbound.yield(.payload(payload))
        }
    }

    /// The sessions that get a dispatch of `guildID` needing `intent`, of the applications
    /// `wanted` accepts. Gathered before emitting: emitting changes `sessions`.
    private func receivers(guildID: UInt64?, intent: UInt64?, _ wanted: (UInt64) -> Bool) -> [(id: String, live: Bool)] {
        var receivers: [(id: String, live: Bool)] = []
        for session in sessions.values where session.resumable && wanted(session.applicationID) {
            guard session.handles(guildID: guildID) else { continue }
            if let intent, session.intents & intent == 0 { continue }
            receivers.append((session.id, session.connectionID != nil))
        }
        return receivers
    }

    /// Dispatches to every live session of one application that handles the guild's shard and
    /// asked for the intent (`nil`: no intent needed). Returns whether any session got it.
    @discardableResult
    func dispatch(to applicationID: UInt64, guildID: UInt64?, _ event: String, _ data: JSON, intent: UInt64?) -> Bool {
        let receivers = receivers(guildID: guildID, intent: intent) { $0 == applicationID }
        emit(event, data, to: receivers)
        return receivers.contains { $0.live }
    }

    /// Dispatches to every bot that is a member of the guild (the data encoded once for all).
    func dispatchToGuildBots(_ guildID: UInt64, _ event: String, _ data: JSON, intent: UInt64?, except: UInt64? = nil) {
        guard let guild = world.guilds[guildID] else { return }
        let receivers = receivers(guildID: guildID, intent: intent) { application in
            application != except && guild.members[application] != nil && world.applications[application] != nil
        }
        emit(event, data, to: receivers)
    }

    /// One dispatch to each of `receivers`, encoded once (not at all when nobody gets it).
    private func emit(_ event: String, _ data: JSON, to receivers: [(id: String, live: Bool)]) {
        guard !receivers.isEmpty else { return }
        let encoded = data.encoded()
        for receiver in receivers { emit(sessionID: receiver.id, event, encoded: encoded) }
    }

    func sendGuildCreate(guildID: UInt64, applicationID: UInt64) {
        guard let guild = world.guilds[guildID] else { return }
        let receivers = sessions.values.filter { $0.applicationID == applicationID && $0.handles(guildID: guildID) }
            .map { (id: $0.id, intents: $0.intents, largeThreshold: $0.largeThreshold) }
        for session in receivers {
            emit(sessionID: session.id, "GUILD_CREATE",
                 world.guildCreateJSON(guild, botUserID: applicationID, intents: session.intents,
                                       largeThreshold: session.largeThreshold))
        }
    }

    private func requestGuildMembers(_ data: JSON, session: GatewaySession) {
        guard let guildID = data["guild_id"]?.snowflakeValue, let guild = world.guilds[guildID],
            guild.members[session.applicationID] != nil
        else { return }
        let query = data["query"]?.stringValue?.lowercased() ?? ""
        let limit = Int(data["limit"]?.intValue ?? 0)
        let wanted = Set((data["user_ids"]?.arrayValue ?? (data["user_ids"].map { [$0] } ?? [])).compactMap(\.snowflakeValue))
        var members = guild.members.values.filter { member in
            if !wanted.isEmpty { return wanted.contains(member.userID) }
            return query.isEmpty || (world.users[member.userID]?.username.lowercased().hasPrefix(query) ?? false)
        }.sorted { $0.userID < $1.userID }
        if limit > 0 { members = Array(members.prefix(limit)) }
        var chunk: JSON = [
            "guild_id": .id(guildID), "members": .array(members.map { world.memberJSON($0, guild: guild) }),
            "chunk_index": 0, "chunk_count": 1,
        ]
        if !wanted.isEmpty {
            let found = Set(members.map(\.userID))
            chunk["not_found"] = .ids(wanted.subtracting(found).sorted())
        }
        if let nonce = data["nonce"] { chunk["nonce"] = nonce }
        emit(sessionID: session.id, "GUILD_MEMBERS_CHUNK", chunk)
    }
}
