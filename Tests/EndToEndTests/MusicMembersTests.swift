import AnankorCore
import AnankorSandbox
import DiscordEmulator
import Foundation
import Testing

/// What members see of vote skip, of the voice channel's status, and of routing that checks a
/// worker bot's voice permissions before it is sent into a channel.
extension EndToEnd {
@Suite("Vote skip, voice status and voice permissions end to end")
struct MusicMembersTests {
    @Test("three listeners: a member's /skip is a vote shown on the board, the second vote skips, a voter who left no longer counts",
          arguments: Mode.allCases)
    func voteSkip(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let carol = stage.member("carol")
            for member in [alice, bob, carol] { try await member.join("Lounge") }
            let one = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/vote-one"]).text))
            let two = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/vote-two"]).text))
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            let playing = await stage.player(in: "Lounge")?.track?.title

            let vote = try await bob.run("skip")
            #expect(!vote.ephemeral && vote.text == "🗳️ Vote counted: 1/2 votes to skip **\(one)**.", "\(vote)")
            #expect(await world.eventually {
                await world.nowPlayingMessages().last?.embed?.contains("⏭️ 1/2 votes to skip") == true
            }, "the board shows the votes")
            let again = try await bob.press("skip", forSessionIn: "Lounge")
            #expect(again.ephemeral && again.text == "You have already voted: 1/2 votes to skip **\(one)**.", "\(again)")
            #expect(await stage.player(in: "Lounge")?.track?.title == playing, "one vote of three skips nothing")

