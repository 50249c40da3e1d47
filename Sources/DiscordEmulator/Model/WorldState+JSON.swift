/// Wire shapes of the world's objects, as Discord's API documents them.
extension WorldState {
    func userJSON(_ userID: UInt64) -> JSON {
        guard let user = users[userID] else {
            return [
                "id": .id(userID), "username": "unknown-user", "discriminator": "0", "avatar": nil,
                "global_name": nil, "public_flags": 0, "flags": 0, "primary_guild": nil,
            ]
        }
        // Discord gives every user, bots included, discriminator "0" since the username migration.
        var json: JSON = [
            "id": .id(user.id), "username": .string(user.username), "discriminator": "0",
            "global_name": user.globalName.map { .string($0) } ?? .null, "avatar": nil,
            "public_flags": 0, "flags": 0, "banner": nil, "accent_color": nil, "primary_guild": nil,
            "avatar_decoration_data": nil, "collectibles": nil,
        ]
        if user.bot { json["bot"] = true }
        return json
    }

    /// The user object a bot gets for itself (READY `user`, `GET /users/@me`): the public user
    /// plus the account fields only its owner sees.
    func currentUserJSON(_ userID: UInt64) -> JSON {
        var json = userJSON(userID)
        json["mfa_enabled"] = false
        json["locale"] = .string(users[userID]?.locale ?? "en-US")
        json["verified"] = true
        json["email"] = nil
        return json
    }

    func roleJSON(_ role: RoleRecord) -> JSON {
        [
            "id": .id(role.id), "name": .string(role.name), "permissions": .string(String(role.permissions)),
            "position": .int(Int64(role.position)), "color": .int(Int64(role.color)), "hoist": .bool(role.hoist),
            "managed": .bool(role.managed), "mentionable": .bool(role.mentionable), "icon": nil,
            "unicode_emoji": nil, "flags": 0,
            "colors": ["primary_color": .int(Int64(role.color)), "secondary_color": nil, "tertiary_color": nil],
        ]
    }

    func overwriteJSON(_ overwrite: OverwriteRecord) -> JSON {
        [
            "id": .id(overwrite.id), "type": .int(Int64(overwrite.type)),
            "allow": .string(String(overwrite.allow)), "deny": .string(String(overwrite.deny)),
        ]
    }

    func channelJSON(_ channel: ChannelRecord, includeGuildID: Bool = true) -> JSON {
        var json: JSON = [
            "id": .id(channel.id), "type": .int(Int64(channel.type)), "flags": 0,
        ]
        if channel.guildID == nil {
            json["recipients"] = .array(channel.recipientIDs.map { userJSON($0) })
            json["last_message_id"] = nil
            return json
        }
        json["name"] = .string(channel.name)
        json["position"] = .int(Int64(channel.position))
        json["parent_id"] = .id(channel.parentID)
        json["permission_overwrites"] = .array(channel.overwrites.map(overwriteJSON))
        json["nsfw"] = false
        if includeGuildID { json["guild_id"] = .id(channel.guildID) }
        switch channel.type {
        case 2, 13:
            json["bitrate"] = .int(Int64(channel.bitrate))
            json["user_limit"] = .int(Int64(channel.userLimit))
            json["rtc_region"] = channel.rtcRegion.map { .string($0) } ?? .null
        case 0, 5:
            json["topic"] = channel.topic.map { .string($0) } ?? .null
            json["last_message_id"] = nil
            json["rate_limit_per_user"] = 0
        default:
            break
        }
        return json
    }

    func memberJSON(_ member: MemberRecord, guild: GuildRecord, includeUser: Bool = true) -> JSON {
        var json: JSON = [
            "roles": .ids(member.roleIDs), "nick": member.nick.map { .string($0) } ?? .null,
            "joined_at": .string(member.joinedAt), "deaf": .bool(member.deaf), "mute": .bool(member.mute),
            "flags": 0, "pending": false, "avatar": nil, "banner": nil, "premium_since": nil,
            "communication_disabled_until": nil,
        ]
        if includeUser { json["user"] = userJSON(member.userID) }
        return json
    }

    func voiceStateJSON(_ state: VoiceStateRecord?, userID: UInt64, guild: GuildRecord, includeGuild: Bool) -> JSON {
        var json: JSON = [
            "user_id": .id(userID), "channel_id": .id(state?.channelID),
            "session_id": .string(state?.sessionID ?? ""), "deaf": .bool(state?.deaf ?? false),
            "mute": .bool(state?.mute ?? false), "self_deaf": .bool(state?.selfDeaf ?? false),
            "self_mute": .bool(state?.selfMute ?? false), "self_video": false, "self_stream": false,
            "suppress": false,
            "request_to_speak_timestamp": nil,
        ]
        if includeGuild {
            json["guild_id"] = .id(guild.id)
            if let member = guild.members[userID] { json["member"] = memberJSON(member, guild: guild) }
        }
        return json
    }

