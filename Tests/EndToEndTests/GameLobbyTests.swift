import AnankorCore
import AnankorSandbox
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// Game lobbies through the emulators, on the embedded and the distributed adapters: sign-ups,
/// the bench, clear errors, start and end.
@Suite("Game lobbies end to end")
struct GameLobbyTests {
    @Test("sign-up beyond the seats goes to the bench; a leave promotes the first bench member with a notice",
          arguments: Mode.allCases)
    func benchAndPromotion(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let carol = stage.member("carol")
            let created = try await alice.run("game create", ["title": "Raid", "seats": 2])
            // No start time: the reply says how it starts instead of a placeholder.
            #expect(created.ephemeral && created.text == "Lobby **Raid** is open: 2 seats; it starts when the host uses /game start.",
                    "\(created)")
            #expect(try await bob.pressLobby("join").text == "You joined **Raid**.")
            let benched = try await carol.run("game join")
            #expect(benched.text == "All seats of **Raid** are taken; you are on the bench at position 1.")
            #expect(try await carol.run("game join").text == "You are already signed up for **Raid**.")
            #expect(try await bob.pressLobby("leave").text == "You left **Raid**.")
            #expect(await world.eventually {
                await world.messages().contains { $0.content == "<@\(carol.id)>, a seat freed up: you are now in **Raid**." }
            })
            let lobby = try #require(try await stage.ports.state.openLobbies(in: GuildID(world.guild)).first)
            #expect(lobby.participants.map(\.user.rawValue) == [alice.id, carol.id] && lobby.bench.isEmpty)
        }
    }

    @Test("bad times, unknown lobbies and members who are not the host get clear private errors",
          arguments: Mode.allCases)
    func errors(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let unknown = try await bob.run("game join")
            #expect(unknown.ephemeral && unknown.text == "There is no open lobby here.")
            let unreadable = try await alice.run("game create", ["title": "Raid", "start": "whenever"])
            #expect(unreadable.ephemeral && unreadable.text.hasPrefix("I cannot read the start time “whenever”"))
            let past = try await alice.run("game create", ["title": "Raid", "start": "2020-01-01 20:00 UTC"])
            #expect(past.ephemeral && past.text == "The start time “2020-01-01 20:00 UTC” is in the past.")
            let everyone = try await alice.run("game create", ["title": "Raid", "lobby_role": .string("\(world.guild)")])
            #expect(everyone.ephemeral && everyone.text.contains("a role other than @everyone"), "\(everyone)")
            _ = try await alice.run("game create", ["title": "Raid", "start": "in 2h"])
            let refused = try await bob.run("game start")
            #expect(refused.ephemeral && refused.text == "Only the host or members who can manage events can do that.")
            #expect(try await alice.run("game cancel").text == "**Raid** was cancelled.")
            #expect(try await alice.run("game start").text == "There is no open lobby here.")
        }
    }

    @Test("start moves exactly the ready members in voice; end deletes the temporary channel and /game stats reports it",
          arguments: Mode.allCases)
    func startAndEnd(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let carol = stage.member("carol")
            let dave = stage.member("dave")
            _ = try await alice.run("game create", ["title": "Raid", "game": "Deep Rock", "seats": 3,
                                                    "lobby_role": .string("\(world.playersRole)")])
            for member in [bob, carol] { _ = try await member.run("game join") }
            _ = try await dave.run("game join")  // benched
            try await alice.join("Lounge")
            try await bob.join("Lounge")
            try await dave.join("Lounge")
            #expect(try await alice.run("game ready").text == "You are ready for **Raid**.")
            _ = try await bob.run("game ready")
            _ = try await carol.run("game ready")  // ready, not in voice
            let started = try await alice.run("game start")
            // The lobby's channel is made after the reply: it names none rather than an empty one.
            #expect(started.text == "**Raid** has started.", "\(started)")
            let guild = GuildID(world.guild)
            let lobbyID = try #require(await started.lobbyID(in: stage))
            var channel: UInt64?
            let moved = await world.eventually {
                channel = try? await stage.ports.state.lobby(lobbyID, in: guild)?.voiceChannel?.rawValue
                guard let channel else { return false }
                let aliceIn = await world.voiceChannel(of: alice.id)
                let bobIn = await world.voiceChannel(of: bob.id)
                return aliceIn == channel && bobIn == channel
            }
            #expect(moved, "the ready members in voice are moved into the temporary channel")
            if let channel {
                #expect(await world.eventually {
                    await world.messages().contains { "\($0.content)\n\($0.embed ?? "")".contains("**Raid** has started in <#\(channel)>.") }
                }, "the lobby message names the channel once it is there")
            }
            let lounge = world.voiceChannel("Lounge")
            #expect(await world.voiceChannel(of: dave.id) == lounge, "the bench stays")
            #expect(await world.voiceChannel(of: carol.id) == nil)
            func hasRole(_ member: SandboxMember) async -> Bool {
                await world.discord.roles(of: member.id, in: world.guild)?.contains(world.playersRole) == true
            }
            func roleHolders() async -> Set<UInt64> {
                var holders: Set<UInt64> = []
                for member in [alice, bob, carol, dave] where await hasRole(member) { holders.insert(member.id) }
                return holders
            }
            #expect(await world.eventually { await roleHolders() == [alice.id, bob.id, carol.id] },
                    "the ready participants get the lobby role, the bench does not")
            let ended = try await alice.run("game end")
            // The length with its unit ("ended after 0:24" read as minutes or seconds).
            #expect(ended.text.wholeMatch(of: /\*\*Raid\*\* has ended after \d+ (second|seconds|minute|minutes)\./) != nil,
                    "\(ended)")
            if let channel {
                let deleted = await world.eventually {
                    let snapshot = await world.discord.guildSnapshot(world.guild)
                    return !"\(snapshot)".contains("\(channel)")
                }
                #expect(deleted, "the temporary channel is deleted")
            }
            #expect(await world.eventually { await roleHolders().isEmpty },
                    "the lobby role is taken back at the end")
            let stats = try await bob.run("game stats")
            #expect(stats.text.hasPrefix("<@\(bob.id)>: 1 session,"), "\(stats)")
            #expect(stats.text.contains("favourite: Deep Rock"))
            let carolStats = try await bob.run("game stats", ["user": .string("\(carol.id)")])
            // No game played yet: "none yet", not a placeholder.
            #expect(carolStats.text == "<@\(carol.id)>: 0 sessions, 0 seconds played, favourite: none yet, no-shows: 1.",
                    "\(carolStats)")
        }
    }
}
}

