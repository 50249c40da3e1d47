/// Guild members, roles and channels over REST, with Discord's permission checks.
extension EmulatorState {
    func members(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let guild = try botGuild(call)
        let botID = call.applicationID
        if call.match.route.endpoint == .listMembers {
            let limit = min(1000, max(1, Int(call.request.query["limit"] ?? "1") ?? 1))
            let after = UInt64(call.request.query["after"] ?? "0") ?? 0
            let list = guild.members.values.filter { $0.userID > after }.sorted { $0.userID < $1.userID }.prefix(limit)
            return .json(.array(list.map { world.memberJSON($0, guild: guild) }))
        }
        let userID = try call.id("user_id")
        guard let member = guild.members[userID] else { throw .unknownMember }
        let botPermissions = world.permissions(userID: botID, guild: guild, channelID: nil)
        switch call.match.route.endpoint {
        case .getMember:
            return .json(world.memberJSON(member, guild: guild))
        case .addMemberRole, .removeMemberRole:
            let roleID = try call.id("role_id")
            guard let role = guild.roles[roleID], roleID != guild.id else { throw .unknownRole }
            guard botPermissions & EmulatedPermission.manageRoles != 0,
                role.position < world.highestRolePosition(userID: botID, guild: guild)
            else { throw .missingPermissions }
            let adding = call.match.route.endpoint == .addMemberRole
            var roles = member.roleIDs.filter { $0 != roleID }
            if adding { roles.append(roleID) }
            updateMember(guild.id, userID) { $0.roleIDs = roles }
            record(adding ? "role_added" : "role_removed", application: botID,
                   ["guild_id": .id(guild.id), "user_id": .id(userID), "role_id": .id(roleID)])
            return .noContent
        default:
            return try modifyMember(call, guild: guild, member: member, botPermissions: botPermissions)
        }
    }

    private func modifyMember(
        _ call: RESTCall, guild: GuildRecord, member: MemberRecord, botPermissions: UInt64
    ) throws(DiscordEmulatorError) -> APIResponse {
        let botID = call.applicationID
        let body = call.body
        let userID = member.userID
        var moveTarget: UInt64??
        if let channelValue = body["channel_id"] {
            guard let current = guild.voiceStates[userID]?.channelID else { throw .notConnectedToVoice }
            guard world.permissions(userID: botID, guild: guild, channelID: current) & EmulatedPermission.moveMembers != 0
            else { throw .missingPermissions }
            if channelValue.isNull {
                moveTarget = .some(nil)
            } else {
                guard let target = channelValue.snowflakeValue, let channel = guild.channels[target], channel.isVoice else {
                    throw .invalidForm([(["channel_id"], "CHANNEL_TYPE_INVALID", "Channel is not a voice channel")])
                }
                let needed = EmulatedPermission.moveMembers | EmulatedPermission.connect
                guard world.permissions(userID: botID, guild: guild, channelID: target) & needed == needed else {
                    throw .missingPermissions
                }
                moveTarget = .some(target)
            }
        }
        if body["nick"] != nil, botPermissions & EmulatedPermission.manageNicknames == 0 { throw .missingPermissions }
        if body["mute"] != nil, botPermissions & EmulatedPermission.muteMembers == 0 { throw .missingPermissions }
        if body["deaf"] != nil, botPermissions & EmulatedPermission.deafenMembers == 0 { throw .missingPermissions }
        var newRoles: [UInt64]?
        if let roles = body["roles"]?.arrayValue {
            guard botPermissions & EmulatedPermission.manageRoles != 0 else { throw .missingPermissions }
            let ids = roles.compactMap(\.snowflakeValue)
            for id in ids where guild.roles[id] == nil { throw .unknownRole }
            newRoles = ids
        }
        var changedFields: [String] = []
        if body["nick"] != nil || body["mute"] != nil || body["deaf"] != nil || newRoles != nil {
            updateMember(guild.id, userID) { member in
                if let nick = body["nick"] { member.nick = nick.stringValue }
                if let mute = body["mute"]?.boolValue { member.mute = mute }
                if let deaf = body["deaf"]?.boolValue { member.deaf = deaf }
                if let newRoles { member.roleIDs = newRoles }
            }
            changedFields = ["nick", "mute", "deaf", "roles"].filter { body[$0] != nil }
            record("member_updated", application: botID, [
                "guild_id": .id(guild.id), "user_id": .id(userID), "fields": .array(changedFields.map { .string($0) }),
            ])
        }
        if let moveTarget {
            let from = guild.voiceStates[userID]?.channelID
            applyVoiceState(guildID: guild.id, userID: userID, channelID: moveTarget)
            if let target = moveTarget, world.applications[userID] != nil {
                sendVoiceServerUpdate(guildID: guild.id, botID: userID)
                _ = target
            }
            record(moveTarget == nil ? "member_disconnected" : "member_moved", application: botID, [
                "guild_id": .id(guild.id), "user_id": .id(userID), "from_channel_id": .id(from),
                "to_channel_id": .id(moveTarget ?? nil),
            ])
            if changedFields.isEmpty { notifyMemberUpdate(guild.id, userID) }
        }
        return .json(memberJSON(guildID: guild.id, userID: userID))
    }

