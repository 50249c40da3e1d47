/// Control API: user actions (interactions, messages), reading what bots did, faults, time.
extension EmulatorState {
    func controlActions(
        _ method: String, _ path: [String], _ body: ControlBody, _ request: APIRequest
    ) throws(DiscordEmulatorError) -> APIResponse {
        switch (method, path.first, path.count) {
        case ("POST", "interactions", 2):
            return .json(interactionJSON(try controlInteraction(path[1], body)))
        case ("GET", "interactions", 2):
            guard let id = UInt64(path[1]), let interaction = interactions[id] else { throw .unknownInteraction }
            return .json(interaction.json)
        case ("GET", "interactions", 1):
            let application = request.query["application_id"].flatMap { UInt64($0) }
            return .json(.array(interactions.values.filter { application == nil || $0.applicationID == application }
                .sorted { $0.id < $1.id }.map(\.json)))
        case ("POST", "channels", 3) where path[2] == "messages":
            guard let channelID = UInt64(path[1]) else { throw .unknownChannel }
            let message = try userMessage(channelID: channelID, userID: try body.id("user_id"),
                                          content: try body.string("content"))
            return .json(world.messageJSON(message))
        case ("GET", "channels", 3) where path[2] == "messages":
            guard let channelID = UInt64(path[1]) else { throw .unknownChannel }
            let list = world.messages.values.filter { $0.channelID == channelID }.sorted { $0.id < $1.id }
            return .json(.array(list.map { world.messageJSON($0) }))
        case ("POST", "dms", 1):
            let channel = try directChannel(userID: try body.id("user_id"), botID: try body.id("application_id"))
            return .json(["channel_id": .id(channel)])
        case ("GET", "activity", 1):
            let list = activity(
                applicationID: request.query["application_id"].flatMap { UInt64($0) }, kind: request.query["kind"],
                afterID: request.query["after"].flatMap { Int($0) }
            )
            return .json(.array(list.map(\.json)))
        case ("GET", "sessions", 1):
            return .json(.array(sessionsJSON()))
        case ("POST", "faults", 2):
            return .json(try controlFault(path[1], body))
        case ("DELETE", "faults", 1):
            faults = FaultPlan()
            return .noContent
        case ("POST", "clock", 2) where path[1] == "advance":
            let milliseconds = body.json["seconds"]?.doubleValue.map { $0 * 1000 } ?? body.json["milliseconds"]?.doubleValue
            guard let milliseconds, milliseconds >= 0 else { throw ControlBody.missing("seconds", "a non-negative number") }
            clock.advance(by: .milliseconds(Int64(milliseconds)))
            return .json(["advanced_ms": .double(milliseconds)])
        default:
            throw .notFound
        }
    }

    private func controlInteraction(_ kind: String, _ body: ControlBody) throws(DiscordEmulatorError) -> EmulatedInteraction {
        let locale = body.optionalString("locale")
        switch kind {
        case "commands", "autocomplete":
            return try invokeCommand(
                applicationID: try body.id("application_id"), channelID: try body.id("channel_id"),
                userID: try body.id("user_id"), name: try body.string("name"), options: body.json["options"],
                locale: locale, focused: kind == "autocomplete" ? try body.string("focused") : nil,
                targetID: try body.optionalID("target_id"), commandType: try body.int("type", default: 1)
            )
        case "components":
            return try useComponent(
                messageID: try body.id("message_id"), userID: try body.id("user_id"),
                customID: try body.string("custom_id"), values: body.json["values"]?.arrayValue, locale: locale
            )
        case "modals":
            return try submitModal(
                applicationID: try body.id("application_id"), channelID: try body.id("channel_id"),
                userID: try body.id("user_id"), customID: try body.string("custom_id"),
                values: body.json["values"]?.objectValue ?? [:], locale: locale
            )
        default:
            throw .notFound
        }
    }

    func interactionJSON(_ interaction: EmulatedInteraction) -> JSON {
        ["id": .id(interaction.id), "token": .string(interaction.token), "delivered": .bool(interaction.delivered)]
    }

    func sessionsJSON() -> [JSON] { sessions.values.sorted { $0.id < $1.id }.map(sessionJSON) }

    private func sessionJSON(_ session: GatewaySession) -> JSON {
        [
            "session_id": .string(session.id), "application_id": .id(session.applicationID),
            "shard": [.int(Int64(session.shardID)), .int(Int64(session.shardCount))],
            "intents": .int(Int64(session.intents)), "seq": .int(Int64(session.seq)),
            "connected": .bool(session.connectionID != nil), "resumable": .bool(session.resumable),
            "compression": session.connectionID.flatMap { connections[$0]?.compression }.map { .string($0) } ?? .null,
        ]
    }

