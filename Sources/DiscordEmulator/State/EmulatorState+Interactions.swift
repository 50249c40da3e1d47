/// Users causing interactions (control API): slash commands, autocomplete, components, modals.
extension EmulatorState {
    /// Builds the interaction, dispatches INTERACTION_CREATE to the application's bot.
    func createInteraction(_ request: InteractionRequest) throws(DiscordEmulatorError) -> EmulatedInteraction {
        guard world.applications[request.applicationID] != nil else { throw .unknownApplication }
        guard world.users[request.userID] != nil else { throw .unknownUser }
        guard let channel = world.channel(request.channelID) else { throw .unknownChannel }
        let guildID = channel.guildID
        var permissionsInChannel: UInt64 = EmulatedPermission.all
        var appPermissions: UInt64 = EmulatedPermission.all
        var guildLocale: String?
        if let guildID {
            guard let guild = world.guilds[guildID] else { throw .unknownGuild }
            guard guild.members[request.userID] != nil else { throw .unknownMember }
            guard guild.members[request.applicationID] != nil else {
                throw .discord(400, 50001, "the application's bot is not a member of guild \(guildID)")
            }
            permissionsInChannel = world.permissions(userID: request.userID, guild: guild, channelID: channel.id)
            appPermissions = world.permissions(userID: request.applicationID, guild: guild, channelID: channel.id)
            guildLocale = guild.preferredLocale
        }
        let id = newID()
        let token = "aW50ZXJhY3Rpb246" + String(id) + ":" + Self.randomHex(40)
        let locale = request.locale ?? world.users[request.userID]?.locale ?? "en-US"
        var payload: JSON = [
            "id": .id(id), "application_id": .id(request.applicationID), "type": .int(Int64(request.type)),
            "data": request.data, "channel_id": .id(channel.id), "channel": world.channelJSON(channel),
            "token": .string(token), "version": 1, "app_permissions": .string(String(appPermissions)),
            "locale": .string(locale), "entitlements": [], "attachment_size_limit": 26_214_400,
            "authorizing_integration_owners": guildID.map { ["0": .id($0)] } ?? ["1": .id(request.userID)],
            "context": guildID == nil ? 1 : 0,
        ]
        if let guildID, let guild = world.guilds[guildID], let member = guild.members[request.userID] {
            payload["guild_id"] = .id(guildID)
            payload["guild_locale"] = guildLocale.map { .string($0) } ?? .null
            payload["guild"] = ["id": .id(guildID), "locale": .string(guild.preferredLocale), "features": []]
            var memberJSON = world.memberJSON(member, guild: guild)
            memberJSON["permissions"] = .string(String(permissionsInChannel))
            payload["member"] = memberJSON
        } else {
            payload["user"] = world.userJSON(request.userID)
        }
        if let messageID = request.messageID, let message = world.messages[messageID] {
            payload["message"] = world.messageJSON(message)
        }
        interactions[id] = InteractionRecord(
            id: id, token: token, applicationID: request.applicationID, type: request.type, guildID: guildID,
            channelID: channel.id, userID: request.userID, createdAt: clock.elapsed, data: request.data,
            messageID: request.messageID
        )
        interactions[id]?.openedBy = request.openedBy
        interactions[id]?.createdAtUnixMs = clock.unixMillis
        interactionsByToken[token] = id
        let delivered = dispatch(to: request.applicationID, guildID: guildID, "INTERACTION_CREATE", payload, intent: nil)
        return EmulatedInteraction(id: id, token: token, delivered: delivered)
    }

