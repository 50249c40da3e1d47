/// The control API (`/_emulator/…`): what a test or an operator does to the emulated Discord.
extension EmulatorState {
    func handleControl(_ request: APIRequest) -> APIResponse {
        do {
            return try control(request.method, request.segments, ControlBody(request.body), request)
        } catch {
            return .error(error)
        }
    }

    // swiftlint:disable:next cyclomatic_complexity
    private func control(
        _ method: String, _ path: [String], _ body: ControlBody, _ request: APIRequest
    ) throws(DiscordEmulatorError) -> APIResponse {
        switch (method, path.count, path.first) {
        case ("GET", 1, "info"):
            return .json([
                "gateway_url": .string(gatewayURL), "rest_url": .string(baseURL + "/api/v10"),
                "control_url": .string(baseURL + "/_emulator"),
            ])
        case ("GET", 1, "world"):
            return .json(worldSummary())
        case ("POST", 1, "world"):
            try loadWorld(body.json)
            return .json(worldSummary())
        case ("POST", 1, "applications"):
            let bot = createApplication(
                name: try body.string("name"), botUsername: body.optionalString("bot_username"),
                token: body.optionalString("token"), id: try body.optionalID("id"),
                allowedPrivilegedIntents: try body.permissions("privileged_intents", default: Intent.privileged)
            )
            return .json(botJSON(bot))
        case ("POST", 1, "users"):
            let id = createUser(
                username: try body.string("username"), globalName: body.optionalString("global_name"),
                locale: body.optionalString("locale") ?? "en-US", id: try body.optionalID("id")
            )
            return .json(world.userJSON(id))
        case ("POST", 1, "guilds"):
            let id = try createGuild(
                name: try body.string("name"), ownerID: try body.optionalID("owner_id"),
                preferredLocale: body.optionalString("preferred_locale") ?? "en-US", id: try body.optionalID("id")
            )
            return .json(guildState(id))
        case (_, _, "guilds") where path.count >= 2:
            return try controlGuild(method, path, body)
        default:
            return try controlActions(method, path, body, request)
        }
    }

    private func controlGuild(_ method: String, _ path: [String], _ body: ControlBody) throws(DiscordEmulatorError) -> APIResponse {
        guard let guildID = UInt64(path[1]), world.guilds[guildID] != nil else { throw .unknownGuild }
        let rest = Array(path.dropFirst(2))
        switch (method, rest.first, rest.count) {
        case ("GET", nil, 0):
            return .json(guildState(guildID))
        case ("POST", "channels", 1):
            let type = try body.int("type", default: 0)
            guard [0, 2, 4, 5, 13].contains(type) else { throw ControlBody.missing("type", "0, 2, 4, 5 or 13") }
            let channel = try createChannel(
                guildID: guildID, name: try body.string("name"), type: type, parentID: try body.optionalID("parent_id"),
                userLimit: try body.int("user_limit", default: 0), bitrate: try body.int("bitrate", default: 64000),
                position: body.optionalInt("position"), overwrites: try body.overwrites("permission_overwrites"),
                topic: body.optionalString("topic"), id: try body.optionalID("id")
            )
            return .json(world.channelJSON(channel))
        case ("DELETE", "channels", 2):
            guard let channelID = UInt64(rest[1]), deleteChannelRecord(guildID: guildID, channelID: channelID) != nil
            else { throw .unknownChannel }
            return .noContent
        case ("POST", "roles", 1):
            let id = try createRole(
                guildID: guildID, name: try body.string("name"),
                permissions: try body.permissions("permissions", default: 0), position: body.optionalInt("position"),
                id: try body.optionalID("id")
            )
            return .json(roleJSON(guildID: guildID, roleID: id))
        case ("PATCH", "roles", 2):
            guard let roleID = UInt64(rest[1]) else { throw .unknownRole }
            try setRolePermissions(guildID: guildID, roleID: roleID, permissions: try body.permissions("permissions", default: 0))
            return .json(roleJSON(guildID: guildID, roleID: roleID))
        case ("PUT", "members", 2):
            guard let userID = UInt64(rest[1]) else { throw .unknownUser }
            try addMember(guildID: guildID, userID: userID, roleIDs: try body.ids("roles"), nick: body.optionalString("nick"))
            return .json(memberJSON(guildID: guildID, userID: userID))
        case ("DELETE", "members", 2):
            guard let userID = UInt64(rest[1]) else { throw .unknownUser }
            try removeMember(guildID: guildID, userID: userID)
            return .noContent
        case ("PUT", "voice", 2):
            guard let userID = UInt64(rest[1]) else { throw .unknownUser }
            try setUserVoice(
                guildID: guildID, userID: userID, channelID: try body.optionalID("channel_id"),
                selfMute: body.bool("self_mute", default: false), selfDeaf: body.bool("self_deaf", default: false)
            )
            return .json(voiceStateJSON(guildID: guildID, userID: userID))
        default:
            throw .notFound
        }
    }

    func botJSON(_ bot: EmulatedBot) -> JSON {
        ["application_id": .id(bot.applicationID), "user_id": .id(bot.userID), "token": .string(bot.token),
         "name": .string(bot.name)]
    }

    /// Everything about a guild, including all members and voice states.
    func guildState(_ guildID: UInt64) -> JSON {
        guard let guild = world.guilds[guildID] else { return .null }
        var json = world.guildCreateJSON(guild, botUserID: 0, intents: Intent.guildMembers, largeThreshold: .max)
        json["voice_states"] = .array(guild.voiceStates.values.sorted { $0.userID < $1.userID }
            .map { world.voiceStateJSON($0, userID: $0.userID, guild: guild, includeGuild: false) })
        return json
    }

    func worldSummary() -> JSON {
        [
            "applications": .array(world.applications.values.sorted { $0.id < $1.id }.map { app in
                ["id": .id(app.id), "name": .string(app.name), "token": .string(app.token)]
            }),
            "users": .array(world.users.values.sorted { $0.id < $1.id }.map { world.userJSON($0.id) }),
            "guilds": .array(world.guilds.keys.sorted().map { guildState($0) }),
        ]
    }
}
