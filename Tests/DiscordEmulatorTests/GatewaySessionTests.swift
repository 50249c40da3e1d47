import DiscordEmulator
import Testing

@Suite("Gateway sessions: resume, invalid session, reconnect, sharding, zlib-stream")
struct GatewaySessionTests {
    @Test func resumeReplaysMissedEventsInOrderThenResumed() async throws {
        try await EmulatorFixture.with { fixture in
            let first = fixture.gateway()
            let ready = try await first.identify(token: fixture.bot.token)
            let sessionID = try #require(ready["session_id"]?.stringValue)
            let guildCreate = try await first.dispatch("GUILD_CREATE")
            let seq = try #require(guildCreate["s"]?.intValue)
            await first.close(code: 4000)

            // Events while the bot is away.
            _ = try await fixture.emulator.createChannel(in: fixture.guildID, name: "missed")
            _ = try await fixture.emulator.createRole(in: fixture.guildID, name: "Missed", permissions: 0)

            let second = fixture.gateway()
            #expect(try await second.nextPayload()["op"]?.intValue == 10)
            second.send(["op": 6, "d": ["token": .string(fixture.bot.token), "session_id": .string(sessionID),
                                        "seq": .int(seq)]])
            let channel = try await second.nextPayload()
            #expect(channel["t"]?.stringValue == "CHANNEL_CREATE")
            #expect(channel["s"]?.intValue == seq + 1)
            #expect(channel["d"]?["name"]?.stringValue == "missed")
            let role = try await second.nextPayload()
            #expect(role["t"]?.stringValue == "GUILD_ROLE_CREATE")
            #expect(role["s"]?.intValue == seq + 2)
            let resumed = try await second.nextPayload()
            #expect(resumed["t"]?.stringValue == "RESUMED")
            #expect(resumed["s"]?.intValue == seq + 3)
            await second.close()
        }
    }

