import AnankorCore
import AnankorSandbox
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// How lobbies change hands and end on their own, and the `lobby` option, as members see it:
/// notices in the text channel, the lobby message, answers, roles in the Discord emulator.
@Suite("Game lobby lifecycle end to end")
struct GameLobbyLifecycleTests {
    @Test("a host who leaves hands the lobby to the next sign-up; the last one leaving cancels it",
          arguments: Mode.allCases)
    func hostLeaves(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let carol = stage.member("carol")
            _ = try await alice.run("game create", ["title": "Raid", "seats": 3])
            _ = try await bob.run("game join")
            _ = try await carol.pressLobby("join")
            #expect(try await alice.pressLobby("leave").text == "You left **Raid**.")
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "<@\(bob.id)> is now the host of **Raid**." }
            })
            #expect(await world.eventually { await lobbyMessage(world)?.contains("👑 <@\(bob.id)>") == true },
                    "the lobby message names the new host")
            #expect(try await carol.run("game start").text == "Only the host or members who can manage events can do that.")
            _ = try await bob.run("game leave")
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "<@\(carol.id)> is now the host of **Raid**." }
            })
            _ = try await carol.run("game leave")
            #expect(await world.eventually { await lobbyMessage(world)?.hasPrefix("Raid\n**Raid** was cancelled.") == true },
                    "nobody is left: the open lobby is cancelled")
            #expect(try await alice.run("game join").text == "There is no open lobby here.")
        }
    }

    @Test("a host who stays out of voice past the grace hands over to a player there; nobody there ends the lobby",
          arguments: Mode.allCases)
    func hostAwayFromVoice(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.lobbyHostGrace = .seconds(1)
        try await withStage(mode, tuning: tuning) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let gaming = stage.voice("Gaming")
            _ = try await alice.run("game create", ["title": "Scrim", "voice": .string("\(gaming)")])
            _ = try await bob.run("game join")
            try await alice.join("Gaming")
            try await bob.join("Gaming")
            #expect(try await alice.run("game start").text.hasPrefix("**Scrim** has started"))
            try await alice.join(nil)
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "<@\(bob.id)> is now the host of **Scrim**." }
            })
            try await bob.join(nil)
            #expect(await world.eventually {
                await world.notices().contains {
                    $0.content == "**Scrim** has ended: the host left and nobody is in <#\(gaming)>."
                }
            })
            #expect(await world.notices().filter { $0.content.hasPrefix("**Scrim** has ended") }.count == 1,
                    "ended once")
            let stats = try await bob.run("game stats")
            #expect(stats.text.hasPrefix("<@\(bob.id)>: 1 session,"), "\(stats)")
        }
    }

    @Test("a started lobby ends after its maximum duration; an open one that never starts expires",
          arguments: Mode.allCases)
    func timeouts(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.lobbyMaxDuration = .seconds(2)
        tuning.lobbyOpenExpiry = .seconds(2)
        try await withStage(mode, tuning: tuning, masters: 2) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            // Its expiry counts from the start time, an hour away: it runs until its maximum.
            _ = try await alice.run("game create", ["title": "Marathon", "start": "in 1h",
                                                    "lobby_role": .string("\(world.playersRole)")])
            try await alice.join("Lounge")
            _ = try await alice.run("game ready")
            #expect(try await alice.run("game start").text.hasPrefix("**Marathon** has started"))
            #expect(await world.eventually {
                guard let channel = await world.voiceChannel(of: alice.id) else { return false }
                return world.name(ofVoiceChannel: channel) == nil
            }, "moved into the lobby's own channel")
            #expect(await world.eventually {
                await world.notices().contains { $0.content.hasPrefix("**Marathon** has ended after ") }
            })
            #expect(await world.eventually {
                await world.discord.roles(of: alice.id, in: world.guild)?.contains(world.playersRole) == false
            }, "the role is taken back")
            _ = try await bob.run("game create", ["title": "Someday"])
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "**Someday** was cancelled: it did not start in time." }
            })
            #expect(try await bob.run("game join").text == "There is no open lobby here.")
            let stats = try await alice.run("game stats")
            #expect(stats.text.hasPrefix("<@\(alice.id)>: 1 session,"), "one summary with two masters: \(stats)")
            let notices = await world.notices().map(\.content)
            #expect(notices.filter { $0.hasPrefix("**Marathon** has ended") }.count == 1, "\(notices)")
            #expect(notices.filter { $0.hasPrefix("**Someday** was cancelled") }.count == 1, "\(notices)")
        }
    }

    @Test("the lobby option picks a lobby by its id; unknown, malformed and other guilds' ids are refused",
          arguments: Mode.allCases)
    func lobbyOption(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            _ = try await alice.run("game create", ["title": "First"])
            _ = try await alice.run("game create", ["title": "Second"])
            let lobbies = try await stage.ports.state.openLobbies(in: guild)
            let first = try #require(lobbies.first { $0.title == "First" })
            let list = try await bob.run("game list")
            #expect(list.text.contains("`\(first.id)`"), "/game list shows the ids: \(list)")
            #expect(await lobbyMessages(world).contains { $0.contains("ID \(first.id)") }, "so does the lobby message")
            #expect(try await bob.run("game join", ["lobby": .string("\(first.id)")]).text == "You joined **First**.")
            #expect(try await bob.run("game join").text == "You joined **Second**.", "without it: the newest")
            let unknown = try await bob.run("game leave", ["lobby": "zzz123"])
            #expect(unknown.ephemeral && unknown.text == "There is no open lobby `zzz123` in this server.")
            let malformed = try await bob.run("game ready", ["lobby": "no such`lobby!"])
            #expect(malformed.ephemeral && malformed.text == "There is no open lobby `no suchlobby!` in this server.")
            // A lobby of another guild, under an id this guild could type.
            let elsewhere = Lobby(id: LobbyID("elsewhere1"), guild: GuildID(world.guild + 1), textChannel: ChannelID(1),
                                  host: UserID(bob.id), title: "Elsewhere", seats: 2, createdAt: Date())
            _ = try await stage.ports.state.saveLobby(elsewhere)
            #expect(try await alice.run("game start", ["lobby": "elsewhere1"]).text
                    == "There is no open lobby `elsewhere1` in this server.")
            let after = try await stage.ports.state.openLobbies(in: guild)
            #expect(after.map { $0.participants.map(\.user.rawValue) } == [[alice.id, bob.id], [alice.id, bob.id]],
                    "the refusals changed nothing")
            #expect(after.allSatisfy { $0.state == .open })
            #expect(try await alice.run("game cancel", ["lobby": .string("\(first.id)")]).text == "**First** was cancelled.")
            #expect(try await stage.ports.state.openLobbies(in: guild).map(\.title) == ["Second"])
        }
    }

    @Test("without Manage Roles the lobby channel is told; the lobby still starts and moves its players",
          arguments: Mode.allCases)
    func missingManageRoles(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            try await world.discord.setPermissions(ofRole: world.botRole, in: world.guild,
                                                   to: SandboxWorld.botPermissions & ~(1 << 28))
            let alice = stage.member("alice")
            let gaming = stage.voice("Gaming")
            _ = try await alice.run("game create", ["title": "Scrim", "voice": .string("\(gaming)"),
                                                    "lobby_role": .string("\(world.playersRole)")])
            try await alice.join("Lounge")
            _ = try await alice.pressLobby("ready")
            #expect(try await alice.pressLobby("start").text.hasPrefix("**Scrim** has started"))
            #expect(await world.eventually {
                await world.notices().contains {
                    $0.content == "I need the Manage Roles permission, with my role above <@&\(world.playersRole)>, "
                        + "to give <@&\(world.playersRole)> to the players of **Scrim**."
                }
            })
            #expect(await world.eventually { await world.voiceChannel(of: alice.id) == gaming }, "moved all the same")
            #expect(await world.discord.roles(of: alice.id, in: world.guild)?.contains(world.playersRole) == false)
        }
    }

    @Test("the Join select signs up with the picked role; a full role benches with the free ones named, in English and German",
          arguments: Mode.allCases)
    func joinSelect(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            _ = try await alice.run("game create", ["title": "Dungeon", "roles": "tank:1, healer:1, dps:2"])
            #expect(try await bob.pressLobby("join", choosing: "healer").text == "You joined **Dungeon** as healer.")
            #expect(await stage.world.eventually {
                await lobbyMessage(stage.world)?.contains("<@\(bob.id)> · healer") == true
            })
            // Alice took the one tank seat: a full role is not "all seats are taken".
            let benched = try await stage.member("carol").run("game join", ["role": "tank"])
            #expect(benched.text == "All tank seats of **Dungeon** are taken; you are on the bench at position 1 "
                + "until one frees up.\nSeats are still free for: dps.", "\(benched)")
            // German members: the same full role and the Join select, in German.
            let dave = SandboxMember("dave", in: stage.world, locale: "de")!
            let germanBenched = try await dave.run("game join", ["role": "tank"])
            #expect(germanBenched.text == "Alle Plätze als tank in **Dungeon** sind belegt; du wartest auf der Bank an Position 2, "
                + "bis einer frei wird.\nNoch frei sind Plätze für: dps.", "\(germanBenched)")
            let erin = SandboxMember("erin", in: stage.world, locale: "de")!
            let germanJoined = try await erin.pressLobby("join", choosing: "dps")
            #expect(germanJoined.text == "Du bist **Dungeon** als dps beigetreten.", "\(germanJoined)")
            let germanOverbooked = try await dave.run("game create", ["title": "Raid", "roles": "tank:2, heal:2", "seats": 1])
            #expect(germanOverbooked.ephemeral && germanOverbooked.text
                == "Die Rolle tank hat 2 Plätze, mehr als die Lobby mit 1 Platz. Erhöhe `plätze` oder senke die Zahl der Rolle.",
                    "\(germanOverbooked)")
            let overbooked = try await alice.run("game create", ["title": "Raid", "roles": "tank:2, heal:2", "seats": 1])
            #expect(overbooked.ephemeral && overbooked.text
                == "The role tank has 2 seats, more than the lobby's 1 seat. Raise `seats` or lower the role's count.",
                "\(overbooked)")
        }
    }
}
}

/// The embeds of the lobby messages in the text channel, oldest first.
private func lobbyMessages(_ world: SandboxWorld) async -> [String] {
    await world.messages().filter { $0.author == world.master.userID && !$0.isInteractionReply }.compactMap(\.embed)
}

/// The newest lobby message's embed (title, then the description with the headline first).
private func lobbyMessage(_ world: SandboxWorld) async -> String? {
    await lobbyMessages(world).last
}