            let german = SandboxMember("carol", in: world, locale: "de")!
            let passed = try await german.run("skip")
            #expect(passed.text == "**\(one)** übersprungen: 2/2 Stimmen dafür.", "\(passed)")
            #expect(await world.eventually {
                let now = await stage.player(in: "Lounge")?.track?.title
                return now != nil && now != playing
            }, "the second vote skipped to \(two)")
            #expect(await world.eventually {
                await world.nowPlayingMessages().last?.embed.map { !$0.contains("votes to skip") } == true
            }, "the votes reset with the track")

            // Four listeners need two votes; Bob votes and leaves, so Carol's vote is the only one.
            try await stage.member("dave").join("Lounge")
            let bobs = try await bob.run("skip")
            #expect(bobs.text == "🗳️ Vote counted: 1/2 votes to skip **\(two)**.", "\(bobs)")
            try await bob.join(nil)
            #expect(await world.eventually {
                await world.nowPlayingMessages().last?.embed.map { !$0.contains("votes to skip") } == true
            }, "the board drops the vote of the member who left")
            let carols = try await carol.run("skip")
            #expect(carols.text == "🗳️ Vote counted: 1/2 votes to skip **\(two)**.", "\(carols)")
            // Whoever queued the track skips it without a vote.
            #expect(try await alice.run("skip").text == "Skipped **\(two)**.")
        }
    }

    @Test("a server's vote share is set with /settings voteskip and a channel's own overrides it",
          arguments: Mode.allCases)
    func voteShareSetting(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            let set = try await alice.run("settings voteskip", ["share": 100])
            #expect(set.ephemeral && set.text.hasPrefix("With more than two listeners, a track is now skipped once 100% of them vote"),
                    "\(set)")
            let show = try await alice.run("settings show")
            #expect(show.text.contains("Vote skip: 100% of the listeners"), "\(show)")
            for name in ["alice", "bob", "carol"] { try await stage.member(name).join("Lounge") }
            let one = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/share-one"]).text))
            #expect(try await stage.member("bob").run("skip").text == "🗳️ Vote counted: 1/3 votes to skip **\(one)**.")
            let channel = try await alice.run("settings channel", ["channel": .string("\(stage.voice("Lounge"))"),
                                                                   "vote_skip": 34])
            #expect(channel.text == "Settings of <#\(stage.voice("Lounge"))>: vote skip 34%.", "\(channel)")
            #expect(try await stage.member("carol").run("skip").text == "Skipped **\(one)**: 2/2 votes to skip.",
                    "34% of three is two votes, Bob's and Carol's")

            // A German manager: the same settings, confirmed and shown in German.
            let dave = SandboxMember("dave", in: world, locale: "de")!
            try await world.discord.addMember(dave.id, to: world.guild, roles: [world.moderatorRole])
            let germanSet = try await dave.run("settings voteskip", ["share": 60])
            #expect(germanSet.ephemeral && germanSet.text
                == "Bei mehr als zwei Zuhörern wird ein Titel jetzt übersprungen, sobald 60% von ihnen mit /überspringen dafür stimmen. DJs und wer den Titel eingereiht hat, überspringen sofort.",
                    "\(germanSet)")
            let germanShow = try await dave.run("settings show")
            #expect(germanShow.text.contains("Überspringen per Abstimmung: 60% der Zuhörer")
                && germanShow.text.contains("<#\(stage.voice("Lounge"))>: Abstimmung 34%"), "\(germanShow)")
            let germanChannel = try await dave.run("settings channel", ["channel": .string("\(stage.voice("Lounge"))"),
                                                                        "vote_skip": 50])
            #expect(germanChannel.text == "Einstellungen von <#\(stage.voice("Lounge"))>: Abstimmung 50%.", "\(germanChannel)")
        }
    }

    @Test("the voice channel's status names the track and is cleared when the session ends; without the permission it is skipped",
          arguments: Mode.allCases)
    func voiceStatus(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let lounge = stage.voice("Lounge")
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/status-one"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            let title = try #require(await stage.player(in: "Lounge")?.track?.title)
            let author = try #require(await stage.player(in: "Lounge")?.track?.author)
            let expected = "🎵 \(title) — \(author)"
            let shown = await world.eventually { await world.discord.voiceStatus(of: lounge) == expected }
            let first = await world.discord.voiceStatus(of: lounge)
            #expect(shown, "status: \(String(describing: first))")
            #expect(try await alice.run("leave").text.hasPrefix("Left"))
            #expect(await world.eventually { await world.discord.voiceStatus(of: lounge) == nil }, "cleared on leaving")

            // Without Manage Channels or Set Voice Channel Status the worker bots show nothing.
            let without = SandboxWorld.botPermissions & ~(UInt64(1) << 4)
            try await world.discord.setPermissions(ofRole: world.botRole, in: world.guild, to: without)
            _ = try await alice.run("play", ["query": "https://youtu.be/status-two"])
            _ = try await alice.run("play", ["query": "https://youtu.be/status-three"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.uri?.contains("status-two") == true })
            #expect(await world.eventually { await world.nowPlayingMessages().count >= 2 })
            #expect(await world.discord.voiceStatus(of: lounge) == nil)
            let notices = await world.notices().map(\.content)
            #expect(!notices.contains { $0.localizedCaseInsensitiveContains("permission") },
                    "a missing status permission is not worth a post")
            // Given the permission, the next track shows.
            try await world.discord.setPermissions(ofRole: world.botRole, in: world.guild,
                                                   to: without | EmulatedPermission.setVoiceChannelStatus)
            _ = try await alice.run("skip")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.uri?.contains("status-three") == true })
            let threeTitle = try #require(await stage.player(in: "Lounge")?.track?.title)
            let threeAuthor = try #require(await stage.player(in: "Lounge")?.track?.author)
            let expectedAgain = "🎵 \(threeTitle) — \(threeAuthor)"
            let shownAgain = await world.eventually { await world.discord.voiceStatus(of: lounge) == expectedAgain }
            let status = await world.discord.voiceStatus(of: lounge)
            #expect(shownAgain, "status: \(String(describing: status))")
        }
    }

    @Test("a worker bot a channel overwrite keeps out is passed over; a channel no bot may join gets the permission named",
          arguments: Mode.allCases)
    func routingChecksPermissions(mode: Mode) async throws {
        try await withStage(mode, plan: .testing(workerBots: 2)) { stage in
            let world = stage.world
            let bots = world.workers.map(\.userID).sorted()
            // Routing picks the lower id first when loads tie: that bot is kept out of "Locked".
            let locked = try await world.discord.createChannel(
                in: world.guild, name: "Locked", type: .voice,
                overwrites: [EmulatedOverwrite(id: bots[0], kind: .member, deny: EmulatedPermission.connect)])
            let alice = stage.member("alice")
            try await world.discord.setVoiceChannel(of: alice.id, in: world.guild, to: locked)
            let queued = try await alice.run("play", ["query": "https://youtu.be/locked"])
            #expect(queued.text.hasPrefix("Queued **"), "\(queued)")
            #expect(await world.eventually { await world.voiceChannel(of: bots[1]) == locked }, "the bot that may join did")
            #expect(await world.voiceChannel(of: bots[0]) == nil)

            let closed = try await world.discord.createChannel(
                in: world.guild, name: "Closed", type: .voice,
                overwrites: [EmulatedOverwrite(id: world.botRole, kind: .role, deny: EmulatedPermission.speak)])
            let bob = SandboxMember("bob", in: world)!
            try await world.discord.setVoiceChannel(of: bob.id, in: world.guild, to: closed)
            let refused = try await bob.run("play", ["query": "https://youtu.be/closed"])
            #expect(refused.ephemeral)
            #expect(refused.text == "No music bot may play in <#\(closed)>: missing **Speak**. A server manager can allow it in the channel's permissions.",
                    "\(refused)")
            let dave = SandboxMember("dave", in: world, locale: "de")!
            try await world.discord.setVoiceChannel(of: dave.id, in: world.guild, to: closed)
            let german = try await dave.run("play", ["query": "https://youtu.be/closed"])
            #expect(german.text == "Kein Musik-Bot darf in <#\(closed)> spielen: es fehlt **Sprechen**. Eine Serververwaltung kann es in den Berechtigungen des Kanals erlauben.",
                    "the permission as a German Discord client names it: \(german)")
            #expect(try await stage.ports.state.sessionRecord(SessionKey(guild: GuildID(world.guild), channel: ChannelID(closed)))?
                .binding == nil)

            // Connect denied to every bot (through their role): Connect is named.
            let barred = try await world.discord.createChannel(
                in: world.guild, name: "Barred", type: .voice,
                overwrites: [EmulatedOverwrite(id: world.botRole, kind: .role, deny: EmulatedPermission.connect)])
            let carol = SandboxMember("carol", in: world)!
            try await world.discord.setVoiceChannel(of: carol.id, in: world.guild, to: barred)
            let noConnect = try await carol.run("play", ["query": "https://youtu.be/barred"])
            #expect(noConnect.ephemeral && noConnect.text
                == "No music bot may play in <#\(barred)>: missing **Connect**. A server manager can allow it in the channel's permissions.",
                    "\(noConnect)")
            try await world.discord.setVoiceChannel(of: dave.id, in: world.guild, to: barred)
            let germanConnect = try await dave.run("play", ["query": "https://youtu.be/barred"])
            #expect(germanConnect.ephemeral
                && germanConnect.text.hasPrefix("Kein Musik-Bot darf in <#\(barred)> spielen: es fehlt **Verbinden**."),
                    "\(germanConnect)")
            #expect(try await stage.ports.state.sessionRecord(SessionKey(guild: GuildID(world.guild), channel: ChannelID(barred)))?
                .binding == nil)
        }
    }
}
}