    @Test func resumingAnUnknownSessionGetsNonResumableInvalidSession() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            _ = try await gateway.nextPayload()
            gateway.send(["op": 6, "d": ["token": .string(fixture.bot.token), "session_id": "nope", "seq": 3]])
            let invalid = try await gateway.nextPayload()
            #expect(invalid["op"]?.intValue == 9)
            #expect(invalid["d"]?.boolValue == false)
            await gateway.close()
        }
    }

    @Test func injectedInvalidSessionReconnectAndHeartbeatRequest() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            let ready = try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")
            let appID = fixture.bot.applicationID
            #expect(await fixture.emulator.requestHeartbeat(of: appID) == 1)
            #expect(try await gateway.nextPayload()["op"]?.intValue == 1)
            #expect(await fixture.emulator.requestReconnect(of: appID) == 1)
            #expect(try await gateway.nextPayload()["op"]?.intValue == 7)
            await fixture.emulator.invalidateSessions(of: appID, resumable: false)
            let invalid = try await gateway.nextPayload()
            #expect(invalid["op"]?.intValue == 9)
            #expect(invalid["d"]?.boolValue == false)
            await gateway.close(code: 4000)

            // The session is gone: resuming it is refused.
            let again = fixture.gateway()
            _ = try await again.nextPayload()
            again.send(["op": 6, "d": ["token": .string(fixture.bot.token), "session_id": ready["session_id"] ?? "",
                                       "seq": 2]])
            #expect(try await again.nextPayload()["d"]?.boolValue == false)
            await again.close()
        }
    }

    @Test func droppedConnectionEndsWithoutCloseFrameAndStaysResumable() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            let ready = try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")
            #expect(await fixture.emulator.dropConnections(of: fixture.bot.applicationID) == 1)
            #expect(try await gateway.closeCode() == nil)

            let again = fixture.gateway()
            _ = try await again.nextPayload()
            again.send(["op": 6, "d": ["token": .string(fixture.bot.token), "session_id": ready["session_id"] ?? "",
                                       "seq": 2]])
            #expect(try await again.dispatch("RESUMED")["s"]?.intValue == 3)
            await again.close()
        }
    }

    @Test func shardsSplitGuildsByIdShiftModulo() async throws {
        try await EmulatorFixture.with { fixture in
            var guildIDs = [fixture.guildID]
            for index in 0..<5 {
                let guild = try await fixture.emulator.createGuild(name: "G\(index)")
                try await fixture.emulator.addMember(fixture.bot.userID, to: guild)
                guildIDs.append(guild)
            }
            var seen: [UInt64] = []
            for shard in 0..<2 {
                let gateway = fixture.gateway()
                let ready = try await gateway.identify(token: fixture.bot.token, shard: [Int64(shard), 2])
                #expect(ready["shard"]?.arrayValue == [.int(Int64(shard)), 2])
                let ids = (ready["guilds"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue.flatMap { UInt64($0) } }
                #expect(!ids.isEmpty)
                for id in ids { #expect((id >> 22) % 2 == UInt64(shard)) }
                seen += ids
                await gateway.close()
            }
            #expect(seen.sorted() == guildIDs.sorted())
        }
    }

    @Test("guilds made in a fixed pattern of ids still spread over shards like real ones")
    func guildsSpreadOverShards() async throws {
        let emulator = DiscordEmulator()
        var perShard = [Int](repeating: 0, count: 10)
        for index in 0..<300 {
            // Ten ids per guild (guild, channels): with a fixed step all would share one shard of ten.
            let guild = try await emulator.createGuild(name: "G\(index)")
            for channel in 0..<8 { _ = try await emulator.createChannel(in: guild, name: "c\(channel)") }
            perShard[Int((guild >> 22) % 10)] += 1
        }
        #expect(perShard.allSatisfy { $0 >= 10 && $0 <= 60 }, "\(perShard)")
    }

    @Test func invalidShardClosesWith4010() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            _ = try await gateway.nextPayload()
            gateway.send(["op": 2, "d": ["token": .string(fixture.bot.token), "intents": 1, "properties": [:],
                                         "shard": [2, 2]]])
            #expect(try await gateway.closeCode() == 4010)
        }
    }

    @Test func zlibStreamSendsBinaryFramesOfOneDeflateStream() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway(compress: true)
            let ready = try await gateway.identify(token: fixture.bot.token)
            #expect(ready["user"]?["id"]?.stringValue == String(fixture.bot.userID))
            let guild = try await gateway.dispatch("GUILD_CREATE")
            #expect(guild["d"]?["id"]?.stringValue == String(fixture.guildID))
            var frames = 0
            while await gateway.binaryFrames.take(timeout: .milliseconds(1)) != nil { frames += 1 }
            // HELLO, READY and GUILD_CREATE, each its own binary frame.
            #expect(frames == 3)
            await gateway.close()
        }
    }

    @Test func sendingMoreThanTheLimitClosesWith4008() async throws {
        var configuration = EmulatorFixture.frozenClock
        configuration.gatewaySendLimit = 5
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            let gateway = fixture.gateway()
            _ = try await gateway.nextPayload()
            for _ in 0..<6 { gateway.send(["op": 1, "d": nil]) }
            #expect(try await gateway.closeCode() == 4008)
        }
    }

    @Test func identifyingTooSoonInOneConcurrencyBucketGetsInvalidSession() async throws {
        var configuration = EmulatorFixture.frozenClock
        // Discord's window; the fixture's clock stands still until the test moves it.
        configuration.identifyWindow = .seconds(5)
        try await EmulatorFixture.with(configuration: configuration) { fixture in
            let first = fixture.gateway()
            try await first.identify(token: fixture.bot.token, shard: [0, 2])
            let second = fixture.gateway()
            _ = try await second.nextPayload()
            second.send(["op": 2, "d": ["token": .string(fixture.bot.token), "intents": 1, "properties": [:],
                                        "shard": [1, 2]]])
            let refused = try await second.nextPayload()
            #expect(refused["op"]?.intValue == 9)
            #expect(refused["d"]?.boolValue == false)
            fixture.emulator.advanceClock(by: .seconds(5))
            second.send(["op": 2, "d": ["token": .string(fixture.bot.token), "intents": 1, "properties": [:],
                                        "shard": [1, 2]]])
            _ = try await second.dispatch("READY")
            let sessions = await fixture.emulator.gatewaySessions()
            #expect(sessions.count == 2)
            #expect(sessions.allSatisfy { $0["connected"]?.boolValue == true })
            await first.close()
            await second.close()
        }
    }

    @Test func withheldHeartbeatAcksAndForcedCloseCodes() async throws {
        try await EmulatorFixture.with { fixture in
            let gateway = fixture.gateway()
            try await gateway.identify(token: fixture.bot.token)
            _ = try await gateway.dispatch("GUILD_CREATE")
            await fixture.emulator.setHeartbeatAcks(of: fixture.bot.applicationID, enabled: false)
            gateway.send(["op": 1, "d": 2])
            // Op 8 answers with a chunk: nothing (no ACK) may come before it.
            gateway.send(["op": 8, "d": ["guild_id": .string(String(fixture.guildID)), "query": "", "limit": 0]])
            #expect(try await gateway.nextPayload()["t"]?.stringValue == "GUILD_MEMBERS_CHUNK")
            await fixture.emulator.setHeartbeatAcks(of: fixture.bot.applicationID, enabled: true)
            gateway.send(["op": 1, "d": 2])
            #expect(try await gateway.nextPayload()["op"]?.intValue == 11)
            let response = try await fixture.control(.POST, "/faults/close", body: [
                "application_id": .string(String(fixture.bot.applicationID)), "code": 4009,
            ])
            #expect(response.json?["connections"]?.intValue == 1)
            #expect(try await gateway.closeCode() == 4009)
        }
    }
}
