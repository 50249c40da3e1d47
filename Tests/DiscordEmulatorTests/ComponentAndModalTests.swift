import DiscordEmulator
import Testing

@Suite("Interactions: selects, modals, autocomplete, DMs, all through the control API")
struct ComponentAndModalTests {
    @Test func selectModalAndAutocompleteOverTheControlAPI() async throws {
        try await EmulatorFixture.with { fixture in
            let app = String(fixture.bot.applicationID)
            let user = String(fixture.userID)
            let channel = String(fixture.textChannelID)
            _ = try await fixture.rest(.PUT, "/applications/\(app)/guilds/\(fixture.guildID)/commands", body: [[
                "name": "music", "description": "Music",
                "options": [["name": "play", "description": "Play", "type": 1, "options": [
                    ["name": "query", "description": "What", "type": 3, "required": true, "autocomplete": true],
                ]]],
            ]])
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")

            let typed = try await fixture.control(.POST, "/interactions/autocomplete", body: [
                "application_id": .string(app), "channel_id": .string(channel), "user_id": .string(user),
                "name": "music play", "options": ["query": "lo"], "focused": "query",
            ])
            #expect(typed.json?["delivered"]?.boolValue == true)
            let event = try #require(try await gateway.dispatch("INTERACTION_CREATE")["d"])
            #expect(event["type"]?.intValue == 4)
            let sub = try #require(event["data"]?["options"]?.arrayValue?.first)
            #expect(sub["name"]?.stringValue == "play")
            #expect(sub["type"]?.intValue == 1)
            #expect(sub["options"]?.arrayValue?.first?["focused"]?.boolValue == true)
            let id = try #require(typed.json?["id"]?.stringValue)
            let token = try #require(typed.json?["token"]?.stringValue)
            let wrongType = try await fixture.rest(.POST, "/interactions/\(id)/\(token)/callback",
                                                   body: ["type": 4, "data": ["content": "no"]], token: .some(nil))
            #expect(wrongType.json?["code"]?.intValue == 50035)
            let choices = try await fixture.rest(.POST, "/interactions/\(id)/\(token)/callback",
                                                 body: ["type": 8, "data": ["choices": [["name": "lofi", "value": "lofi"]]]],
                                                 token: .some(nil))
            #expect(choices.status == 204)

            let posted = try await fixture.rest(.POST, "/channels/\(channel)/messages", body: [
                "content": "Pick", "components": [["type": 1, "components": [[
                    "type": 3, "custom_id": "pick", "options": [["label": "A", "value": "a"], ["label": "B", "value": "b"]],
                ]]]],
            ])
            let messageID = try #require(posted.json?["id"]?.stringValue)
            let picked = try await fixture.control(.POST, "/interactions/components", body: [
                "message_id": .string(messageID), "user_id": .string(user), "custom_id": "pick", "values": ["b"],
            ])
            #expect(picked.status == 200)
            let selectEvent = try #require(try await gateway.dispatch("INTERACTION_CREATE")["d"])
            #expect(selectEvent["data"]?["values"]?.arrayValue == ["b"])
            #expect(selectEvent["data"]?["component_type"]?.intValue == 3)
            #expect(selectEvent["message"]?["id"]?.stringValue == messageID)
            let badValue = try await fixture.control(.POST, "/interactions/components", body: [
                "message_id": .string(messageID), "user_id": .string(user), "custom_id": "pick", "values": ["z"],
            ])
            #expect(badValue.status == 400)

            let submitted = try await fixture.control(.POST, "/interactions/modals", body: [
                "application_id": .string(app), "channel_id": .string(channel), "user_id": .string(user),
                "custom_id": "feedback", "values": ["text": "great"], "locale": "ja",
            ])
            #expect(submitted.status == 200)
            let modalEvent = try #require(try await gateway.dispatch("INTERACTION_CREATE")["d"])
            #expect(modalEvent["type"]?.intValue == 5)
            #expect(modalEvent["locale"]?.stringValue == "ja")
            let input = modalEvent["data"]?["components"]?.arrayValue?.first?["components"]?.arrayValue?.first
            #expect(input?["custom_id"]?.stringValue == "text")
            #expect(input?["value"]?.stringValue == "great")

            let record = try await fixture.control(.GET, "/interactions/\(id)")
            #expect(record.json?["callback_type"]?.intValue == 8)
            await gateway.close()
        }
    }

    @Test func unregisteredCommandsCannotBeInvoked() async throws {
        try await EmulatorFixture.with { fixture in
            let response = try await fixture.control(.POST, "/interactions/commands", body: [
                "application_id": .string(String(fixture.bot.applicationID)),
                "channel_id": .string(String(fixture.textChannelID)), "user_id": .string(String(fixture.userID)),
                "name": "nothing",
            ])
            #expect(response.status == 404)
            #expect(response.json?["code"]?.intValue == 10063)
        }
    }

    @Test func directMessagesReachTheBotWithContent() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token, intents: 1 | (1 << 12))
            _ = try await gateway.dispatch("GUILD_CREATE")
            let dm = try await fixture.rest(.POST, "/users/@me/channels", body: ["recipient_id": .string(String(fixture.userID))])
            #expect(dm.json?["type"]?.intValue == 1)
            let channelID = try #require(dm.json?["id"]?.stringValue)
            #expect(dm.json?["recipients"]?.arrayValue?.first?["id"]?.stringValue == String(fixture.userID))
            let again = try await fixture.rest(.POST, "/users/@me/channels", body: ["recipient_id": .string(String(fixture.userID))])
            #expect(again.json?["id"]?.stringValue == channelID)
            _ = try await fixture.control(.POST, "/channels/\(channelID)/messages",
                                          body: ["user_id": .string(String(fixture.userID)), "content": "hi bot"])
            let message = try await gateway.dispatch("MESSAGE_CREATE")
            #expect(message["d"]?["content"]?.stringValue == "hi bot")
            #expect(message["d"]?["guild_id"] == nil)
            await gateway.close()
        }
    }
}
