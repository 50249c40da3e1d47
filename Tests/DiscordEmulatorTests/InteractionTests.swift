import DiscordEmulator
import Testing

@Suite("Interactions: commands, callbacks, deadlines, followups, components")
struct InteractionTests {
    static let pingCommand: EmulatorJSON = [
        "name": "ping", "description": "Pong", "name_localizations": ["de": "pingen"],
        "description_localizations": ["de": "Antwortet"],
        "options": [["name": "word", "description": "What to echo", "type": 3, "required": true],
                    ["name": "times", "description": "How often", "type": 4]],
    ]

    func register(_ fixture: EmulatorFixture) async throws {
        let response = try await fixture.rest(.PUT, "/applications/\(fixture.bot.applicationID)/commands",
                                              body: [Self.pingCommand])
        #expect(response.status == 200)
    }

    @Test func commandRoundTripWithResponseThenSecondCallbackIs40060() async throws {
        try await EmulatorFixture.with { fixture in
            try await register(fixture)
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")

            let interaction = try await fixture.emulator.invokeSlashCommand(
                "ping", application: fixture.bot.applicationID, channel: fixture.textChannelID, user: fixture.userID,
                options: ["word": "hi", "times": 2], locale: "fr"
            )
            #expect(interaction.delivered)
            let event = try #require(try await gateway.dispatch("INTERACTION_CREATE")["d"])
            #expect(event["id"]?.stringValue == String(interaction.id))
            #expect(event["type"]?.intValue == 2)
            #expect(event["token"]?.stringValue == interaction.token)
            #expect(event["version"]?.intValue == 1)
            #expect(event["locale"]?.stringValue == "fr")
            #expect(event["guild_locale"]?.stringValue == "en-US")
            #expect(event["attachment_size_limit"] != nil)
            #expect(event["app_permissions"]?.stringValue != nil)
            #expect(event["member"]?["permissions"]?.stringValue != nil)
            #expect(event["member"]?["user"]?["id"]?.stringValue == String(fixture.userID))
            #expect(event["data"]?["name"]?.stringValue == "ping")
            let options = try #require(event["data"]?["options"]?.arrayValue)
            #expect(options == [["name": "word", "type": 3, "value": "hi"], ["name": "times", "type": 4, "value": 2]])

            let callback = "/interactions/\(interaction.id)/\(interaction.token)/callback"
            let first = try await fixture.rest(.POST, callback + "?with_response=true",
                                               body: ["type": 4, "data": ["content": "pong hi"]], token: .some(nil))
            #expect(first.status == 200)
            #expect(first.json?["interaction"]?["id"]?.stringValue == String(interaction.id))
            #expect(first.json?["resource"]?["type"]?.intValue == 4)
            #expect(first.json?["resource"]?["message"]?["content"]?.stringValue == "pong hi")

            let second = try await fixture.rest(.POST, callback, body: ["type": 4, "data": ["content": "again"]],
                                                token: .some(nil))
            #expect(second.status == 400)
            #expect(second.json?["code"]?.intValue == 40060)

            let followup = try await fixture.rest(.POST, "/webhooks/\(fixture.bot.applicationID)/\(interaction.token)",
                                                  body: ["content": "more", "flags": 64], token: .some(nil))
            #expect(followup.status == 200)
            let edited = try await fixture.rest(
                .PATCH, "/webhooks/\(fixture.bot.applicationID)/\(interaction.token)/messages/@original",
                body: ["content": "pong edited"], token: .some(nil))
            #expect(edited.json?["content"]?.stringValue == "pong edited")

            let record = try #require(await fixture.emulator.interactionRecord(interaction.id))
            #expect(record["callback_type"]?.intValue == 4)
            #expect(record["responses"]?.arrayValue?.map { $0["kind"]?.stringValue } == ["callback", "followup", "original_edited"])
            #expect(record["followup_message_ids"]?.arrayValue?.count == 1)
            // Wall-clock times in ms, in order: what the benchmark's latencies are read from.
            let created = try #require(record["created_at_unix_ms"]?.doubleValue)
            let times = (record["responses"]?.arrayValue ?? []).compactMap { $0["at_unix_ms"]?.doubleValue }
            #expect(times.count == 3)
            #expect(times == times.sorted() && (times.first ?? 0) >= created)
            #expect(try #require(times.first) - created < 60_000)
            #expect(await fixture.emulator.isAcknowledged(interaction.id))
            #expect(await fixture.emulator.isAnswered(interaction.id))
            await gateway.close()
        }
    }

