@testable import DiscordKit
import Foundation
import Synchronization
import Testing

@Suite("REST client")
struct DiscordRESTTests {
    @Test("requests carry the bot token, a DiscordBot user agent and JSON bodies to the configured base URL")
    func requestShape() async throws {
        let transport = FakeTransport { _, _ in
            jsonResponse(200, #"{"id": "1", "channel_id": "41771983423143937", "content": "hi"}"#)
        }
        let rest = DiscordREST(token: BotToken("the-token"),
                               configuration: .init(baseURL: "http://127.0.0.1:9/api/v10/"), transport: transport)
        let message = try await rest.createMessage(channelID: Snowflake(41771983423143937), MessageCreate(
            content: "hi", embeds: [Embed(title: "Now playing", fields: [.init(name: "Queue", value: "3")])],
            components: [.actionRow([.button(.init(style: .primary, label: "Skip", customID: "skip"))])]))
        #expect(message.content == "hi")
        let request = try #require(transport.requests.first?.request)
        #expect(request.url == "http://127.0.0.1:9/api/v10/channels/41771983423143937/messages")
        #expect(request.verb == .post)
        #expect(request.header("Authorization") == "Bot the-token")
        #expect(request.header("User-Agent")?.hasPrefix("DiscordBot (") == true)
        #expect(request.header("Content-Type") == "application/json")
        let body = try bodyJSON(request)
        #expect(body["embeds"]?.arrayCount == 1)
        #expect(body["components"]?[0]?["components"]?[0]?["custom_id"]?.stringValue == "skip")
    }

    @Test("an interaction callback that got no answer (transport error) is sent once more; 40060 then counts as done")
    func interactionCallbackAfterTransportError() async throws {
        struct Dropped: Error {}
        let calls = Mutex(0)
        let transport = FakeTransport { _, _ in
            let call = calls.withLock { value -> Int in
                value += 1
                return value
            }
            if call == 1 { throw Dropped() }
            return RESTResponse(status: 204)
        }
        let rest = DiscordREST(token: BotToken("bot-secret"), transport: transport)
        try await rest.createInteractionResponse(interactionID: Snowflake(5), token: InteractionToken("t"),
                                                 .message(MessageCreate(content: "x")))
        #expect(transport.requests.count == 2, "sent once more after no answer")

        // The first did arrive: the second is refused as already acknowledged, which is done.
        let arrived = Mutex(0)
        let acknowledged = FakeTransport { _, _ in
            let call = arrived.withLock { value -> Int in
                value += 1
                return value
            }
            if call == 1 { throw Dropped() }
            return jsonResponse(400, #"{"code": 40060, "message": "Interaction has already been acknowledged."}"#)
        }
        let again = DiscordREST(token: BotToken("bot-secret"), transport: acknowledged)
        try await again.createInteractionResponse(interactionID: Snowflake(6), token: InteractionToken("t"),
                                                  .message(MessageCreate(content: "x")))
        #expect(acknowledged.requests.count == 2)

        // An answer that says no is not sent again.
        let refused = FakeTransport { _, _ in jsonResponse(404, #"{"code": 10062, "message": "Unknown interaction"}"#) }
        let once = DiscordREST(token: BotToken("bot-secret"), transport: refused)
        await #expect(throws: DiscordRESTError.self) {
            try await once.createInteractionResponse(interactionID: Snowflake(7), token: InteractionToken("t"),
                                                     .message(MessageCreate(content: "x")))
        }
        #expect(refused.requests.count == 1)
    }

    @Test("interaction callbacks need no bot token and encode every response type")
    func interactionCallbacks() async throws {
        let transport = FakeTransport { request, _ in
            if request.url.contains("with_response=true") {
                return jsonResponse(200, #"{"interaction": {"id": "5", "type": 2, "response_message_id": "9"}, "resource": {"type": 4, "message": {"id": "9", "channel_id": "3", "content": "ok"}}}"#)
            }
            return RESTResponse(status: 204)
        }
        let rest = DiscordREST(token: BotToken("bot-secret"), transport: transport)
        let token = InteractionToken("interaction-secret")
        let responses: [InteractionResponse] = [
            .pong, .message(MessageCreate(content: "x", flags: .ephemeral)), .deferredMessage(ephemeral: true),
            .deferredUpdate, .updateMessage(MessageEdit(content: "y")),
            .autocompleteResult([.init(name: "One", value: .string("1"))]),
            .modal(Modal(customID: "m", title: "Name", components: [.actionRow([.textInput(.init(customID: "n", label: "Name"))])])),
        ]
        for response in responses {
            try await rest.createInteractionResponse(interactionID: Snowflake(5), token: token, response)
        }
        let answer = try await rest.createInteractionResponse(interactionID: Snowflake(5), token: token,
                                                              .message(MessageCreate(content: "ok")), withResponse: true)
        #expect(answer?.interaction.responseMessageID == Snowflake(9))
        #expect(answer?.resource?.message?.content == "ok")
        let sent = transport.requests.map(\.request)
        #expect(sent.allSatisfy { $0.header("Authorization") == nil })
        #expect(try sent.map { try bodyJSON($0)["type"]?.numberValue } == [1, 4, 5, 6, 7, 8, 9, 4])
        #expect(try bodyJSON(sent[1])["data"]?["flags"]?.numberValue == 64)
        #expect(try bodyJSON(sent[2])["data"]?["flags"]?.numberValue == 64)
        #expect(try bodyJSON(sent[5])["data"]?["choices"]?[0]?["name"]?.stringValue == "One")
        #expect(try bodyJSON(sent[6])["data"]?["custom_id"]?.stringValue == "m")
    }

    @Test("Discord's error body becomes a typed error with flattened field errors and no token")
    func errorBody() async throws {
        let transport = FakeTransport { _, _ in
            jsonResponse(400, DocumentationFixtures.invalidFormBody)
        }
        let rest = DiscordREST(token: BotToken("very-secret-token"), transport: transport)
        let token = InteractionToken("interaction-token-secret")
        let error = try await #require(throws: DiscordRESTError.self) {
            try await rest.editOriginalResponse(applicationID: Snowflake(1), token: token, MessageEdit(content: "x"))
        }
        #expect(error.kind == .http)
        #expect(error.status == 400)
        #expect(error.code == DiscordRESTError.invalidFormBody)
        #expect(error.message == "Invalid Form Body")
        #expect(error.fieldErrors.map(\.path) == ["activities.0.platform", "activities.0.type"])
        #expect(error.fieldErrors.first?.code == "BASE_TYPE_CHOICES")
        let sent = try #require(transport.requests.first?.request)
        let text = "\(error) \(String(reflecting: error)) \(token) \(BotToken("very-secret-token")) \(sent) \(String(reflecting: sent)) \(rest)"
        #expect(!text.contains("very-secret-token"))
        #expect(!text.contains("interaction-token-secret"))
        #expect(error.route == "PATCH /webhooks/:application/:token/messages/@original")
    }

    @Test("a missing permission surfaces as code 50013")
    func missingPermissions() async throws {
        let transport = FakeTransport { _, _ in jsonResponse(403, #"{"message": "Missing Permissions", "code": 50013}"#) }
        let rest = DiscordREST(token: BotToken("t"), transport: transport)
        let error = try await #require(throws: DiscordRESTError.self) {
            try await rest.moveMember(guildID: Snowflake(1), userID: Snowflake(2), to: Snowflake(3))
        }
        #expect(error.code == DiscordRESTError.missingPermissions)
        #expect(error.status == 403)
    }

    @Test("member moves send channel_id, disconnects send an explicit null")
    func memberVoiceChanges() async throws {
        let transport = FakeTransport { _, _ in jsonResponse(200, #"{"roles": [], "user": {"id": "2", "username": "u"}}"#) }
        let rest = DiscordREST(token: BotToken("t"), transport: transport)
        try await rest.moveMember(guildID: Snowflake(1), userID: Snowflake(2), to: Snowflake(3))
        try await rest.disconnectMember(guildID: Snowflake(1), userID: Snowflake(2))
        let bodies = try transport.requests.map { try bodyJSON($0.request) }
        #expect(bodies[0]["channel_id"] == .string("3"))
        #expect(bodies[1]["channel_id"] == .null)
    }

    @Test("command localizations keep their locale keys")
    func commandLocalizations() async throws {
        let transport = FakeTransport { request, _ in
            RESTResponse(status: 200, headers: [], body: request.body ?? .init())
        }
        let rest = DiscordREST(token: BotToken("t"), transport: transport)
        let command = ApplicationCommand(
            name: "play", nameLocalizations: ["de": "spielen", "es-ES": "reproducir"], description: "Play a track",
            descriptionLocalizations: ["en-US": "Play a track", "pt-BR": "Tocar"],
            options: [.init(type: .string, name: "query", description: "What to play", required: true, autocomplete: true)])
        let echoed = try await rest.bulkOverwriteGuildCommands(applicationID: Snowflake(1), guildID: Snowflake(2), [command])
        #expect(echoed == [command])
        let body = try bodyJSON(try #require(transport.requests.first?.request))
        #expect(body[0]?["name_localizations"]?["es-ES"]?.stringValue == "reproducir")
        #expect(body[0]?["description_localizations"]?["pt-BR"]?.stringValue == "Tocar")
        #expect(transport.requests.first?.request.url.hasSuffix("/applications/1/guilds/2/commands") == true)
    }

    @Test("a voice channel is created with its user limit; DMs are opened by recipient")
    func channelsAndDMs() async throws {
        let transport = FakeTransport { request, _ in
            if request.url.hasSuffix("/users/@me/channels") {
                return jsonResponse(200, #"{"id": "8", "type": 1, "recipients": [{"id": "2", "username": "u"}]}"#)
            }
            return jsonResponse(201, #"{"id": "9", "type": 2, "guild_id": "1", "name": "Room", "user_limit": 4}"#)
        }
        let rest = DiscordREST(token: BotToken("t"), transport: transport)
        let channel = try await rest.createGuildChannel(guildID: Snowflake(1), .voice(name: "Room", userLimit: 4))
        #expect(channel.type == .guildVoice && channel.userLimit == 4)
        let dm = try await rest.createDM(recipientID: Snowflake(2))
        #expect(dm.type == .dm)
        let bodies = try transport.requests.map { try bodyJSON($0.request) }
        #expect(bodies[0]["user_limit"]?.numberValue == 4 && bodies[0]["type"]?.numberValue == 2)
        #expect(bodies[1]["recipient_id"] == .string("2"))
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    var arrayCount: Int? {
        if case .array(let array) = self { return array.count }
        return nil
    }
}
