/// The bot's side of interactions: the callback (3-second deadline, once), then the token's
/// webhook routes (15 minutes) for the original response and followups.
extension EmulatorState {
    func interactionCallback(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        guard let id = UInt64(call.match.parameters["interaction_id"] ?? ""), var interaction = interactions[id],
            interaction.token == call.match.parameters["token"]
        else { throw .unknownInteraction }
        guard interaction.callbackType == nil else { throw .alreadyAcknowledged }
        guard clock.elapsed - interaction.createdAt <= configuration.interactionResponseDeadline else {
            throw .unknownInteraction
        }
        let body = call.body
        guard let type = body["type"]?.intValue.map({ Int($0) }) else {
            throw .invalidForm([(["type"], "BASE_TYPE_REQUIRED", "This field is required")])
        }
        let allowed: Set<Int> = switch interaction.type {
        case 2: [4, 5, 9]
        case 3: [4, 5, 6, 7, 9]
        case 4: [8]
        case 5: [4, 5, 6, 7]
        default: [1]
        }
        guard allowed.contains(type) else {
            throw .invalidForm([(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid")])
        }
        let data = body["data"] ?? .object([:])
        switch type {
        case 4, 7:
            let problems = MessageValidation.problems(in: data, at: ["data"])
            guard problems.isEmpty else { throw .invalidForm(problems) }
            if type == 4, MessageValidation.isEmpty(data) { throw .discord(400, 50006, "Cannot send an empty message") }
        case 8:
            if (data["choices"]?.arrayValue?.count ?? 0) > 25 {
                throw .invalidForm([(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")])
            }
        case 9:
            var problems: [MessageValidation.Problem] = []
            for key in ["custom_id", "title"] where data[key]?.stringValue == nil {
                problems.append((["data", key], "BASE_TYPE_REQUIRED", "This field is required"))
            }
            if (data["components"]?.arrayValue ?? []).isEmpty {
                problems.append((["data", "components"], "BASE_TYPE_REQUIRED", "This field is required"))
            }
            guard problems.isEmpty else { throw .invalidForm(problems) }
        default:
            break
        }
        interaction.callbackType = type
        interaction.responses.append(["kind": "callback", "at": .string(clock.timestamp()), "at_unix_ms": .double(clock.unixMillis), "body": body])
        var message: MessageRecord?
        switch type {
        case 4, 5:
            var created = MessageRecord(
                id: newID(), channelID: interaction.channelID, guildID: interaction.guildID,
                authorID: interaction.applicationID, content: "", timestamp: clock.timestamp()
            )
            created.webhookID = interaction.applicationID
            created.applicationID = interaction.applicationID
            created.interactionID = interaction.id
            created.type = interaction.type == 2 ? 20 : 19
            apply(data, to: &created)
            if type == 5 { created.flags |= 128 }  // LOADING: "Bot is thinking…"
            interaction.originalMessageID = created.id
            describe(&created, as: interaction, original: nil)
            world.messages[created.id] = created
            // Discord shows a deferred reply at once, as a LOADING message the edit later updates.
            dispatchMessage("MESSAGE_CREATE", created)
            message = created
        case 6, 7:
            interaction.originalMessageID = interaction.messageID
            if type == 7, let messageID = interaction.messageID, var updated = world.messages[messageID] {
                apply(data, to: &updated)
                updated.editedTimestamp = clock.timestamp()
                world.messages[messageID] = updated
                dispatchMessage("MESSAGE_UPDATE", updated)
                message = updated
            }
        default:
            break
        }
        interactions[id] = interaction
        var details: JSON = [
            "interaction_id": .id(id), "type": .int(Int64(type)), "data": data, "channel_id": .id(interaction.channelID),
        ]
        if let message { details["message_id"] = .id(message.id) }
        record("interaction_response", application: interaction.applicationID, details)

        let withResponse = ["true", "1", "True"].contains(call.request.query["with_response"] ?? "")
        guard withResponse else { return .noContent }
        var resource: JSON = ["type": .int(Int64(type))]
        if let message, type == 4 || type == 7 { resource["message"] = world.messageJSON(message) }
        return .json([
            "interaction": [
                "id": .id(id), "type": .int(Int64(interaction.type)), "activity_instance_id": nil,
                "response_message_id": .id(message?.id ?? interaction.originalMessageID),
                "response_message_loading": .bool(type == 5),
                "response_message_ephemeral": .bool((message?.flags ?? 0) & 64 != 0),
            ],
            "resource": resource,
        ])
    }

    func interactionWebhook(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let token = call.match.parameters["token"] ?? ""
        guard let applicationID = UInt64(call.match.parameters["webhook_id"] ?? ""),
            let id = interactionsByToken[token], var interaction = interactions[id],
            interaction.applicationID == applicationID
        else { throw .unknownWebhook }
        guard clock.elapsed - interaction.createdAt <= configuration.interactionTokenLifetime else {
            throw .invalidWebhookToken
        }
        guard interaction.callbackType != nil else { throw .unknownWebhook }
        let endpoint = call.match.route.endpoint
        let at = JSON.string(clock.timestamp())
        if endpoint == .createFollowup {
            try validateMessageBody(call.body)
            var message = MessageRecord(
                id: newID(), channelID: interaction.channelID, guildID: interaction.guildID,
                authorID: applicationID, content: "", timestamp: clock.timestamp()
            )
            message.webhookID = applicationID
            message.applicationID = applicationID
            message.interactionID = interaction.id
            apply(call.body, to: &message)
            describe(&message, as: interaction, original: interaction.originalMessageID)
            world.messages[message.id] = message
            interaction.followupIDs.append(message.id)
            interaction.responses.append(["kind": "followup", "at": at, "at_unix_ms": .double(clock.unixMillis), "message_id": .id(message.id), "body": call.body])
            interactions[interaction.id] = interaction
            dispatchMessage("MESSAGE_CREATE", message)
            record("followup_created", application: applicationID,
                   activityJSON(message).merging(["interaction_id": .id(interaction.id)]))
            return .json(world.messageJSON(message))
        }
        let isOriginal = [.getOriginal, .editOriginal, .deleteOriginal].contains(endpoint)
        let messageID: UInt64?
        if isOriginal {
            messageID = interaction.originalMessageID
        } else {
            let requested = try call.id("message_id")
            messageID = interaction.followupIDs.contains(requested) || requested == interaction.originalMessageID
                ? requested : nil
        }
        guard let messageID, var message = world.messages[messageID] else { throw .unknownMessage }
        switch endpoint {
        case .getOriginal, .getFollowup:
            return .json(world.messageJSON(message))
        case .editOriginal, .editFollowup:
            let problems = MessageValidation.problems(in: call.body)
            guard problems.isEmpty else { throw .invalidForm(problems) }
            let wasLoading = message.flags & 128 != 0
            apply(call.body, to: &message)
            message.flags &= ~128
            if !wasLoading { message.editedTimestamp = clock.timestamp() }
            world.messages[messageID] = message
            let kind = isOriginal ? "original_edited" : "followup_edited"
            interaction.responses.append(["kind": .string(kind), "at": at, "at_unix_ms": .double(clock.unixMillis), "message_id": .id(messageID), "body": call.body])
            interactions[interaction.id] = interaction
            // The deferred reply's LOADING message already exists: its edit is an update.
            dispatchMessage("MESSAGE_UPDATE", message)
            record(kind, application: applicationID, activityJSON(message).merging(["interaction_id": .id(interaction.id)]))
            return .json(world.messageJSON(message))
        default:
            deleteMessage(message)
            let kind = isOriginal ? "original_deleted" : "followup_deleted"
            interaction.responses.append(["kind": .string(kind), "at": at, "at_unix_ms": .double(clock.unixMillis), "message_id": .id(messageID)])
            interactions[interaction.id] = interaction
            record(kind, application: applicationID, ["interaction_id": .id(interaction.id), "message_id": .id(messageID)])
            return .noContent
        }
    }
}

extension EmulatorState {
    /// Attaches `interaction_metadata` (and the deprecated `interaction` for commands) the way
    /// Discord does on a response or followup. `original` is the response message a followup
    /// follows.
    func describe(_ message: inout MessageRecord, as interaction: InteractionRecord, original: UInt64?) {
        var summary: JSON?
        message.interactionMetadata = metadata(of: interaction, original: original, summary: &summary)
        message.interactionSummary = summary
    }

    private func metadata(of interaction: InteractionRecord, original: UInt64?, summary: inout JSON?) -> JSON {
        let owners: JSON = interaction.guildID.map { ["0": .id($0)] } ?? ["1": .id(interaction.userID)]
        var metadata: JSON = [
            "id": .id(interaction.id), "type": .int(Int64(interaction.type)),
            "user": world.userJSON(interaction.userID), "authorizing_integration_owners": owners,
        ]
        if let original { metadata["original_response_message_id"] = .id(original) }
        if interaction.type == 3, let interacted = interaction.messageID {
            metadata["interacted_message_id"] = .id(interacted)
        }
        if interaction.type == 2 {
            if let name = interaction.data["name"]?.stringValue { metadata["name"] = .string(name) }
            metadata["command_type"] = .int(interaction.data["type"]?.intValue ?? 1)
            if let target = interaction.data["target_id"], interaction.data["type"]?.intValue == 2 {
                metadata["target_user"] = target.snowflakeValue.map { world.userJSON($0) } ?? .null
            }
            summary = [
                "id": .id(interaction.id), "type": 2, "name": .string(interaction.data["name"]?.stringValue ?? ""),
                "user": world.userJSON(interaction.userID),
            ]
        }
        // A modal submit names the command or button press whose reply opened the modal.
        if interaction.type == 5, let openerID = interaction.openedBy, let opener = interactions[openerID] {
            var ignored: JSON?
            metadata["triggering_interaction_metadata"] = self.metadata(
                of: opener, original: opener.originalMessageID, summary: &ignored)
        }
        return metadata
    }
}

extension EmulatorJSON {
    func merging(_ other: EmulatorJSON) -> EmulatorJSON {
        guard case .object(var mine) = self, case .object(let theirs) = other else { return self }
        for (key, value) in theirs { mine[key] = value }
        return .object(mine)
    }
}