    /// A user runs `/name [subcommand…] options…` of a registered command.
    func invokeCommand(
        applicationID: UInt64, channelID: UInt64, userID: UInt64, name: String, options: JSON?, locale: String?,
        focused: String? = nil, targetID: UInt64? = nil, commandType: Int = 1
    ) throws(DiscordEmulatorError) -> EmulatedInteraction {
        let words = name.split(separator: " ").map(String.init)
        guard let root = words.first else { throw ControlBody.missing("name", "a command name") }
        let guildID = world.channel(channelID)?.guildID
        guard let command = registeredCommand(applicationID: applicationID, guildID: guildID, name: root, type: commandType)
        else {
            throw .discord(404, 10063, "Unknown application command: no \(root) registered for application \(applicationID)")
        }
        var data: JSON = ["id": command["id"] ?? nil, "name": .string(root), "type": .int(Int64(commandType))]
        if let commandGuild = command["guild_id"] { data["guild_id"] = commandGuild }
        if let targetID { data["target_id"] = .id(targetID) }
        var resolved = ResolvedCollector()
        let built = try buildOptions(
            definitions: command["options"]?.arrayValue ?? [], path: Array(words.dropFirst()), given: options,
            focused: focused, guildID: guildID, resolved: &resolved
        )
        if !built.isEmpty { data["options"] = .array(built) }
        if let resolvedJSON = resolved.json(world: world, guildID: guildID) { data["resolved"] = resolvedJSON }
        return try createInteraction(InteractionRequest(
            applicationID: applicationID, guildID: guildID, channelID: channelID, userID: userID,
            type: focused == nil ? 2 : 4, data: data, messageID: nil, locale: locale
        ))
    }

    struct ResolvedCollector {
        var users: [UInt64] = []
        var channels: [UInt64] = []
        var roles: [UInt64] = []

        func json(world: WorldState, guildID: UInt64?) -> JSON? {
            guard !(users.isEmpty && channels.isEmpty && roles.isEmpty) else { return nil }
            var json: JSON = [:]
            let guild = guildID.flatMap { world.guilds[$0] }
            if !users.isEmpty {
                json["users"] = .object(Dictionary(uniqueKeysWithValues: Set(users).map { (String($0), world.userJSON($0)) }))
                var members: [String: JSON] = [:]
                for user in Set(users) {
                    if let guild, let member = guild.members[user] {
                        members[String(user)] = world.memberJSON(member, guild: guild, includeUser: false)
                    }
                }
                json["members"] = .object(members)
            }
            if !channels.isEmpty {
                json["channels"] = .object(Dictionary(uniqueKeysWithValues: Set(channels).compactMap { id in
                    world.channel(id).map { (String(id), world.channelJSON($0)) }
                }))
            }
            if !roles.isEmpty, let guild {
                json["roles"] = .object(Dictionary(uniqueKeysWithValues: Set(roles).compactMap { id in
                    guild.roles[id].map { (String(id), world.roleJSON($0)) }
                }))
            }
            return json
        }
    }