    /// GUILD_CREATE for one bot. Without GUILD_MEMBERS (or in a large guild) members are only the
    /// bot itself and users in voice, as on Discord.
    func guildCreateJSON(_ guild: GuildRecord, botUserID: UInt64, intents: UInt64, largeThreshold: Int) -> JSON {
        let large = guild.members.count > largeThreshold
        let fullMembers = intents & Intent.guildMembers != 0 && !large
        let memberIDs = guild.members.keys.filter {
            fullMembers || $0 == botUserID || guild.voiceStates[$0] != nil
        }.sorted()
        var json = guildJSON(guild)
        json["channels"] = .array(guild.channels.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
            .map { channelJSON($0, includeGuildID: false) })
        json["members"] = .array(memberIDs.compactMap { id in guild.members[id].map { memberJSON($0, guild: guild) } })
        json["voice_states"] = .array(guild.voiceStates.values.sorted { $0.userID < $1.userID }
            .map { voiceStateJSON($0, userID: $0.userID, guild: guild, includeGuild: false) })
        json["member_count"] = .int(Int64(guild.members.count))
        json["large"] = .bool(large)
        json["unavailable"] = false
        json["joined_at"] = guild.members[botUserID].map { .string($0.joinedAt) } ?? .null
        json["threads"] = []
        json["presences"] = []
        json["stage_instances"] = []
        json["guild_scheduled_events"] = []
        json["soundboard_sounds"] = []
        return json
    }

    /// The guild object of REST and GUILD_CREATE without the gateway-only fields.
    func guildJSON(_ guild: GuildRecord) -> JSON {
        [
            "id": .id(guild.id), "name": .string(guild.name), "icon": nil, "splash": nil,
            "discovery_splash": nil, "owner_id": .id(guild.ownerID), "afk_channel_id": nil, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "roles": .array(guild.roles.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.map(roleJSON)),
            "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "application_id": nil,
            "system_channel_id": nil, "system_channel_flags": 0, "rules_channel_id": nil,
            "vanity_url_code": nil, "description": nil, "banner": nil, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": .string(guild.preferredLocale),
            "public_updates_channel_id": nil, "nsfw_level": 0, "premium_progress_bar_enabled": false,
            "max_video_channel_users": 25, "max_members": 500000, "max_stage_video_channel_users": 50,
            "max_presences": nil, "home_header": nil, "region": "deprecated", "widget_enabled": false,
            "widget_channel_id": nil, "safety_alerts_channel_id": nil, "nsfw": false, "incidents_data": nil,
        ]
    }

    func messageJSON(_ message: MessageRecord, contentVisible: Bool = true) -> JSON {
        var json: JSON = [
            "id": .id(message.id), "channel_id": .id(message.channelID), "author": userJSON(message.authorID),
            "content": .string(contentVisible ? message.content : ""), "timestamp": .string(message.timestamp),
            "edited_timestamp": message.editedTimestamp.map { .string($0) } ?? .null, "tts": .bool(message.tts),
            "mention_everyone": false, "mentions": .array(message.mentionIDs.map { userJSON($0) }),
            "mention_roles": [], "attachments": [], "pinned": false, "type": .int(Int64(message.type)),
            "flags": .int(Int64(message.flags)),
            "embeds": .array(contentVisible ? message.embeds.map(Self.embedAsSent) : []),
            "components": .array(contentVisible ? Self.numbered(message.components) : []),
        ]
        if let guildID = message.guildID { json["guild_id"] = .id(guildID) }
        if let webhookID = message.webhookID { json["webhook_id"] = .id(webhookID) }
        if let applicationID = message.applicationID { json["application_id"] = .id(applicationID) }
        if let metadata = message.interactionMetadata { json["interaction_metadata"] = metadata }
        if let summary = message.interactionSummary { json["interaction"] = summary }
        return json
    }

    /// An embed as Discord returns it: `type` "rich" and every field's `inline` filled in.
    static func embedAsSent(_ embed: JSON) -> JSON {
        guard case .object(var fields) = embed else { return embed }
        if fields["type"] == nil { fields["type"] = "rich" }
        if let list = fields["fields"]?.arrayValue {
            fields["fields"] = .array(list.map { field in
                guard case .object(var entry) = field else { return field }
                if entry["inline"] == nil { entry["inline"] = false }
                return .object(entry)
            })
        }
        return .object(fields)
    }

    /// Components as Discord returns them: each one numbered (`id`, depth first from 1) unless the
    /// bot gave it an id.
    static func numbered(_ components: [JSON]) -> [JSON] {
        var next: Int64 = 1
        func number(_ component: JSON) -> JSON {
            guard case .object(var fields) = component else { return component }
            if fields["id"] == nil { fields["id"] = .int(next) }
            next += 1
            if let children = fields["components"]?.arrayValue { fields["components"] = .array(children.map(number)) }
            if let accessory = fields["accessory"] { fields["accessory"] = number(accessory) }
            return .object(fields)
        }
        return components.map(number)
    }
}
