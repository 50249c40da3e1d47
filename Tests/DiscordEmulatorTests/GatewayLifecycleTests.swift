import DiscordEmulator
import Testing

@Suite("Gateway: hello, identify, ready, guild create, heartbeats")
struct GatewayLifecycleTests {
    @Test func identifyGetsReadyThenGuildCreateWithTheWorld() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            let ready = try await gateway.identify(token: fixture.bot.token)
            #expect(ready["v"]?.intValue == 10)
            #expect(ready["user"]?["id"]?.stringValue == String(fixture.bot.userID))
            #expect(ready["user"]?["bot"]?.boolValue == true)
            #expect(ready["session_id"]?.stringValue?.isEmpty == false)
            #expect(ready["resume_gateway_url"]?.stringValue == fixture.emulator.gatewayURL)
            #expect(ready["application"]?["id"]?.stringValue == String(fixture.bot.applicationID))
            let guilds = try #require(ready["guilds"]?.arrayValue)
            #expect(guilds.count == 1)
            #expect(guilds.first?["unavailable"]?.boolValue == true)

            let create = try await gateway.dispatch("GUILD_CREATE")
            #expect(create["s"]?.intValue == 2)
            let guild = try #require(create["d"])
            #expect(guild["id"]?.stringValue == String(fixture.guildID))
            let channels = try #require(guild["channels"]?.arrayValue)
            #expect(channels.count == 2)
            let voice = try #require(channels.first { $0["type"]?.intValue == 2 })
            #expect(voice["user_limit"]?.intValue == 2)
            #expect(voice["bitrate"] != nil)
            let roles = try #require(guild["roles"]?.arrayValue)
            #expect(roles.contains { $0["id"]?.stringValue == String(fixture.guildID) && $0["name"]?.stringValue == "@everyone" })
            // Without GUILD_MEMBERS only the bot itself (and users in voice) are listed.
            let members = try #require(guild["members"]?.arrayValue)
            #expect(members.map { $0["user"]?["id"]?.stringValue } == [String(fixture.bot.userID)])
            #expect(guild["member_count"]?.intValue == 2)
            #expect(guild["large"]?.boolValue == false)
            #expect(guild["voice_states"]?.arrayValue?.isEmpty == true)
            await gateway.close()
        }
    }

    @Test func everyHeartbeatIsAckedEvenBeforeIdentify() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            let hello = try await gateway.nextPayload()
            #expect(hello["op"]?.intValue == 10)
            #expect(hello["d"]?["heartbeat_interval"]?.intValue == 41_250)
            for _ in 0..<3 { gateway.send(["op": 1, "d": nil]) }
            for _ in 0..<3 {
                #expect(try await gateway.nextPayload()["op"]?.intValue == 11)
            }
            await gateway.close()
        }
    }

    @Test func badTokenClosesWith4004() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            _ = try await gateway.nextPayload()
            gateway.send(["op": 2, "d": ["token": "not-a-token", "intents": 1, "properties": [:]]])
            #expect(try await gateway.closeCode() == 4004)
        }
    }

    @Test func unknownIdentifyKeysAreIgnored() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            _ = try await gateway.nextPayload()
            gateway.send(["op": 2, "d": [
                "token": .string(fixture.bot.token), "intents": 1, "properties": ["$os": "linux"],
                "compress": false, "large_threshold": 250, "capabilities": 16381, "client_state": ["x": 1],
            ]])
            _ = try await gateway.dispatch("READY")
            await gateway.close()
        }
    }

    @Test func payloadBeforeIdentifyClosesWith4003AndOversizedWith4002() async throws {
        try await EmulatorFixture.with { fixture in
            let first = fixture.gateway()
            _ = try await first.nextPayload()
            first.send(["op": 4, "d": ["guild_id": "1", "channel_id": nil]])
            #expect(try await first.closeCode() == 4003)

            let second = fixture.gateway()
            _ = try await second.nextPayload()
            second.send(["op": 1, "d": .string(String(repeating: "x", count: 5000))])
            #expect(try await second.closeCode() == 4002)
        }
    }

    @Test func privilegedIntentsTheAppLacksCloseWith4014AndUnknownBitsWith4013() async throws {
        try await EmulatorFixture.with { fixture in
            let restricted = await fixture.emulator.createBot(name: "Plain", privilegedIntents: 0)
            let first = fixture.gateway()
            _ = try await first.nextPayload()
            first.send(["op": 2, "d": ["token": .string(restricted.token), "intents": 32768, "properties": [:]]])
            #expect(try await first.closeCode() == 4014)

            let second = fixture.gateway()
            _ = try await second.nextPayload()
            second.send(["op": 2, "d": ["token": .string(restricted.token), "intents": .int(1 << 40), "properties": [:]]])
            #expect(try await second.closeCode() == 4013)
        }
    }

    @Test func joiningAGuildLaterSendsGuildCreateAndLeavingSendsGuildDelete() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: 1 | 2)
            _ = try await gateway.dispatch("GUILD_CREATE")
            let second = try await fixture.emulator.createGuild(name: "Second", ownerID: fixture.userID)
            try await fixture.emulator.addMember(fixture.bot.userID, to: second)
            let created = try await gateway.dispatch("GUILD_CREATE")
            #expect(created["d"]?["id"]?.stringValue == String(second))
            // With GUILD_MEMBERS in a small guild every member is listed.
            #expect(created["d"]?["members"]?.arrayValue?.count == 2)
            try await fixture.emulator.removeMember(fixture.bot.userID, from: second)
            let deleted = try await gateway.dispatch("GUILD_DELETE")
            #expect(deleted["d"]?["id"]?.stringValue == String(second))
            await gateway.close()
        }
    }
}