    /// Options as Discord sends them, typed by the registered definitions. `given` is either
    /// Discord's own array (passed through) or an object `{name: value}`.
    private func buildOptions(
        definitions: [JSON], path: [String], given: JSON?, focused: String?, guildID: UInt64?,
        resolved: inout ResolvedCollector
    ) throws(DiscordEmulatorError) -> [JSON] {
        if let head = path.first {
            guard let definition = definitions.first(where: { $0["name"]?.stringValue == head }),
                let type = definition["type"]?.intValue, type == 1 || type == 2
            else { throw ControlBody.missing("name", "a registered subcommand (no \(head))") }
            let inner = try buildOptions(
                definitions: definition["options"]?.arrayValue ?? [], path: Array(path.dropFirst()), given: given,
                focused: focused, guildID: guildID, resolved: &resolved
            )
            return [["name": .string(head), "type": .int(type), "options": .array(inner)]]
        }
        if let array = given?.arrayValue { return array }
        let values = given?.objectValue ?? [:]
        for name in values.keys where !definitions.contains(where: { $0["name"]?.stringValue == name }) {
            throw ControlBody.missing("options", "registered option names (no \(name))")
        }
        var result: [JSON] = []
        for definition in definitions {
            guard let name = definition["name"]?.stringValue, let type = definition["type"]?.intValue else { continue }
            guard let value = values[name] else {
                if definition["required"]?.boolValue == true, focused == nil {
                    throw ControlBody.missing("options", "all required options (\(name) is required)")
                }
                continue
            }
            var option: JSON = ["name": .string(name), "type": .int(type)]
            if name == focused {
                option["value"] = .string(value.stringValue ?? value.encoded())
                option["focused"] = true
                result.append(option)
                continue
            }
            switch type {
            case 3: option["value"] = .string(value.stringValue ?? value.encoded())
            case 4:
                guard let int = value.intValue else { throw ControlBody.missing(name, "an integer") }
                option["value"] = .int(int)
            case 10:
                guard let number = value.doubleValue else { throw ControlBody.missing(name, "a number") }
                option["value"] = .double(number)
            case 5:
                guard let bool = value.boolValue else { throw ControlBody.missing(name, "a boolean") }
                option["value"] = .bool(bool)
            case 6, 7, 8, 9:
                guard let id = value.snowflakeValue else { throw ControlBody.missing(name, "a snowflake id") }
                option["value"] = .id(id)
                if type == 7 { resolved.channels.append(id) }
                else if type == 8 || (type == 9 && guildID.flatMap({ world.guilds[$0]?.roles[id] }) != nil) {
                    resolved.roles.append(id)
                } else { resolved.users.append(id) }
            default:
                option["value"] = value
            }
            result.append(option)
        }
        return result
    }

    /// A user clicks a button or picks select values on a bot's message.
    func useComponent(messageID: UInt64, userID: UInt64, customID: String, values: [JSON]?, locale: String?)
        throws(DiscordEmulatorError) -> EmulatedInteraction
    {
        guard let message = world.messages[messageID] else { throw .unknownMessage }
        guard let applicationID = message.applicationID ?? (world.applications[message.authorID] != nil ? message.authorID : nil)
        else { throw .discord(400, 50035, "message \(messageID) was not sent by a bot") }
        guard let component = MessageValidation.component(withCustomID: customID, in: message.components) else {
            throw .discord(400, 50035, "message \(messageID) has no component with custom_id \(customID)")
        }
        let componentType = component["type"]?.intValue ?? 2
        var data: JSON = ["custom_id": .string(customID), "component_type": .int(componentType)]
        if componentType != 2 {
            let chosen = values ?? []
            if componentType == 3 {
                let allowed = Set((component["options"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
                for value in chosen where !allowed.contains(value.stringValue ?? "") {
                    throw .discord(400, 50035, "select \(customID) has no option \(value.encoded())")
                }
            }
            data["values"] = .array(chosen)
        }
        return try createInteraction(InteractionRequest(
            applicationID: applicationID, guildID: message.guildID, channelID: message.channelID, userID: userID,
            type: 3, data: data, messageID: messageID, locale: locale
        ))
    }

    /// A user submits a modal: `values` maps each text input's custom id to what was typed.
    func submitModal(
        applicationID: UInt64, channelID: UInt64, userID: UInt64, customID: String, values: [String: JSON],
        locale: String?
    ) throws(DiscordEmulatorError) -> EmulatedInteraction {
        let rows: [JSON] = values.keys.sorted().map { key in
            ["type": 1, "components": [["type": 4, "custom_id": .string(key), "value": values[key] ?? ""]]]
        }
        // The newest modal this user was shown with that custom id, in that channel.
        let opener = interactions.values.filter {
            $0.applicationID == applicationID && $0.userID == userID && $0.channelID == channelID
                && $0.callbackType == 9
                && $0.responses.first?["body"]?["data"]?["custom_id"]?.stringValue == customID
        }.max { $0.createdAt < $1.createdAt }
        return try createInteraction(InteractionRequest(
            applicationID: applicationID, guildID: nil, channelID: channelID, userID: userID, type: 5,
            data: ["custom_id": .string(customID), "components": .array(rows)], messageID: nil, locale: locale,
            openedBy: opener?.id
        ))
    }
}