    @Test func callbackAfterTheDeadlineIsUnknownInteraction() async throws {
        try await EmulatorFixture.with { fixture in
            try await register(fixture)
            let interaction = try await fixture.emulator.invokeSlashCommand(
                "ping", application: fixture.bot.applicationID, channel: fixture.textChannelID, user: fixture.userID,
                options: ["word": "late"]
            )
            #expect(!interaction.delivered)
            fixture.emulator.advanceClock(by: .milliseconds(3100))
            let late = try await fixture.rest(.POST, "/interactions/\(interaction.id)/\(interaction.token)/callback",
                                              body: ["type": 5], token: .some(nil))
            #expect(late.status == 404)
            #expect(late.json?["code"]?.intValue == 10062)
        }
    }

    @Test func deferredThenEditedAndTokenExpiresAfterFifteenMinutes() async throws {
        try await EmulatorFixture.with { fixture in
            try await register(fixture)
            let interaction = try await fixture.emulator.invokeSlashCommand(
                "ping", application: fixture.bot.applicationID, channel: fixture.textChannelID, user: fixture.userID,
                options: ["word": "x"]
            )
            let base = "/webhooks/\(fixture.bot.applicationID)/\(interaction.token)/messages/@original"
            #expect(try await fixture.rest(.POST, "/interactions/\(interaction.id)/\(interaction.token)/callback",
                                           body: ["type": 5], token: .some(nil)).status == 204)
            #expect(await fixture.emulator.isAcknowledged(interaction.id))
            #expect(await !fixture.emulator.isAnswered(interaction.id), "a deferred reply is not an answer yet")
            fixture.emulator.advanceClock(by: .seconds(60))
            #expect(try await fixture.rest(.PATCH, base, body: ["content": "done"], token: .some(nil)).status == 200)
            #expect(await fixture.emulator.isAnswered(interaction.id))
            fixture.emulator.advanceClock(by: .seconds(15 * 60))
            let expired = try await fixture.rest(.PATCH, base, body: ["content": "too late"], token: .some(nil))
            #expect(expired.status == 401)
            #expect(expired.json?["code"]?.intValue == 50027)
        }
    }

    @Test func buttonPressAndUpdateMessage() async throws {
        try await EmulatorFixture.with { fixture in
            let posted = try await fixture.rest(.POST, "/channels/\(fixture.textChannelID)/messages", body: [
                "content": "Vote?", "components": [["type": 1, "components": [
                    ["type": 2, "style": 1, "custom_id": "vote:yes", "label": "Yes"],
                    ["type": 2, "style": 5, "url": "https://example.com", "label": "Docs"],
                ]]],
            ])
            #expect(posted.status == 200)
            let messageID = try #require(posted.json?["id"]?.stringValue.flatMap { UInt64($0) })
            let interaction = try await fixture.emulator.pressButton("vote:yes", on: messageID, by: fixture.userID)
            let record = try #require(await fixture.emulator.interactionRecord(interaction.id))
            #expect(record["data"]?["custom_id"]?.stringValue == "vote:yes")
            #expect(record["data"]?["component_type"]?.intValue == 2)
            let update = try await fixture.rest(.POST, "/interactions/\(interaction.id)/\(interaction.token)/callback",
                                                body: ["type": 7, "data": ["content": "Voted", "components": []]],
                                                token: .some(nil))
            #expect(update.status == 204)
            let messages = await fixture.emulator.messages(in: fixture.textChannelID)
            #expect(messages.first?["content"]?.stringValue == "Voted")
            await #expect(throws: DiscordEmulatorError.self) {
                try await fixture.emulator.pressButton("missing", on: messageID, by: fixture.userID)
            }
        }
    }

    @Test func invalidCommandsAreRejectedWithNestedErrors() async throws {
        try await EmulatorFixture.with { fixture in
            let response = try await fixture.rest(.PUT, "/applications/\(fixture.bot.applicationID)/commands", body: [
                ["name": "Bad Name", "description": "x"],
                ["name": "ok", "description": "", "name_localizations": ["xx": "nope"]],
            ])
            #expect(response.status == 400)
            #expect(response.json?["code"]?.intValue == 50035)
            let errors = try #require(response.json?["errors"])
            #expect(errors["0"]?["name"]?["_errors"]?.arrayValue?.first?["code"]?.stringValue
                == "APPLICATION_COMMAND_INVALID_NAME")
            #expect(errors["1"]?["description"]?["_errors"] != nil)
            #expect(errors["1"]?["name_localizations"]?["xx"]?["_errors"] != nil)
            let list = try await fixture.rest(.GET, "/applications/\(fixture.bot.applicationID)/commands")
            #expect(list.json?.arrayValue?.isEmpty == true)
        }
    }
}
