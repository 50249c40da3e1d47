import AsyncHTTPClient
import DiscordEmulator
import Foundation
import NIOCore
import Testing

@Suite("The web playground's page, view, live stream and actions")
struct PlaygroundTests {
    private func registerPing(_ fixture: EmulatorFixture) async throws {
        _ = try await fixture.rest(.PUT, "/applications/\(fixture.bot.applicationID)/guilds/\(fixture.guildID)/commands", body: [[
            "name": "ping", "description": "Ping", "name_localizations": ["de": "pingen"],
            "options": [["name": "target", "description": "Who", "type": 3, "autocomplete": true]],
        ]])
    }

    /// The bot with `/ping` registered and its gateway session up (so interactions reach it).
    private func connectedBot(_ fixture: EmulatorFixture) async throws -> GatewayTestClient {
        try await registerPing(fixture)
        let gateway = fixture.gateway()
        try await gateway.identify(token: fixture.bot.token)
        _ = try await gateway.dispatch("GUILD_CREATE")
        return gateway
    }

    @Test("an ephemeral reply is marked with the member it answers; commands and the page are there")
    func viewMarksEphemeralReplies() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = try await connectedBot(fixture)
            let invoked = try await fixture.control(.POST, "/interactions/commands", body: [
                "application_id": .string("\(fixture.bot.applicationID)"), "channel_id": .string("\(fixture.textChannelID)"),
                "user_id": .string("\(fixture.userID)"), "name": "ping",
            ])
            let id = try #require(invoked.json?["id"]?.stringValue)
            let token = try #require(invoked.json?["token"]?.stringValue)
            _ = try await gateway.dispatch("INTERACTION_CREATE")
            let callback = try await fixture.rest(.POST, "/interactions/\(id)/\(token)/callback",
                                                  body: ["type": 4, "data": ["content": "Pong", "flags": 64]], token: .some(nil))
            #expect(callback.status == 204)

            let view = try #require(try await fixture.control(.GET, "/playground/view").json)
            let guild = try #require(view["guilds"]?.arrayValue?.first)
            let messages = try #require(guild["messages"]?["\(fixture.textChannelID)"]?.arrayValue)
            let reply = try #require(messages.first { $0["content"]?.stringValue == "Pong" })
            #expect((reply["flags"]?.intValue ?? 0) & 64 == 64)
            #expect(reply["playground_interaction"]?["user_id"]?.stringValue == "\(fixture.userID)")
            #expect(reply["playground_interaction"]?["name"]?.stringValue == "ping")
            let app = try #require(view["applications"]?.arrayValue?.first { $0["name"]?.stringValue == "Anankor" })
            #expect(app["connected"]?.boolValue == true)
            #expect(app["commands"]?.arrayValue?.first?["name_localizations"]?["de"]?.stringValue == "pingen")
            #expect(app["token"] == nil, "the view carries no bot token")
            #expect(view["host"]?.isNull == true)

