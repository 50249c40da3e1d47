/// Channel messages: REST for bots, the control API for users, MESSAGE_* dispatches.
extension EmulatorState {
    func channelMessages(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let (channel, guild) = try visibleChannel(call)
        let botID = call.applicationID
        let permissions = guild.map { world.permissions(userID: botID, guild: $0, channelID: channel.id) }
            ?? EmulatedPermission.all
        switch call.match.route.endpoint {
        case .getMessages:
            guard permissions & EmulatedPermission.readMessageHistory != 0 else { throw .missingPermissions }
            let limit = min(100, max(1, Int(call.request.query["limit"] ?? "50") ?? 50))
            let list = world.messages.values.filter { $0.channelID == channel.id && $0.flags & 64 == 0 }
                .sorted { $0.id > $1.id }.prefix(limit)
            return .json(.array(list.map { world.messageJSON($0) }))
        case .getMessage:
            return .json(world.messageJSON(try message(call, in: channel.id)))
        case .createMessage:
            guard permissions & EmulatedPermission.sendMessages != 0 else { throw .missingPermissions }
            try validateMessageBody(call.body)
            var message = MessageRecord(
                id: newID(), channelID: channel.id, guildID: channel.guildID, authorID: botID,
                content: call.body["content"]?.stringValue ?? "", timestamp: clock.timestamp()
            )
            apply(call.body, to: &message)
            if let reference = call.body["message_reference"], !reference.isNull { message.type = 19 }
            world.messages[message.id] = message
            dispatchMessage("MESSAGE_CREATE", message)
            record("message_created", application: botID, activityJSON(message))
            return .json(world.messageJSON(message))
        case .editMessage:
            var message = try message(call, in: channel.id)
            guard message.authorID == botID else {
                throw .discord(403, 50005, "Cannot edit a message authored by another user")
            }
            let problems = MessageValidation.problems(in: call.body)
            guard problems.isEmpty else { throw .invalidForm(problems) }
            apply(call.body, to: &message)
            message.editedTimestamp = clock.timestamp()
            world.messages[message.id] = message
            dispatchMessage("MESSAGE_UPDATE", message)
            record("message_edited", application: botID, activityJSON(message))
            return .json(world.messageJSON(message))
        default:
            let message = try message(call, in: channel.id)
            guard message.authorID == botID || permissions & (1 << 13) != 0 else { throw .missingPermissions }
            deleteMessage(message)
            record("message_deleted", application: botID, ["channel_id": .id(channel.id), "message_id": .id(message.id)])
            return .noContent
        }
    }

    private func message(_ call: RESTCall, in channelID: UInt64) throws(DiscordEmulatorError) -> MessageRecord {
        guard let message = world.messages[try call.id("message_id")], message.channelID == channelID else {
            throw .unknownMessage
        }
        return message
    }

    func validateMessageBody(_ body: JSON, prefix: [String] = []) throws(DiscordEmulatorError) {
        let problems = MessageValidation.problems(in: body, at: prefix)
        guard problems.isEmpty else { throw .invalidForm(problems) }
        if MessageValidation.isEmpty(body) { throw .discord(400, 50006, "Cannot send an empty message") }
    }

    /// Applies the message fields present in a create/edit body.
    func apply(_ body: JSON, to message: inout MessageRecord) {
        if let content = body["content"] {
            message.content = content.stringValue ?? ""
            message.mentionIDs = MessageValidation.mentionedUserIDs(in: message.content)
        }
        if let embeds = body["embeds"] { message.embeds = embeds.arrayValue ?? [] }
        if let components = body["components"] { message.components = components.arrayValue ?? [] }
        if let flags = body["flags"]?.intValue {
            // Only SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS and IS_COMPONENTS_V2 are settable.
            message.flags = (message.flags & ~Int(4 | 64 | 4096 | 32768)) | (Int(flags) & (4 | 64 | 4096 | 32768))
        }
        if let tts = body["tts"]?.boolValue { message.tts = tts }
    }

    func deleteMessage(_ message: MessageRecord) {
        world.messages[message.id] = nil
        guard message.flags & 64 == 0 else { return }
        var data: JSON = ["id": .id(message.id), "channel_id": .id(message.channelID)]
        if let guildID = message.guildID { data["guild_id"] = .id(guildID) }
        dispatchToChannelBots(message, event: "MESSAGE_DELETE") { _ in data }
    }

