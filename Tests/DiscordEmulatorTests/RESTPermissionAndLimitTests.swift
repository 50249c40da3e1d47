import DiscordEmulator
import Testing

@Suite("REST: permissions, validation, rate limits, faults, recorded activity")
struct RESTPermissionAndLimitTests {
    @Test func movingAMemberNeedsMoveMembersAndFiresVoiceAndMemberUpdates() async throws {
        try await EmulatorFixture.with { fixture in
            let other = try await fixture.emulator.createChannel(in: fixture.guildID, name: "Other", type: .voice)
            try await fixture.emulator.setVoiceChannel(of: fixture.userID, in: fixture.guildID, to: fixture.voiceChannelID)
            let path = "/guilds/\(fixture.guildID)/members/\(fixture.userID)"
            let denied = try await fixture.rest(.PATCH, path, body: ["channel_id": .string(String(other))])
            #expect(denied.status == 403)
            #expect(denied.json?["code"]?.intValue == 50013)
            #expect(denied.json?["message"]?.stringValue == "Missing Permissions")

            let mover = try await fixture.emulator.createRole(in: fixture.guildID, name: "Mover", permissions: 1 << 24)
            try await fixture.emulator.addMember(fixture.bot.userID, to: fixture.guildID, roles: [mover])
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: 1 | 2 | 128)
            _ = try await gateway.dispatch("GUILD_CREATE")
            let moved = try await fixture.rest(.PATCH, path, body: ["channel_id": .string(String(other))])
            #expect(moved.status == 200)
            #expect(await fixture.emulator.voiceChannel(of: fixture.userID, in: fixture.guildID) == other)
            let voice = try await gateway.dispatch("VOICE_STATE_UPDATE")
            #expect(voice["d"]?["channel_id"]?.stringValue == String(other))
            _ = try await gateway.dispatch("GUILD_MEMBER_UPDATE")
            let activity = await fixture.emulator.activity(applicationID: fixture.bot.applicationID, kind: "member_moved")
            #expect(activity.count == 1)
            #expect(activity.first?.details["to_channel_id"]?.stringValue == String(other))
            #expect(activity.first?.at.isEmpty == false)

            try await fixture.emulator.setVoiceChannel(of: fixture.userID, in: fixture.guildID, to: nil)
            let notInVoice = try await fixture.rest(.PATCH, path, body: ["channel_id": .string(String(other))])
            #expect(notInVoice.json?["code"]?.intValue == 40032)
            await gateway.close()
        }
    }

    @Test func voiceStatusNeedsTheBotInTheChannelWithThePermissionOrManageChannels() async throws {
        try await EmulatorFixture.with { fixture in
            let path = "/channels/\(fixture.voiceChannelID)/voice-status"
            let body: EmulatorJSON = ["status": "Now playing: lofi beats"]
            let outside = try await fixture.rest(.PUT, path, body: body)
            #expect(outside.status == 403 && outside.json?["code"]?.intValue == 50013, "not connected, no Manage Channels")
            let status = try await fixture.emulator.createRole(in: fixture.guildID, name: "Status", permissions: 1 << 48)
            try await fixture.emulator.addMember(fixture.bot.userID, to: fixture.guildID, roles: [status])
            #expect(try await fixture.rest(.PUT, path, body: body).status == 403, "the permission alone needs a connection")
            try await fixture.emulator.setVoiceChannel(of: fixture.bot.userID, in: fixture.guildID, to: fixture.voiceChannelID)
            #expect(try await fixture.rest(.PUT, path, body: body).status == 204)
            #expect(await fixture.emulator.voiceStatus(of: fixture.voiceChannelID) == "Now playing: lofi beats")

            let long = try await fixture.rest(.PUT, path, body: ["status": .string(String(repeating: "x", count: 501))])
            #expect(long.status == 400 && long.json?["code"]?.intValue == 50035)
            #expect(long.json?["errors"]?["status"]?["_errors"]?.arrayValue?.first?["code"]?.stringValue == "BASE_TYPE_MAX_LENGTH")
            let text = try await fixture.rest(.PUT, "/channels/\(fixture.textChannelID)/voice-status", body: body)
            #expect(text.status == 400 && text.json?["code"]?.intValue == 50024)
            #expect(try await fixture.rest(.PUT, path, body: ["status": .null]).status == 204)
            #expect(await fixture.emulator.voiceStatus(of: fixture.voiceChannelID) == nil, "null clears it")
        }
    }

    @Test func rolesNeedManageRolesAndAHigherRole() async throws {
        try await EmulatorFixture.with { fixture in
            let dj = try await fixture.emulator.createRole(in: fixture.guildID, name: "DJ", permissions: 0)
            let path = "/guilds/\(fixture.guildID)/members/\(fixture.userID)/roles/\(dj)"
            #expect(try await fixture.rest(.PUT, path).json?["code"]?.intValue == 50013)
            let manager = try await fixture.emulator.createRole(in: fixture.guildID, name: "Manager", permissions: 1 << 28)
            try await fixture.emulator.addMember(fixture.bot.userID, to: fixture.guildID, roles: [manager])
            #expect(try await fixture.rest(.PUT, path).status == 204)
            #expect(await fixture.emulator.roles(of: fixture.userID, in: fixture.guildID) == [dj])
            #expect(try await fixture.rest(.DELETE, path).status == 204)
            #expect(await fixture.emulator.roles(of: fixture.userID, in: fixture.guildID) == [])
            let kinds = await fixture.emulator.activity(applicationID: fixture.bot.applicationID).map(\.kind)
            #expect(kinds == ["role_added", "role_removed"])
            let unknown = try await fixture.rest(.PUT, "/guilds/\(fixture.guildID)/members/\(fixture.userID)/roles/1")
            #expect(unknown.json?["code"]?.intValue == 10011)
        }
    }

    @Test func creatingVoiceChannelsNeedsManageChannels() async throws {
        try await EmulatorFixture.with { fixture in
            let body: EmulatorJSON = ["name": "Session 1", "type": 2, "user_limit": 4]
            let path = "/guilds/\(fixture.guildID)/channels"
            #expect(try await fixture.rest(.POST, path, body: body).json?["code"]?.intValue == 50013)
            let admin = try await fixture.emulator.createRole(in: fixture.guildID, name: "Chan", permissions: 1 << 4)
            try await fixture.emulator.addMember(fixture.bot.userID, to: fixture.guildID, roles: [admin])
            let created = try await fixture.rest(.POST, path, body: body)
            #expect(created.status == 201)
            #expect(created.json?["user_limit"]?.intValue == 4)
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(try await fixture.rest(.DELETE, "/channels/\(id)").status == 200)
            #expect(try await fixture.rest(.GET, "/channels/\(id)").json?["code"]?.intValue == 10003)
            let kinds = await fixture.emulator.activity(applicationID: fixture.bot.applicationID).map(\.kind)
            #expect(kinds == ["channel_created", "channel_deleted"])
        }
    }

    @Test func messageLimitsAreValidatedWithNestedErrors() async throws {
        try await EmulatorFixture.with { fixture in
            let path = "/channels/\(fixture.textChannelID)/messages"
            let long = try await fixture.rest(.POST, path, body: ["content": .string(String(repeating: "a", count: 2001))])
            #expect(long.status == 400)
            #expect(long.json?["code"]?.intValue == 50035)
            #expect(long.json?["errors"]?["content"]?["_errors"]?.arrayValue?.first?["code"]?.stringValue
                == "BASE_TYPE_MAX_LENGTH")
            let empty = try await fixture.rest(.POST, path, body: ["content": ""])
            #expect(empty.json?["code"]?.intValue == 50006)
            let duplicated = try await fixture.rest(.POST, path, body: ["content": "x", "components": [["type": 1, "components": [
                ["type": 2, "style": 1, "custom_id": "a", "label": "A"], ["type": 2, "style": 1, "custom_id": "a", "label": "B"],
            ]]]])
            #expect(duplicated.json?["errors"]?["components"]?["0"]?["components"]?["1"]?["custom_id"] != nil)
        }
    }

    @Test func bucketRunsOutInto429AndRecoversAfterTheWindow() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.clockFollowsRealTime = false
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            let path = "/channels/\(fixture.textChannelID)/messages"
            var bucket: String?
            for index in 0..<5 {
                let response = try await fixture.rest(.POST, path, body: ["content": .string("m\(index)")])
                #expect(response.status == 200)
                #expect(response.headers.first(name: "X-RateLimit-Limit") == "5")
                #expect(response.headers.first(name: "X-RateLimit-Remaining") == String(4 - index))
                bucket = response.headers.first(name: "X-RateLimit-Bucket")
            }
            let limited = try await fixture.rest(.POST, path, body: ["content": "too many"])
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "X-RateLimit-Bucket") == bucket)
            #expect(limited.headers.first(name: "X-RateLimit-Scope") == "user")
            #expect(limited.headers.first(name: "Retry-After") != nil)
            #expect(limited.headers.first(name: "Via") != nil)
            #expect(limited.headers.first(name: "Content-Type") == "application/json")
            #expect(limited.json?["global"]?.boolValue == false)
            #expect((limited.json?["retry_after"]?.doubleValue ?? 0) > 0)
            // Another channel is another bucket.
            let otherChannel = try await fixture.emulator.createChannel(in: fixture.guildID, name: "other")
            #expect(try await fixture.rest(.POST, "/channels/\(otherChannel)/messages", body: ["content": "ok"]).status == 200)

            fixture.emulator.advanceClock(by: .seconds(5))
            #expect(try await fixture.rest(.POST, path, body: ["content": "again"]).status == 200)
        }
    }

    @Test func injectedFaultsReturnTheForcedStatus() async throws {
        try await EmulatorFixture.with { fixture in
            await fixture.emulator.failRequests(path: "/users/@me", status: 429, retryAfter: 2.5, global: true)
            let limited = try await fixture.rest(.GET, "/users/@me")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "X-RateLimit-Global") == "true")
            #expect(limited.headers.first(name: "Retry-After") == "3")
            #expect(limited.json?["retry_after"]?.doubleValue == 2.5)
            await fixture.emulator.failRequests(path: "/gateway/bot", status: 502, count: 2)
            #expect(try await fixture.rest(.GET, "/gateway/bot").status == 502)
            #expect(try await fixture.rest(.GET, "/gateway/bot").status == 502)
            #expect(try await fixture.rest(.GET, "/gateway/bot").status == 200)
        }
    }

    @Test func messageContentIsEmptyWithoutTheIntentUnlessMentioned() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: 1 | 512)
            _ = try await gateway.dispatch("GUILD_CREATE")
            _ = try await fixture.emulator.sendMessage("hello", in: fixture.textChannelID, as: fixture.userID)
            #expect(try await gateway.dispatch("MESSAGE_CREATE")["d"]?["content"]?.stringValue == "")
            _ = try await fixture.emulator.sendMessage("<@\(fixture.bot.userID)> play", in: fixture.textChannelID,
                                                       as: fixture.userID)
            #expect(try await gateway.dispatch("MESSAGE_CREATE")["d"]?["content"]?.stringValue
                == "<@\(fixture.bot.userID)> play")
            await gateway.close()
        }
    }

    @Test func controlAPIReadsActivityAndMessagesOverHTTP() async throws {
        try await EmulatorFixture.with { fixture in
            _ = try await fixture.rest(.POST, "/channels/\(fixture.textChannelID)/messages", body: ["content": "hi"])
            let activity = try await fixture.control(.GET, "/activity?application_id=\(fixture.bot.applicationID)")
            let entry = try #require(activity.json?.arrayValue?.first)
            #expect(entry["kind"]?.stringValue == "message_created")
            #expect(entry["details"]?["content"]?.stringValue == "hi")
            #expect(entry["at"]?.stringValue?.contains("T") == true)
            let messages = try await fixture.control(.GET, "/channels/\(fixture.textChannelID)/messages")
            #expect(messages.json?.arrayValue?.count == 1)
            let sent = try await fixture.control(.POST, "/channels/\(fixture.textChannelID)/messages",
                                                 body: ["user_id": .string(String(fixture.userID)), "content": "yo"])
            #expect(sent.json?["author"]?["id"]?.stringValue == String(fixture.userID))
        }
    }

    @Test func globalLimitSpansBucketsButNotInteractionCallbacks() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.globalRateLimit = 3
        configuration.clockFollowsRealTime = false
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            for path in ["/users/@me", "/gateway/bot", "/guilds/\(fixture.guildID)"] {
                #expect(try await fixture.rest(.GET, path).status == 200)
            }
            let limited = try await fixture.rest(.GET, "/guilds/\(fixture.guildID)/roles")
            #expect(limited.status == 429)
            #expect(limited.json?["global"]?.boolValue == true)
            #expect(limited.headers.first(name: "X-RateLimit-Global") == "true")
            #expect(limited.headers.first(name: "X-RateLimit-Scope") == "global")
            // Interaction endpoints are outside the global limit.
            let unknown = try await fixture.rest(.POST, "/interactions/1/x/callback", body: ["type": 1], token: .some(nil))
            #expect(unknown.json?["code"]?.intValue == 10062)
            fixture.emulator.advanceClock(by: .seconds(1))
            #expect(try await fixture.rest(.GET, "/guilds/\(fixture.guildID)/roles").status == 200)
        }
    }
}
