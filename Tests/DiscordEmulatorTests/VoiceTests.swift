import DiscordEmulator
import Testing

@Suite("Voice: op 4 join/leave, intents, full channels")
struct VoiceTests {
    static let voiceIntents: Int64 = 1 | 128

    @Test func joinWithIntegerIdsSendsStateAndServerUpdateThenLeave() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: Self.voiceIntents)
            _ = try await gateway.dispatch("GUILD_CREATE")
            // discord.py sends ids as integers.
            gateway.send(["op": 4, "d": ["guild_id": .int(Int64(fixture.guildID)),
                                         "channel_id": .int(Int64(fixture.voiceChannelID)),
                                         "self_mute": false, "self_deaf": true]])
            var state: EmulatorJSON?
            var server: EmulatorJSON?
            while state == nil || server == nil {
                let payload = try await gateway.nextPayload()
                switch payload["t"]?.stringValue {
                case "VOICE_STATE_UPDATE": state = payload["d"]
                case "VOICE_SERVER_UPDATE": server = payload["d"]
                default: break
                }
            }
            #expect(state?["channel_id"]?.stringValue == String(fixture.voiceChannelID))
            #expect(state?["user_id"]?.stringValue == String(fixture.bot.userID))
            #expect(state?["guild_id"]?.stringValue == String(fixture.guildID))
            #expect(state?["self_deaf"]?.boolValue == true)
            #expect(state?["session_id"]?.stringValue?.isEmpty == false)
            #expect(state?["member"]?["user"]?["id"]?.stringValue == String(fixture.bot.userID))
            #expect(server?["token"]?.stringValue?.isEmpty == false)
            #expect(server?["guild_id"]?.stringValue == String(fixture.guildID))
            let endpoint = try #require(server?["endpoint"]?.stringValue)
            #expect(!endpoint.contains("://"))
            #expect(await fixture.emulator.voiceChannel(of: fixture.bot.userID, in: fixture.guildID) == fixture.voiceChannelID)

            gateway.send(["op": 4, "d": ["guild_id": .string(String(fixture.guildID)), "channel_id": nil,
                                         "self_mute": false, "self_deaf": false]])
            let left = try await gateway.dispatch("VOICE_STATE_UPDATE")
            #expect(left["d"]?["channel_id"]?.isNull == true)
            #expect(await fixture.emulator.voiceChannel(of: fixture.bot.userID, in: fixture.guildID) == nil)
            await gateway.close()
        }
    }

    @Test func fullChannelGetsNoAnswerWithoutMoveMembers() async throws {
        try await EmulatorFixture.with { fixture in
            for name in ["u1", "u2"] {
                let user = await fixture.emulator.createUser(username: name)
                try await fixture.emulator.addMember(user, to: fixture.guildID)
                try await fixture.emulator.setVoiceChannel(of: user, in: fixture.guildID, to: fixture.voiceChannelID)
            }
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: Self.voiceIntents)
            _ = try await gateway.dispatch("GUILD_CREATE")
            gateway.send(["op": 4, "d": ["guild_id": .string(String(fixture.guildID)),
                                         "channel_id": .string(String(fixture.voiceChannelID))]])
            gateway.send(["op": 1, "d": nil])
            // Nothing comes before the heartbeat ACK: the join was silently refused.
            #expect(try await gateway.nextPayload()["op"]?.intValue == 11)

            let mover = try await fixture.emulator.createRole(in: fixture.guildID, name: "Mover", permissions: 1 << 24)
            try await fixture.emulator.addMember(fixture.bot.userID, to: fixture.guildID, roles: [mover])
            gateway.send(["op": 4, "d": ["guild_id": .string(String(fixture.guildID)),
                                         "channel_id": .string(String(fixture.voiceChannelID))]])
            _ = try await gateway.dispatch("VOICE_SERVER_UPDATE")
            await gateway.close()
        }
    }

    @Test func voiceStatesGoOnlyToBotsWithTheIntent() async throws {
        try await EmulatorFixture.with { fixture in
            let deaf = await fixture.emulator.createBot(name: "NoVoice")
            try await fixture.emulator.addMember(deaf.userID, to: fixture.guildID)
            let listening = fixture.gateway()
            try await listening.identify(token: fixture.bot.token, intents: Self.voiceIntents)
            _ = try await listening.dispatch("GUILD_CREATE")
            let other = fixture.gateway()
            try await other.identify(token: deaf.token, intents: 1)
            _ = try await other.dispatch("GUILD_CREATE")

            try await fixture.emulator.setVoiceChannel(of: fixture.userID, in: fixture.guildID, to: fixture.voiceChannelID)
            _ = try await fixture.emulator.createChannel(in: fixture.guildID, name: "after")

            let seen = try await listening.nextPayload()
            #expect(seen["t"]?.stringValue == "VOICE_STATE_UPDATE")
            #expect(seen["d"]?["user_id"]?.stringValue == String(fixture.userID))
            // The bot without GUILD_VOICE_STATES sees the next event (GUILDS) but not the voice state.
            #expect(try await other.nextPayload()["t"]?.stringValue == "CHANNEL_CREATE")
            await listening.close()
            await other.close()
        }
    }
}
