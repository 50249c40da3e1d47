import AnankorCore
import AnankorSandbox
import Foundation
import Testing

extension EndToEnd {
/// Commands beyond the queue: text commands, the DJ role, invite links, localized answers.
@Suite("Music commands end to end")
struct MusicCommandTests {
    @Test("`!play` typed in the channel works like /play; a bad `!volume` gets the same clear error; chatter is ignored",
          arguments: Mode.allCases)
    func textCommands(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            try await alice.say("!play https://youtu.be/typed")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            #expect(await world.eventually {
                await world.messages().contains { $0.author == world.master.userID && $0.content.hasPrefix("Queued **") }
            })
            try await alice.say("!volume loud")
            #expect(await world.eventually {
                await world.messages().contains { $0.content.hasPrefix("The option `level` is not valid") }
            }, "a bad text option gets the same clear error")
            try await alice.say("just chatting, no command here")
            // A command typed after the chatter is answered after it: by then the chatter got nothing.
            try await alice.say("!pause")
            #expect(await world.eventually {
                await world.messages().contains { $0.author == world.master.userID && $0.content == "Paused." }
            })
            #expect(!(await world.messages().contains { $0.content.contains("do not know that command") }))
        }
    }

    @Test("/leave then at once /play in the same channel: the same bot joins again and the new track plays")
    func playRightAfterLeave() async throws {
        // No periodic look at the players: what plays must come from the jobs, not from a repair.
        var tuning = SandboxTuning.quick
        tuning.reconcileInterval = .seconds(3600)
        try await withStage(.embedded, tuning: tuning) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/before-leave"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            #expect(try await alice.run("leave").text.hasPrefix("Left"))
            // The new session counts its jobs from zero again; those must not be taken for the
            // earlier life's jobs the worker already did.
            let again = try await alice.run("play", ["query": "https://youtu.be/after-leave"])
            #expect(again.text.contains("after-leave") || again.text.hasPrefix("Queued **") || again.text.hasPrefix("Now playing"),
                    "\(again)")
            #expect(await world.eventually {
                await stage.player(in: "Lounge")?.track?.uri?.contains("after-leave") == true
            }, "the track after the leave plays")
            _ = try await alice.run("pause")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.paused == true },
                    "later commands reach the player too")
        }
    }

    @Test("with a DJ role set, destructive commands need it; managers and DJs pass", arguments: Mode.allCases)
    func djRole(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let dj = try await world.discord.createRole(in: world.guild, name: "DJ", permissions: 0)
            try await stage.ports.ledger.updateGuildSettings(GuildID(world.guild)) { $0.djRole = RoleID(dj) }
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            try await alice.join("Lounge")
            try await bob.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/dj1"])
            _ = try await alice.run("play", ["query": "https://youtu.be/dj2"])
            let refused = try await bob.run("stop")
            #expect(refused.ephemeral && refused.text == "Only members with the <@&\(dj)> role can use this command.")
            // (/skip by a member without the role is a vote: see MusicVoteSkipTests.)
            #expect(try await bob.run("pause").text == "Paused.", "non-destructive commands stay open to everyone")
            try await world.discord.addMember(bob.id, to: world.guild, roles: [dj])
            #expect(try await bob.run("skip").text.hasPrefix("Skipped"))
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            #expect(try await alice.run("clear").text == "Cleared the queue.", "Manage Server passes the gate")
        }
    }

    @Test("/search offers the results privately; picking one queues and plays it")
    func search() async throws {
        try await withStage(.embedded) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let offer = try await alice.run("search", ["query": "synthwave"])
            #expect(offer.ephemeral && offer.text == "Pick a track to queue:", "\(offer)")
            let menu = try #require(await world.discord.messages(in: world.textChannel).last { message in
                message["components"]?.arrayValue?.first?["components"]?.arrayValue?.first?["custom_id"]?.stringValue?
                    .hasPrefix("pick:") == true
            })
            let select = try #require(menu["components"]?.arrayValue?.first?["components"]?.arrayValue?.first)
            let options = select["options"]?.arrayValue ?? []
            #expect(options.count == 5, "the emulator's search gives five results")
            let second = try #require(options[1]["value"]?.stringValue)
            let label = try #require(options[1]["label"]?.stringValue)
            let pick = try await world.discord.chooseSelectOptions(
                [second], in: try #require(select["custom_id"]?.stringValue), on: try #require(menu["id"]?.snowflakeValue),
                by: alice.id)
            let answer = try #require(await world.answer(to: pick))
            #expect(answer.text.hasPrefix("Queued **"), "\(answer)")
            #expect(label.hasSuffix(try #require(boldTitle(answer.text))), "the pick is the second result")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == boldTitle(answer.text) })
        }
    }

    @Test("/invite lists a link for every worker bot, privately")
    func invite() async throws {
        try await withStage(.embedded) { stage in
            let answer = try await stage.member("erin").run("invite")
            #expect(answer.ephemeral)
            for bot in stage.world.workers {
                #expect(answer.text.contains("client_id=\(bot.userID)&scope=bot%20applications.commands"))
            }
        }
    }

    @Test("answers follow the member's locale", arguments: [("de", "eingereiht"), ("fr", "ajouté à la file"), ("ja", "キュー")])
    func localized(locale: String, word: String) async throws {
        try await withStage(.embedded) { stage in
            let member = SandboxMember("carol", in: stage.world, locale: locale)!
            try await member.join("Study")
            let answer = try await member.run("play", ["query": "https://youtu.be/loc"])
            #expect(answer.text.contains(word), "\(answer)")
        }
    }

    @Test("refusals name commands as registered in the member's locale, explain in it and count in it",
          arguments: Mode.allCases)
    func localizedRefusals(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let dave = SandboxMember("dave", in: stage.world, locale: "de")!
            let outside = try await dave.run("seek", ["position": "1:00"])
            #expect(outside.text == "Tritt zuerst einem Sprachkanal bei und nutze dann /springen erneut.", "\(outside)")
            try await dave.join("Lounge")
            _ = try await dave.run("play", ["query": "https://youtu.be/de"])
            _ = try await dave.run("play", ["query": "https://youtu.be/de2"])
            let seek = try await dave.run("seek", ["position": "abc"])
            #expect(seek.ephemeral && seek.text.hasPrefix("„abc“ ist keine Zeitangabe."), "\(seek)")
            let queue = try await dave.run("queue")
            #expect(queue.text.contains("(1 Titel):"), "\(queue)")
            let erin = SandboxMember("erin", in: stage.world, locale: "pt-BR")!
            let away = try await erin.run("queue")
            #expect(away.text == "Entre primeiro em um canal de voz e use /fila de novo.", "\(away)")
            try await erin.join("Lounge")
            let bad = try await erin.run("remove", ["position": 9])
            #expect(bad.text == "Não há faixa na posição 9; a fila tem 1 faixa.", "\(bad)")
        }
    }
}
}
