import Foundation

/// Building the world: applications, users, guilds, channels, roles, members.
extension EmulatorState {
    func createApplication(
        name: String, botUsername: String? = nil, token: String? = nil, id: UInt64? = nil,
        allowedPrivilegedIntents: UInt64 = Intent.privileged
    ) -> EmulatedBot {
        let appID = id ?? newID()
        if let id { world.reserve(id: id) }
        let token = token ?? Self.makeToken(applicationID: appID)
        world.applications[appID] = ApplicationRecord(
            id: appID, name: name, description: "", token: token,
            allowedPrivilegedIntents: allowedPrivilegedIntents & Intent.privileged
        )
        world.users[appID] = UserRecord(
            id: appID, username: botUsername ?? name, globalName: nil, bot: true, locale: "en-US"
        )
        return EmulatedBot(applicationID: appID, token: token, name: name)
    }

    /// Token shaped like Discord's: base64(id).random.random.
    static func makeToken(applicationID: UInt64) -> String {
        let idPart = Data(String(applicationID).utf8).base64EncodedString()
            .trimmingCharacters(in: CharacterSet(charactersIn: "="))
        return "\(idPart).\(randomHex(6)).\(randomHex(27))"
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    func createUser(username: String, globalName: String? = nil, locale: String = "en-US", id: UInt64? = nil) -> UInt64 {
        let userID = id ?? newID()
        if let id { world.reserve(id: id) }
        world.users[userID] = UserRecord(id: userID, username: username, globalName: globalName, bot: false, locale: locale)
        return userID
    }

    func createGuild(
        name: String, ownerID: UInt64? = nil, preferredLocale: String = "en-US", id: UInt64? = nil
    ) throws(DiscordEmulatorError) -> UInt64 {
        let guildID = id ?? newID()
        if let id { world.reserve(id: id) }
        let owner: UInt64
        if let ownerID {
            guard world.users[ownerID] != nil else { throw .unknownUser }
            owner = ownerID
        } else {
            owner = createUser(username: "\(name)-owner")
        }
        var guild = GuildRecord(id: guildID, name: name, ownerID: owner, preferredLocale: preferredLocale)
        // The @everyone role shares the guild's id.
        guild.roles[guildID] = RoleRecord(
            id: guildID, name: "@everyone", permissions: EmulatedPermission.defaultEveryone, position: 0
        )
        guild.members[owner] = MemberRecord(userID: owner, roleIDs: [], joinedAt: clock.timestamp())
        world.guilds[guildID] = guild
        return guildID
    }

    func createChannel(
        guildID: UInt64, name: String, type: Int, parentID: UInt64? = nil, userLimit: Int = 0,
        bitrate: Int = 64000, position: Int? = nil, overwrites: [OverwriteRecord] = [], topic: String? = nil,
        id: UInt64? = nil
    ) throws(DiscordEmulatorError) -> ChannelRecord {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        if let parentID, guild.channels[parentID]?.type != 4 { throw .unknownChannel }
        let channelID = id ?? newID()
        if let id { world.reserve(id: id) }
        let channel = ChannelRecord(
            id: channelID, guildID: guildID, type: type, name: name,
            position: position ?? guild.channels.count, parentID: parentID, userLimit: userLimit,
            bitrate: bitrate, topic: topic, overwrites: overwrites
        )
        world.guilds[guildID]?.channels[channelID] = channel
        world.channelGuild[channelID] = guildID
        dispatchToGuildBots(guildID, "CHANNEL_CREATE", world.channelJSON(channel), intent: Intent.guilds)
        return channel
    }

    func deleteChannelRecord(guildID: UInt64, channelID: UInt64) -> ChannelRecord? {
        guard let channel = world.guilds[guildID]?.channels.removeValue(forKey: channelID) else { return nil }
        world.channelGuild[channelID] = nil
        // Everyone in a deleted voice channel is disconnected.
        for state in world.guilds[guildID]?.voiceStates.values.filter({ $0.channelID == channelID }) ?? [] {
            applyVoiceState(guildID: guildID, userID: state.userID, channelID: nil)
        }
        dispatchToGuildBots(guildID, "CHANNEL_DELETE", world.channelJSON(channel), intent: Intent.guilds)
        return channel
    }

    func createRole(
        guildID: UInt64, name: String, permissions: UInt64, position: Int? = nil, id: UInt64? = nil
    ) throws(DiscordEmulatorError) -> UInt64 {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        let roleID = id ?? newID()
        if let id { world.reserve(id: id) }
        let role = RoleRecord(
            id: roleID, name: name, permissions: permissions,
            position: position ?? ((guild.roles.values.map(\.position).max() ?? 0) + 1)
        )
        world.guilds[guildID]?.roles[roleID] = role
        dispatchToGuildBots(
            guildID, "GUILD_ROLE_CREATE", ["guild_id": .id(guildID), "role": world.roleJSON(role)], intent: Intent.guilds
        )
        return roleID
    }

    func setRolePermissions(guildID: UInt64, roleID: UInt64, permissions: UInt64) throws(DiscordEmulatorError) {
        guard world.guilds[guildID] != nil else { throw .unknownGuild }
        guard var role = world.guilds[guildID]?.roles[roleID] else { throw .unknownRole }
        role.permissions = permissions
        world.guilds[guildID]?.roles[roleID] = role
        dispatchToGuildBots(
            guildID, "GUILD_ROLE_UPDATE", ["guild_id": .id(guildID), "role": world.roleJSON(role)], intent: Intent.guilds
        )
    }

    /// Adds (or updates the roles and nick of) a member; a bot that joins gets GUILD_CREATE.
    func addMember(guildID: UInt64, userID: UInt64, roleIDs: [UInt64] = [], nick: String? = nil) throws(DiscordEmulatorError) {
        guard let guild = world.guilds[guildID] else { throw .unknownGuild }
        guard world.users[userID] != nil else { throw .unknownUser }
        for roleID in roleIDs where guild.roles[roleID] == nil || roleID == guildID { throw .unknownRole }
        if var member = guild.members[userID] {
            member.roleIDs = roleIDs
            if nick != nil { member.nick = nick }
            world.guilds[guildID]?.members[userID] = member
            notifyMemberUpdate(guildID, userID)
            return
        }
        let member = MemberRecord(userID: userID, roleIDs: roleIDs, nick: nick, joinedAt: clock.timestamp())
        world.guilds[guildID]?.members[userID] = member
        var data = memberJSON(guildID: guildID, userID: userID)
        data["guild_id"] = .id(guildID)
        dispatchToGuildBots(guildID, "GUILD_MEMBER_ADD", data, intent: Intent.guildMembers, except: userID)
        if world.applications[userID] != nil {
            sendGuildCreate(guildID: guildID, applicationID: userID)
        }
    }

    func removeMember(guildID: UInt64, userID: UInt64) throws(DiscordEmulatorError) {
        guard world.guilds[guildID] != nil else { throw .unknownGuild }
        guard world.guilds[guildID]?.members[userID] != nil else { throw .unknownMember }
        if world.guilds[guildID]?.voiceStates[userID] != nil {
            applyVoiceState(guildID: guildID, userID: userID, channelID: nil)
        }
        world.guilds[guildID]?.members[userID] = nil
        dispatchToGuildBots(
            guildID, "GUILD_MEMBER_REMOVE", ["guild_id": .id(guildID), "user": world.userJSON(userID)],
            intent: Intent.guildMembers
        )
        if world.applications[userID] != nil {
            dispatch(to: userID, guildID: guildID, "GUILD_DELETE", ["id": .id(guildID)], intent: nil)
        }
    }
}

extension EmulatorState {
    /// Current wire shapes by id (`null` when the object is gone).
    func memberJSON(guildID: UInt64, userID: UInt64) -> JSON {
        guard let guild = world.guilds[guildID], let member = guild.members[userID] else { return .null }
        return world.memberJSON(member, guild: guild)
    }

    func roleJSON(guildID: UInt64, roleID: UInt64) -> JSON {
        world.guilds[guildID]?.roles[roleID].map(world.roleJSON) ?? .null
    }

    func voiceStateJSON(guildID: UInt64, userID: UInt64) -> JSON {
        guard let guild = world.guilds[guildID] else { return .null }
        return world.voiceStateJSON(guild.voiceStates[userID], userID: userID, guild: guild, includeGuild: true)
    }
}