    private func controlFault(_ kind: String, _ body: ControlBody) throws(DiscordEmulatorError) -> JSON {
        switch kind {
        case "drop":
            return ["connections": .int(Int64(dropConnections(applicationID: try body.id("application_id"))))]
        case "invalidate-session":
            let count = invalidateSessions(applicationID: try body.id("application_id"),
                                           resumable: body.bool("resumable", default: false))
            return ["sessions": .int(Int64(count))]
        case "reconnect":
            return ["connections": .int(Int64(requestReconnect(applicationID: try body.id("application_id"))))]
        case "heartbeat-acks":
            let app = try body.id("application_id")
            setHeartbeatAcks(applicationID: app, enabled: body.bool("enabled", default: true))
            return ["withheld": .bool(heartbeatAcksWithheld.contains(app))]
        case "close":
            let code = try body.int("code", default: 4000)
            guard (1000...4999).contains(code) else { throw ControlBody.missing("code", "a websocket close code") }
            let count = closeConnections(applicationID: try body.id("application_id"), code: UInt16(code))
            return ["connections": .int(Int64(count))]
        case "heartbeat-request":
            return ["connections": .int(Int64(requestHeartbeat(applicationID: try body.id("application_id"))))]
        case "routes":
            let status = try body.int("status", default: 500)
            guard (400...599).contains(status) else { throw ControlBody.missing("status", "an HTTP error status") }
            faults.routeFaults.append(.init(
                method: body.optionalString("method")?.uppercased(), path: try body.string("path"), status: status,
                remaining: try body.int("count", default: 1),
                retryAfter: body.json["retry_after"]?.doubleValue ?? 1, global: body.bool("global", default: false)
            ))
            return ["faults": .int(Int64(faults.routeFaults.count))]
        case "delay":
            let milliseconds = try body.int("milliseconds", default: 0)
            faults.delays.append(.init(path: body.optionalString("path"), duration: .milliseconds(milliseconds),
                                       remaining: try body.int("count", default: 1)))
            return ["delays": .int(Int64(faults.delays.count))]
        default:
            throw .notFound
        }
    }

    func liveConnections(of applicationID: UInt64) -> [Int] {
        sessions.values.filter { $0.applicationID == applicationID }.compactMap(\.connectionID)
    }

    /// Cuts the TCP connections of a bot without a close frame; sessions stay resumable.
    /// Ends every gateway connection with a close frame, as a server going away does.
    func closeAllConnections() {
        for connection in connections.values {
            connection.outbound.yield(.close(code: 1001, reason: "Server shutting down."))
        }
    }

    func dropConnections(applicationID: UInt64) -> Int {
        let ids = liveConnections(of: applicationID)
        for id in ids { connections[id]?.outbound.yield(.drop) }
        return ids.count
    }

    /// Sends op 9; a non-resumable invalidation also ends the sessions.
    func invalidateSessions(applicationID: UInt64, resumable: Bool) -> Int {
        let affected = sessions.values.filter { $0.applicationID == applicationID }
        for session in affected {
            if let connectionID = session.connectionID {
                send(["op": 9, "d": .bool(resumable)], to: connectionID)
            }
            if !resumable {
                sessions[session.id]?.resumable = false
                if let connectionID = session.connectionID { connections[connectionID]?.sessionID = nil }
            }
        }
        return affected.count
    }

    func setHeartbeatAcks(applicationID: UInt64, enabled: Bool) {
        if enabled { heartbeatAcksWithheld.remove(applicationID) } else { heartbeatAcksWithheld.insert(applicationID) }
    }

    /// Closes a bot's connections with a gateway close code (e.g. 4000 resumable, 4009, 4004).
    func closeConnections(applicationID: UInt64, code: UInt16) -> Int {
        let ids = liveConnections(of: applicationID)
        for id in ids { close(id, code: code, reason: "Closed by the emulator's control API.") }
        return ids.count
    }

    func requestReconnect(applicationID: UInt64) -> Int {
        let ids = liveConnections(of: applicationID)
        for id in ids { send(["op": 7, "d": nil], to: id) }
        return ids.count
    }

    func requestHeartbeat(applicationID: UInt64) -> Int {
        let ids = liveConnections(of: applicationID)
        for id in ids { send(["op": 1, "d": nil], to: id) }
        return ids.count
    }
}
