import DiscordEmulator
import Testing

@Suite("Hostile input never crashes the emulator")
struct HostileInputTests {
    @Test func malformedGatewayPayloadsCloseWith4002() async throws {
        try await EmulatorFixture.with { fixture in
            for text in ["{{{", "[]", #"{"op": "two"}"#, #"{"d": {}}"#, "\u{0}\u{1}", "null"] {
                let gateway = fixture.gateway()
                _ = try await gateway.nextPayload()
                gateway.sendRaw(text)
                #expect(try await gateway.closeCode() == 4002, "payload \(text)")
            }
            let unknownOp = fixture.gateway()
            _ = try await unknownOp.nextPayload()
            unknownOp.send(["op": 99, "d": nil])
            #expect(try await unknownOp.closeCode() == 4001)
            // Still serving.
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token)
            await gateway.close()
        }
    }

    @Test func malformedRESTBodiesAndIdsGetDiscordErrors() async throws {
        try await EmulatorFixture.with { fixture in
            var request = try await EmulatorFixture.http(
                .POST, fixture.emulator.restURL + "/channels/\(fixture.textChannelID)/messages", body: nil,
                authorization: "Bot " + fixture.bot.token)
            #expect(request.status == 400)
            request = try await fixture.rest(.GET, "/channels/not-a-number")
            #expect(request.json?["code"]?.intValue == 50035)
            request = try await fixture.rest(.GET, "/guilds/99999999999999999999999")
            #expect(request.status == 400)
            request = try await fixture.rest(.PATCH, "/guilds/\(fixture.guildID)/members/\(fixture.userID)",
                                             body: ["channel_id": ["nested": [1, 2, 3]]])
            #expect(request.status == 400)
            request = try await fixture.rest(.PUT, "/applications/\(fixture.bot.applicationID)/commands",
                                             body: ["not": "an array"])
            #expect(request.json?["code"]?.intValue == 50035)
            request = try await fixture.control(.POST, "/guilds", body: ["name": 5])
            #expect(request.status == 400)
            request = try await fixture.control(.POST, "/interactions/commands", body: [:])
            #expect(request.status == 400)
            #expect(try await fixture.rest(.GET, "/users/@me").status == 200)
        }
    }

    @Test func gatewayWithoutAuthAndDelayedResponses() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = try await fixture.rest(.GET, "/gateway", token: .some(nil))
            #expect(gateway.status == 200)
            #expect(gateway.json?["url"]?.stringValue == fixture.emulator.gatewayURL)
            await fixture.emulator.delayResponses(by: .milliseconds(50), path: "/users/@me")
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await fixture.rest(.GET, "/users/@me").status == 200)
            #expect(clock.now - start >= .milliseconds(50))
        }
    }
}