extension LobbyAndProcessEndToEnd.GameLobbyTests {
    @Test("without Move Members the lobby channel is told clearly; nobody is moved",
          arguments: Mode.allCases)
    func missingMoveMembers(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            try await world.discord.setPermissions(ofRole: world.botRole, in: world.guild,
                                                   to: SandboxWorld.botPermissions & ~(1 << 24))
            let alice = stage.member("alice")
            let gaming = try #require(world.voiceChannel("Gaming"))
            _ = try await alice.run("game create", ["title": "Scrim", "voice": .string("\(gaming)")])
            try await alice.join("Lounge")
            _ = try await alice.run("game ready")
            let scrim = try await alice.run("game start")
            #expect(scrim.text == "**Scrim** has started in <#\(gaming)>.", "\(scrim)")
            #expect(await world.eventually {
                await world.notices().contains {
                    $0.content == "I need the Move Members permission in <#\(gaming)> to bring players into voice."
                }
            })
            #expect(await world.voiceChannel(of: alice.id) == world.voiceChannel("Lounge"))
        }
    }
}

extension LobbyAndProcessEndToEnd.GameLobbyTests {
    @Test("a lobby with music: at start a worker bot joins the lobby channel and plays it",
          arguments: Mode.allCases)
    func musicAtStart(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let gaming = try #require(world.voiceChannel("Gaming"))
            _ = try await alice.run("game create", ["title": "Chill run", "voice": .string("\(gaming)"),
                                                    "music": "https://youtu.be/lobby-music"])
            try await alice.join("Gaming")
            #expect(try await alice.run("game start").text.hasPrefix("**Chill run** has started"))
            #expect(await world.eventually {
                guard let bot = await stage.boundBot("Gaming"), await world.voiceChannel(of: bot) == gaming else { return false }
                return await stage.player(of: bot)?.track != nil
            }, "a worker plays in the lobby channel")
            #expect(await world.eventually { await world.messages().contains { $0.content.hasPrefix("Queued **") } })
        }
    }
}

extension SandboxAnswer {
    /// The newest lobby of the stage's guild (the one a test just started).
    func lobbyID(in stage: MusicStage) async -> LobbyID? {
        let lobbies = try? await stage.ports.state.openLobbies(in: GuildID(stage.world.guild))
        return lobbies?.last?.id
    }
}