            let page = try await HTTPClient.shared.execute(HTTPClientRequest(url: fixture.emulator.playgroundURL), timeout: .seconds(10))
            #expect(page.status.code == 200)
            #expect(page.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
            #expect(html.contains("/playground/app.js"))
            let script = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: fixture.emulator.playgroundURL + "/app.js"), timeout: .seconds(10))
            #expect(script.status.code == 200)
            #expect(String(buffer: try await script.body.collect(upTo: 1 << 22)).contains("EventSource"))
        }
    }

    @Test("the live stream sends the view at once and again when a member joins voice")
    func streamFollowsChanges() async throws {
        try await EmulatorFixture.with { fixture in
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: fixture.controlURL("/playground/events")), timeout: .seconds(10))
            #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
            var events = SSEReader(body: response.body)
            let first = try await events.nextView(within: .seconds(10))
            #expect(Self.voiceChannel(of: fixture.userID, in: first) == nil)
            _ = try await fixture.control(.PUT, "/guilds/\(fixture.guildID)/voice/\(fixture.userID)",
                                          body: ["channel_id": .string("\(fixture.voiceChannelID)")])
            var joined = false
            for _ in 0..<5 where !joined {
                let next = try await events.nextView(within: .seconds(10))
                joined = Self.voiceChannel(of: fixture.userID, in: next) == "\(fixture.voiceChannelID)"
            }
            #expect(joined, "a later view shows alice in the voice channel")
        }
    }

    @Test("autocomplete answers with the bot's choices; the locale picker changes the interaction's locale")
    func autocompleteAndLocale() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = try await connectedBot(fixture)
            let locale = try await fixture.control(.PUT, "/playground/users/\(fixture.userID)/locale", body: ["locale": "de"])
            #expect(locale.status == 200)
            async let answer = fixture.control(.POST, "/playground/autocomplete", body: [
                "application_id": .string("\(fixture.bot.applicationID)"), "channel_id": .string("\(fixture.textChannelID)"),
                "user_id": .string("\(fixture.userID)"), "name": "ping", "options": ["target": "bo"], "focused": "target",
            ])
            let event = try #require(try await gateway.dispatch("INTERACTION_CREATE")["d"])
            #expect(event["type"]?.intValue == 4)
            #expect(event["locale"]?.stringValue == "de")
            let id = try #require(event["id"]?.stringValue)
            let token = try #require(event["token"]?.stringValue)
            _ = try await fixture.rest(.POST, "/interactions/\(id)/\(token)/callback",
                                       body: ["type": 8, "data": ["choices": [["name": "bob", "value": "bob"]]]], token: .some(nil))
            let choices = try await answer
            #expect(choices.status == 200)
            #expect(choices.json?["choices"]?.arrayValue?.first?["value"]?.stringValue == "bob")

            let noHost = try await fixture.control(.POST, "/playground/host/kill-worker", body: ["name": "worker-1"])
            #expect(noHost.status == 404)
            #expect(noHost.json?["message"]?.stringValue?.contains("without a sandbox") == true)
            let unknownUser = try await fixture.control(.PUT, "/playground/users/42/locale", body: ["locale": "de"])
            #expect(unknownUser.status == 404)
        }
    }

    @Test("a bot that lets the deadline pass shows as not responding")
    func unansweredInteraction() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.clockFollowsRealTime = false
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            try await registerPing(fixture)
            _ = try await fixture.control(.POST, "/interactions/commands", body: [
                "application_id": .string("\(fixture.bot.applicationID)"), "channel_id": .string("\(fixture.textChannelID)"),
                "user_id": .string("\(fixture.userID)"), "name": "ping",
            ])
            let before = try #require(try await fixture.control(.GET, "/playground/view").json)
            #expect(before["unanswered"]?.arrayValue?.isEmpty == true)
            fixture.emulator.advanceClock(by: .seconds(4))
            let after = try #require(try await fixture.control(.GET, "/playground/view").json)
            #expect(after["unanswered"]?.arrayValue?.first?["user_id"]?.stringValue == "\(fixture.userID)")
        }
    }

    private static func voiceChannel(of user: UInt64, in view: EmulatorJSON) -> String? {
        view["guilds"]?.arrayValue?.first?["members"]?.arrayValue?
            .first { $0["id"]?.stringValue == "\(user)" }?["voice_channel_id"]?.stringValue
    }
}

extension EmulatorFixture {
    func controlURL(_ path: String) -> String { emulator.controlURL + path }
}

/// Reads `event: view` messages from a server-sent event stream.
private struct SSEReader {
    var iterator: HTTPClientResponse.Body.AsyncIterator
    var buffer = ""

    init(body: HTTPClientResponse.Body) { iterator = body.makeAsyncIterator() }

    struct Timeout: Error {}

    mutating func nextView(within limit: Duration) async throws -> EmulatorJSON {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let range = buffer.range(of: "\n\n") {
                let block = String(buffer[..<range.lowerBound])
                buffer.removeSubrange(..<range.upperBound)
                let lines = block.split(separator: "\n")
                guard lines.contains("event: view"),
                      let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6) else { continue }
                return try #require(EmulatorJSON.parse(String(data)))
            }
            // The stream sends a view at once and keep-alives every 15 s, so a read never hangs long.
            guard let chunk = try await iterator.next() else { throw Timeout() }
            buffer += String(buffer: chunk)
        }
        throw Timeout()
    }
}
