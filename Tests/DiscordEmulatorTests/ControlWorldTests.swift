import DiscordEmulator
import Testing

@Suite("Control API: building a world over HTTP")
struct ControlWorldTests {
    @Test func buildAWorldAndReadItBack() async throws {
        try await EmulatorFixture.with { fixture in
            let app = try await fixture.control(.POST, "/applications", body: ["name": "Worker 1"])
            let appID = try #require(app.json?["application_id"]?.stringValue)
            #expect(app.json?["token"]?.stringValue?.isEmpty == false)
            let user = try await fixture.control(.POST, "/users", body: ["username": "bob", "locale": "de"])
            let userID = try #require(user.json?["id"]?.stringValue)
            let guild = try await fixture.control(.POST, "/guilds", body: ["name": "Other", "preferred_locale": "fr"])
            let guildID = try #require(guild.json?["id"]?.stringValue)
            let role = try await fixture.control(.POST, "/guilds/\(guildID)/roles",
                                                 body: ["name": "DJ", "permissions": "16777216"])
            let roleID = try #require(role.json?["id"]?.stringValue)
            let voice = try await fixture.control(.POST, "/guilds/\(guildID)/channels",
                                                  body: ["name": "Stage", "type": 2, "user_limit": 3])
            let voiceID = try #require(voice.json?["id"]?.stringValue)
            #expect(try await fixture.control(.PUT, "/guilds/\(guildID)/members/\(userID)",
                                              body: ["roles": [.string(roleID)]]).status == 200)
            #expect(try await fixture.control(.PUT, "/guilds/\(guildID)/members/\(appID)").status == 200)
            #expect(try await fixture.control(.PUT, "/guilds/\(guildID)/voice/\(userID)",
                                              body: ["channel_id": .string(voiceID)]).status == 200)

            let state = try #require(try await fixture.control(.GET, "/guilds/\(guildID)").json)
            #expect(state["preferred_locale"]?.stringValue == "fr")
            #expect(state["channels"]?.arrayValue?.first?["user_limit"]?.intValue == 3)
            let members = try #require(state["members"]?.arrayValue)
            #expect(members.count == 3)
            let bob = try #require(members.first { $0["user"]?["id"]?.stringValue == userID })
            #expect(bob["roles"]?.arrayValue == [.string(roleID)])
            #expect(state["voice_states"]?.arrayValue?.first?["channel_id"]?.stringValue == voiceID)
        }
    }

    @Test func worldFileWithNamesLoadsAndBadReferencesAreRejected() async throws {
        try await EmulatorFixture.with { fixture in
            try await fixture.emulator.loadWorld(json: """
            {"applications": [{"name": "Music", "token": "music-token"}],
             "users": [{"username": "carol"}],
             "guilds": [{"name": "Named", "owner": "carol",
               "roles": [{"name": "DJ", "permissions": "16777216"}],
               "channels": [{"name": "Music", "type": 4}, {"name": "Lobby", "type": 2, "parent": "Music",
                              "permission_overwrites": [{"role": "DJ", "allow": "1048576"}]}],
               "members": [{"user": "Music", "roles": ["DJ"]}],
               "voice_states": [{"user": "carol", "channel": "Lobby"}]}]}
            """)
            let world = await fixture.emulator.worldSnapshot()
            let named = try #require(world["guilds"]?.arrayValue?.first { $0["name"]?.stringValue == "Named" })
            let lobby = try #require(named["channels"]?.arrayValue?.first { $0["name"]?.stringValue == "Lobby" })
            #expect(lobby["parent_id"]?.isNull == false)
            #expect(named["voice_states"]?.arrayValue?.count == 1)
            #expect(world["applications"]?.arrayValue?.contains { $0["token"]?.stringValue == "music-token" } == true)

            await #expect(throws: DiscordEmulatorError.self) {
                try await fixture.emulator.loadWorld(json: #"{"guilds": [{"name": "X", "owner": "nobody"}]}"#)
            }
        }
    }
}
