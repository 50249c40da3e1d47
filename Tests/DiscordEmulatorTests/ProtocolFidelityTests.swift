import DiscordEmulator
import Foundation
import Testing

@Suite("Discord behaviours clients rely on: close codes, zombies, deferred replies, invalid-request limit")
struct ProtocolFidelityTests {
    /// Polls `condition` until it holds, for at most `limit`.
    func eventually(_ what: String, within limit: Duration = .seconds(30), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(what) did not happen within \(limit)")
    }

    @Test("a client closing with 1000 ends its session; 4000 keeps it resumable")
    func clientCloseCodeDecidesResumability() async throws {
        try await EmulatorFixture.with { fixture in
            for (code, resumable) in [(1000, false), (4000, true)] {
                let gateway = fixture.gateway()
                let ready = try await gateway.identify(token: fixture.bot.token)
                let sessionID = try #require(ready["session_id"]?.stringValue)
                let created = try await gateway.dispatch("GUILD_CREATE")
                await gateway.close(code: code)
                try await eventually("the session disconnected") {
                    await fixture.emulator.gatewaySessions().contains {
                        $0["session_id"]?.stringValue == sessionID && $0["connected"]?.boolValue == false
                    }
                }
                let session = await fixture.emulator.gatewaySessions().first { $0["session_id"]?.stringValue == sessionID }
                #expect(session?["resumable"]?.boolValue == resumable, "close code \(code)")

                let again = fixture.gateway()
                #expect(try await again.nextPayload()["op"]?.intValue == 10)
                again.send(["op": 6, "d": ["token": .string(fixture.bot.token), "session_id": .string(sessionID),
                                           "seq": created["s"] ?? .null]])
                let answer = try await again.nextPayload()
                if resumable {
                    #expect(answer["t"]?.stringValue == "RESUMED")
                } else {
                    #expect(answer["op"]?.intValue == 9)
                    #expect(answer["d"]?.boolValue == false)
                }
                await again.close(code: 4000)
            }
        }
    }

    @Test("a connection that stops heartbeating is closed with 4009 and its session ends")
    func zombieConnectionIsClosed() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.zombieTimeout = .seconds(2)
        // Emulated time stands still until the test moves it: READY comes first however slow
        // the machine, and the lapse is decided by the advance, not by the scheduler.
        configuration.clockFollowsRealTime = false
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            let gateway = fixture.gateway()
            let ready = try await gateway.identify(token: fixture.bot.token)
            // No heartbeat follows while two emulated seconds and a bit pass.
            fixture.emulator.advanceClock(by: .milliseconds(2100))
            #expect(try await gateway.closeCode(timeout: .seconds(10)) == 4009)
            let session = await fixture.emulator.gatewaySessions().first {
                $0["session_id"] == ready["session_id"]
            }
            #expect(session?["resumable"]?.boolValue == false)
        }
    }

    @Test("a deferred reply appears as a LOADING message, and its edit is a MESSAGE_UPDATE")
    func deferredReplyLoadsThenUpdates() async throws {
        try await EmulatorFixture.with { fixture in
            let registered = try await fixture.rest(.PUT, "/applications/\(fixture.bot.applicationID)/commands",
                                                    body: [["name": "ping", "description": "Pong"]])
            #expect(registered.status == 200)
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")
            let interaction = try await fixture.emulator.invokeSlashCommand(
                "ping", application: fixture.bot.applicationID, channel: fixture.textChannelID, user: fixture.userID
            )
            _ = try await gateway.dispatch("INTERACTION_CREATE")
            #expect(try await fixture.rest(.POST, "/interactions/\(interaction.id)/\(interaction.token)/callback",
                                           body: ["type": 5], token: .some(nil)).status == 204)
            let loading = try #require(try await gateway.dispatch("MESSAGE_CREATE")["d"])
            #expect((loading["flags"]?.intValue ?? 0) & 128 != 0, "LOADING flag at the defer")
            #expect(loading["interaction_metadata"]?["id"]?.stringValue == String(interaction.id))
            #expect(loading["interaction_metadata"]?["user"]?["id"]?.stringValue == String(fixture.userID))
            #expect(loading["interaction"]?["name"]?.stringValue == "ping")

            let base = "/webhooks/\(fixture.bot.applicationID)/\(interaction.token)/messages/@original"
            #expect(try await fixture.rest(.PATCH, base, body: ["content": "done"], token: .some(nil)).status == 200)
            let updated = try #require(try await gateway.dispatch("MESSAGE_UPDATE")["d"])
            #expect(updated["id"] == loading["id"])
            #expect(updated["content"]?.stringValue == "done")
            #expect((updated["flags"]?.intValue ?? 0) & 128 == 0)
            await gateway.close(code: 4000)
        }
    }

    @Test("too many invalid requests ban the client for a while; shared-scope 429s do not count")
    func invalidRequestLimit() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.clockFollowsRealTime = false
        configuration.invalidRequestLimit = 5
        configuration.invalidRequestWindow = .seconds(600)
        configuration.invalidRequestBan = .seconds(60)
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            for _ in 0..<6 {
                await fixture.emulator.failRequests(path: "/users/@me", status: 429, count: 1)
                #expect(try await fixture.rest(.GET, "/users/@me").status == 429)
            }
            #expect(try await fixture.rest(.GET, "/users/@me").status == 200, "shared-scope 429s are not counted")
            for _ in 0..<4 {
                #expect(try await fixture.rest(.GET, "/users/@me", token: .some("wrong")).status == 401)
            }
            #expect(try await fixture.rest(.GET, "/users/@me").status == 200, "four invalid requests are allowed")
            #expect(try await fixture.rest(.GET, "/users/@me", token: .some("wrong")).status == 401)
            let banned = try await fixture.rest(.GET, "/users/@me")
            #expect(banned.status == 429)
            #expect(banned.json == nil, "Cloudflare's ban has no JSON body")
            #expect(banned.headers["Via"].isEmpty, "and no Via header, which is how clients recognise it")
            #expect(Int(banned.headers["Retry-After"].first ?? "") == 60)
            fixture.emulator.advanceClock(by: .seconds(61))
            #expect(try await fixture.rest(.GET, "/users/@me").status == 200, "the ban lifts")
        }
    }
}