    /// MESSAGE_CREATE/UPDATE to every bot that may see the channel; without MESSAGE_CONTENT the
    /// content, embeds and components are empty unless the bot wrote it, is mentioned, or it is a DM.
    func dispatchMessage(_ event: String, _ message: MessageRecord) {
        guard message.flags & 64 == 0 else { return }
        dispatchToChannelBots(message, event: event) { session in
            let visible = session.intents & Intent.messageContent != 0 || message.authorID == session.applicationID
                || message.guildID == nil || message.mentionIDs.contains(session.applicationID)
            var json = world.messageJSON(message, contentVisible: visible)
            if let guildID = message.guildID, let guild = world.guilds[guildID],
                let member = guild.members[message.authorID]
            {
                json["member"] = world.memberJSON(member, guild: guild, includeUser: false)
            }
            return json
        }
    }

    private func dispatchToChannelBots(
        _ message: MessageRecord, event: String, _ payload: (GatewaySession) -> JSON
    ) {
        let intent = message.guildID == nil ? Intent.directMessages : Intent.guildMessages
        let recipients: [UInt64]
        if let guildID = message.guildID, let guild = world.guilds[guildID] {
            // The bots among the members (a guild has far fewer bots than members).
            recipients = world.applications.keys.filter {
                guild.members[$0] != nil
                    && world.permissions(userID: $0, guild: guild, channelID: message.channelID)
                        & EmulatedPermission.viewChannel != 0
            }
        } else {
            recipients = world.directChannels[message.channelID]?.recipientIDs.filter { world.applications[$0] != nil } ?? []
        }
        // Gathered first: emitting changes `sessions`, and changing it while iterating copies it.
        var dispatches: [(session: String, data: JSON)] = []
        for session in sessions.values where recipients.contains(session.applicationID) && session.handles(guildID: message.guildID) {
            guard session.intents & intent != 0 else { continue }
            dispatches.append((session.id, payload(session)))
        }
        for dispatch in dispatches { emit(sessionID: dispatch.session, event, dispatch.data) }
    }

    func activityJSON(_ message: MessageRecord) -> JSON {
        var json: JSON = [
            "message_id": .id(message.id), "channel_id": .id(message.channelID), "content": .string(message.content),
            "embeds": .array(message.embeds), "components": .array(message.components),
            "flags": .int(Int64(message.flags)),
        ]
        if let guildID = message.guildID { json["guild_id"] = .id(guildID) }
        return json
    }

    func createDM(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        guard let recipient = call.body["recipient_id"]?.snowflakeValue else {
            throw .invalidForm([(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required")])
        }
        guard world.users[recipient] != nil else { throw .unknownUser }
        let pair = [call.applicationID, recipient].sorted()
        if let existing = world.directChannels.values.first(where: { $0.recipientIDs.sorted() == pair }) {
            return .json(dmJSON(existing, for: call.applicationID))
        }
        let channel = ChannelRecord(id: newID(), guildID: nil, type: 1, name: "", position: 0, parentID: nil,
                                    recipientIDs: [call.applicationID, recipient])
        world.directChannels[channel.id] = channel
        record("dm_created", application: call.applicationID, ["channel_id": .id(channel.id), "recipient_id": .id(recipient)])
        return .json(dmJSON(channel, for: call.applicationID))
    }

    private func dmJSON(_ channel: ChannelRecord, for botID: UInt64) -> JSON {
        var json = world.channelJSON(channel)
        json["recipients"] = .array(channel.recipientIDs.filter { $0 != botID }.map { world.userJSON($0) })
        return json
    }

    /// Control API: a user writes in a channel (or a DM with a bot).
    func userMessage(channelID: UInt64, userID: UInt64, content: String) throws(DiscordEmulatorError) -> MessageRecord {
        guard let channel = world.channel(channelID) else { throw .unknownChannel }
        guard world.users[userID] != nil else { throw .unknownUser }
        if let guildID = channel.guildID {
            guard world.guilds[guildID]?.members[userID] != nil else { throw .unknownMember }
        } else {
            guard channel.recipientIDs.contains(userID) else { throw .missingAccess }
        }
        var message = MessageRecord(
            id: newID(), channelID: channelID, guildID: channel.guildID, authorID: userID, content: content,
            timestamp: clock.timestamp()
        )
        message.mentionIDs = MessageValidation.mentionedUserIDs(in: content)
        world.messages[message.id] = message
        dispatchMessage("MESSAGE_CREATE", message)
        return message
    }

    /// Control API: the DM channel between a user and a bot (created when missing).
    func directChannel(userID: UInt64, botID: UInt64) throws(DiscordEmulatorError) -> UInt64 {
        guard world.users[userID] != nil, world.applications[botID] != nil else { throw .unknownUser }
        let pair = [userID, botID].sorted()
        if let existing = world.directChannels.values.first(where: { $0.recipientIDs.sorted() == pair }) {
            return existing.id
        }
        let channel = ChannelRecord(id: newID(), guildID: nil, type: 1, name: "", position: 0, parentID: nil,
                                    recipientIDs: [botID, userID])
        world.directChannels[channel.id] = channel
        return channel.id
    }
}
