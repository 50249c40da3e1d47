import DiscordEmulator
import Testing

@Suite("REST basics: gateway/bot, users/@me, headers")
struct RESTBasicsTests {
    @Test func gatewayBotAndCurrentUser() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = try await fixture.rest(.GET, "/gateway/bot")
            #expect(gateway.status == 200)
            #expect(gateway.json?["url"]?.stringValue == fixture.emulator.gatewayURL)
            #expect(gateway.json?["shards"]?.intValue == 1)
            #expect(gateway.json?["session_start_limit"]?["max_concurrency"]?.intValue == 1)
            #expect(gateway.headers.first(name: "Content-Type") == "application/json")

            let me = try await fixture.rest(.GET, "/users/@me")
            #expect(me.status == 200)
            #expect(me.json?["id"]?.stringValue == String(fixture.bot.userID))
            #expect(me.json?["username"]?.stringValue == "Anankor")
            for header in ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                           "X-RateLimit-Reset-After", "X-RateLimit-Bucket"] {
                #expect(me.headers.first(name: header) != nil, "missing \(header)")
            }

            let application = try await fixture.rest(.GET, "/oauth2/applications/@me")
            #expect(application.json?["id"]?.stringValue == String(fixture.bot.applicationID))
            #expect(application.json?["verify_key"] != nil)
        }
    }

    @Test func missingOrWrongTokenIs401() async throws {
        try await EmulatorFixture.with { fixture in
            let anonymous = try await fixture.rest(.GET, "/users/@me", token: .some(nil))
            #expect(anonymous.status == 401)
            let wrong = try await fixture.rest(.GET, "/users/@me", token: "nope")
            #expect(wrong.status == 401)
            #expect(wrong.json?["code"]?.intValue == 0)
            #expect(wrong.json?["message"]?.stringValue == "401: Unauthorized")
        }
    }

    @Test func unknownRouteIs404WithDiscordShape() async throws {
        try await EmulatorFixture.with { fixture in
            let response = try await fixture.rest(.GET, "/nothing/here")
            #expect(response.status == 404)
            #expect(response.json?["message"]?.stringValue == "404: Not Found")
        }
    }

    @Test func startReturnsTheBaseURLAndABusyPortFailsClearly() async throws {
        let first = DiscordEmulator()
        let url = try await first.start()
        #expect(url == "http://127.0.0.1:\(first.port)")
        #expect(first.restURL == url + "/api/v10")
        let second = DiscordEmulator(configuration: .init(port: first.port))
        do {
            try await second.start()
            Issue.record("a second emulator started on a busy port")
        } catch {
            #expect(error.code == .startFailed)
        }
        await second.stop()
        await first.stop()
        await first.stop()
    }
}
