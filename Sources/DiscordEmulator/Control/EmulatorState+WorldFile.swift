/// Loading a world description (a `--world` file or `POST /_emulator/world`). References may be
/// ids or names: users by username, bots by application name, roles and channels by name.
extension EmulatorState {
    func loadWorld(_ json: JSON) throws(DiscordEmulatorError) {
        for item in json["applications"]?.arrayValue ?? [] {
            let body = ControlBody(item)
            _ = createApplication(
                name: try body.string("name"), botUsername: body.optionalString("bot_username"),
                token: body.optionalString("token"), id: try body.optionalID("id"),
                allowedPrivilegedIntents: try body.permissions("privileged_intents", default: Intent.privileged)
            )
        }
        for item in json["users"]?.arrayValue ?? [] {
            let body = ControlBody(item)
            _ = createUser(
                username: try body.string("username"), globalName: body.optionalString("global_name"),
                locale: body.optionalString("locale") ?? "en-US", id: try body.optionalID("id")
            )
        }
        for item in json["guilds"]?.arrayValue ?? [] {
            try loadGuild(item)
        }
    }

    private func loadGuild(_ item: JSON) throws(DiscordEmulatorError) {
        let body = ControlBody(item)
        let owner = try item["owner"].map { value throws(DiscordEmulatorError) in try resolveUser(value) }
        let guildID = try createGuild(
            name: try body.string("name"), ownerID: owner,
            preferredLocale: body.optionalString("preferred_locale") ?? "en-US", id: try body.optionalID("id")
        )
        if body.has("everyone_permissions") {
            try setRolePermissions(guildID: guildID, roleID: guildID,
                                   permissions: try body.permissions("everyone_permissions", default: 0))
        }
        for role in item["roles"]?.arrayValue ?? [] {
            let roleBody = ControlBody(role)
            _ = try createRole(
                guildID: guildID, name: try roleBody.string("name"),
                permissions: try roleBody.permissions("permissions", default: 0),
                position: roleBody.optionalInt("position"), id: try roleBody.optionalID("id")
            )
        }
        // Categories first so children can name their parent.
        let channels = (item["channels"]?.arrayValue ?? []).sorted {
            ($0["type"]?.intValue == 4 ? 0 : 1) < ($1["type"]?.intValue == 4 ? 0 : 1)
        }
        for channel in channels {
            let channelBody = ControlBody(channel)
            var overwrites: [OverwriteRecord] = []
            for overwrite in channel["permission_overwrites"]?.arrayValue ?? [] {
                let overwriteBody = ControlBody(overwrite)
                let allow = try overwriteBody.permissions("allow", default: 0)
                let deny = try overwriteBody.permissions("deny", default: 0)
                if let user = overwrite["user"] {
                    overwrites.append(.init(id: try resolveUser(user), type: 1, allow: allow, deny: deny))
                } else if let role = overwrite["role"] {
                    overwrites.append(.init(id: try resolveRole(role, guildID: guildID), type: 0, allow: allow, deny: deny))
                } else {
                    overwrites.append(.init(id: try overwriteBody.id("id"), type: try overwriteBody.int("type", default: 0),
                                            allow: allow, deny: deny))
                }
            }
            var parent = try channelBody.optionalID("parent_id")
            if let reference = channel["parent"] { parent = try resolveChannel(reference, guildID: guildID) }
            _ = try createChannel(
                guildID: guildID, name: try channelBody.string("name"), type: try channelBody.int("type", default: 0),
                parentID: parent, userLimit: try channelBody.int("user_limit", default: 0),
                bitrate: try channelBody.int("bitrate", default: 64000), position: channelBody.optionalInt("position"),
                overwrites: overwrites, topic: channelBody.optionalString("topic"), id: try channelBody.optionalID("id")
            )
        }
        for member in item["members"]?.arrayValue ?? [] {
            let reference = member["user"] ?? member["bot"] ?? member
            var roles: [UInt64] = []
            for role in member["roles"]?.arrayValue ?? [] {
                roles.append(try resolveRole(role, guildID: guildID))
            }
            try addMember(guildID: guildID, userID: try resolveUser(reference), roleIDs: roles,
                          nick: member["nick"]?.stringValue)
        }
        for voice in item["voice_states"]?.arrayValue ?? [] {
            guard let user = voice["user"], let channel = voice["channel"] else {
                throw ControlBody.missing("voice_states", "objects with user and channel")
            }
            try setUserVoice(guildID: guildID, userID: try resolveUser(user),
                             channelID: try resolveChannel(channel, guildID: guildID))
        }
    }

    func resolveUser(_ reference: JSON) throws(DiscordEmulatorError) -> UInt64 {
        if let id = reference.snowflakeValue, world.users[id] != nil { return id }
        if let name = reference.stringValue {
            if let user = world.users.values.first(where: { $0.username == name && !$0.bot }) { return user.id }
            if let app = world.applications.values.first(where: { $0.name == name }) { return app.id }
            if let user = world.users.values.first(where: { $0.username == name }) { return user.id }
        }
        throw .discord(404, 10013, "Unknown User: \(reference.encoded())")
    }

    func resolveRole(_ reference: JSON, guildID: UInt64) throws(DiscordEmulatorError) -> UInt64 {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        if let id = reference.snowflakeValue, guild.roles[id] != nil { return id }
        if let name = reference.stringValue, let role = guild.roles.values.first(where: { $0.name == name }) {
            return role.id
        }
        throw .discord(404, 10011, "Unknown Role: \(reference.encoded())")
    }

    func resolveChannel(_ reference: JSON, guildID: UInt64) throws(DiscordEmulatorError) -> UInt64 {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        if let id = reference.snowflakeValue, guild.channels[id] != nil { return id }
        if let name = reference.stringValue, let channel = guild.channels.values.first(where: { $0.name == name }) {
            return channel.id
        }
        throw .discord(404, 10003, "Unknown Channel: \(reference.encoded())")
    }
}