    func updateMember(_ guildID: UInt64, _ userID: UInt64, _ change: (inout MemberRecord) -> Void) {
        guard var member = world.guilds[guildID]?.members[userID] else { return }
        change(&member)
        world.guilds[guildID]?.members[userID] = member
        notifyMemberUpdate(guildID, userID)
    }

    func notifyMemberUpdate(_ guildID: UInt64, _ userID: UInt64) {
        guard let guild = world.guilds[guildID], let member = guild.members[userID] else { return }
        var data = world.memberJSON(member, guild: guild)
        data["guild_id"] = .id(guildID)
        dispatchToGuildBots(guildID, "GUILD_MEMBER_UPDATE", data, intent: Intent.guildMembers)
    }

    func createGuildChannel(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let guild = try botGuild(call)
        guard world.permissions(userID: call.applicationID, guild: guild, channelID: nil)
            & EmulatedPermission.manageChannels != 0
        else { throw .missingPermissions }
        let body = call.body
        var problems: [MessageValidation.Problem] = []
        let name = body["name"]?.stringValue ?? ""
        if name.isEmpty || name.count > 100 {
            problems.append((["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        }
        let type = Int(body["type"]?.intValue ?? 0)
        if ![0, 2, 4, 5, 13, 15].contains(type) {
            problems.append((["type"], "BASE_TYPE_CHOICES", "Value must be one of {0, 2, 4, 5, 13, 15}."))
        }
        let userLimit = Int(body["user_limit"]?.intValue ?? 0)
        if !(0...99).contains(userLimit) {
            problems.append((["user_limit"], "NUMBER_TYPE_MAX", "int value should be less than or equal to 99."))
        }
        let parentID = body["parent_id"]?.snowflakeValue
        if let parentID, guild.channels[parentID]?.type != 4 {
            problems.append((["parent_id"], "CHANNEL_PARENT_INVALID", "Category does not exist"))
        }
        guard problems.isEmpty else { throw .invalidForm(problems) }
        let overwrites = (body["permission_overwrites"]?.arrayValue ?? []).compactMap { item -> OverwriteRecord? in
            guard let id = item["id"]?.snowflakeValue else { return nil }
            let bits = { (key: String) -> UInt64 in
                item[key]?.stringValue.flatMap { UInt64($0) } ?? item[key]?.intValue.map { UInt64(max(0, $0)) } ?? 0
            }
            return OverwriteRecord(id: id, type: Int(item["type"]?.intValue ?? 0), allow: bits("allow"), deny: bits("deny"))
        }
        let channel = try createChannel(
            guildID: guild.id, name: name, type: type, parentID: parentID, userLimit: userLimit,
            bitrate: Int(body["bitrate"]?.intValue ?? 64000), position: body["position"]?.intValue.map { Int($0) },
            overwrites: overwrites, topic: body["topic"]?.stringValue
        )
        record("channel_created", application: call.applicationID, [
            "guild_id": .id(guild.id), "channel_id": .id(channel.id), "name": .string(name), "type": .int(Int64(type)),
            "user_limit": .int(Int64(userLimit)), "parent_id": .id(parentID),
        ])
        return .json(world.channelJSON(channel), status: 201)
    }

    func deleteChannel(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let (channel, guild) = try visibleChannel(call)
        guard let guild else { return .json(world.channelJSON(channel)) }
        guard world.permissions(userID: call.applicationID, guild: guild, channelID: channel.id)
            & EmulatedPermission.manageChannels != 0
        else { throw .missingPermissions }
        _ = deleteChannelRecord(guildID: guild.id, channelID: channel.id)
        record("channel_deleted", application: call.applicationID, [
            "guild_id": .id(guild.id), "channel_id": .id(channel.id), "name": .string(channel.name),
        ])
        return .json(world.channelJSON(channel))
    }
}
