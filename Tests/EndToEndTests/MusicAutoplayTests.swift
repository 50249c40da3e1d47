import AnankorCore
import AnankorSandbox
import Foundation
import LavalinkEmulator
import Testing

/// Autoplay modes, the guild's SponsorBlock categories and the skipped-segment line of the
/// now-playing message, as members see them through the emulators.
extension EndToEnd {
@Suite("Autoplay modes and SponsorBlock choices end to end")
struct MusicAutoplayTests {
    @Test("when the queue runs out, autoplay goes on by the chosen mode and never replays what just ended",
          arguments: Mode.allCases)
    func autoplayByMode(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/plain1"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "plain1" })
            let on = try await alice.run("autoplay", ["mode": "mixed"])
            #expect(on.text == "Autoplay is on: similar tracks and more by the same artist take turns when the queue runs out.",
                    "\(on)")
            let first = try #require(await stage.player(in: "Lounge")?.track)

            // First turn, similar: the video's YouTube mix, which starts with the video itself;
            // autoplay takes the next entry instead of playing it again.
            await world.lavalink.advance(byMilliseconds: first.length + 1_000)
            #expect(await world.eventually {
                let now = await stage.player(in: "Lounge")?.track?.identifier
                return now != nil && now != "plain1"
            }, "a related track follows, not the one that just ended")
            let second = try #require(await stage.player(in: "Lounge")?.track)

            // Second turn, artist: a search for the artist of what just played.
            await world.lavalink.advance(byMilliseconds: second.length + 1_000)
            #expect(await world.eventually {
                let now = await stage.player(in: "Lounge")?.track
                return now?.title.hasPrefix("\(second.author) (") == true
            }, "more by \(second.author) follows")
            let third = try #require(await stage.player(in: "Lounge")?.track)
            #expect(Set([first.identifier, second.identifier, third.identifier]).count == 3, "nothing played twice")
            #expect(await world.nowPlayingMessages().last?.embed?.contains("♾️ mixed") == true)

            #expect(try await alice.run("autoplay", ["mode": "off"]).text == "Autoplay is off.")
            await world.lavalink.advance(byMilliseconds: third.length + 1_000)
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track == nil }, "off: the music stops")
        }
    }

    @Test("/settings sponsorblock: an unknown category is refused; the choice is shown and the node follows it")
    func sponsorBlockCategories() async throws {
        try await withStage(.embedded, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            let unknown = try await alice.run("settings sponsorblock", ["categories": "intro, ads"])
            #expect(unknown.ephemeral && unknown.text == "The option `categories` is not valid: `ads` is not a SponsorBlock "
                + "category; use sponsor, selfpromo, interaction, intro, outro, preview, music_offtopic, filler, or none.",
                "\(unknown)")
            #expect(try await stage.ports.ledger.guildSettings(GuildID(world.guild)).sponsorBlockCategories == nil)
            #expect(try await alice.run("settings show").text.contains("\nSponsorBlock skips: sponsor, selfpromo, interaction"))

            let chosen = try await alice.run("settings sponsorblock", ["categories": "Intro"])
            #expect(chosen.ephemeral && chosen.text == "SponsorBlock now skips these parts of videos: intro.", "\(chosen)")
            #expect(try await alice.run("settings show").text.contains("\nSponsorBlock skips: intro"))

            // Felt: the intro (0:00–0:04) is skipped, the sponsor segment (0:30–0:45) plays.
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/sponsored0"])
            _ = try await alice.run("play", ["query": "https://youtu.be/plain1"])
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "⏭️ Skipped the intro (0:00–0:04) in **Broken Embers**." }
            })
            await world.lavalink.advance(byMilliseconds: 36_000)
            let position = try #require(await stage.player(in: "Lounge")?.position)
            #expect((39_000...41_000).contains(position), "the sponsor segment plays: \(position)")

            // Back to the defaults mid-session: the next track follows them.
            let reset = try await alice.run("settings sponsorblock")
            #expect(reset.text == "SponsorBlock now skips these parts of videos: sponsor, selfpromo, interaction.", "\(reset)")
            _ = try await alice.run("skip")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "plain1" })
            await world.lavalink.advance(byMilliseconds: 31_000)
            #expect(await world.eventually { (await stage.player(in: "Lounge")?.position ?? 0) >= 45_000 },
                    "the sponsor segment of the next video is skipped")
            let none = try await alice.run("settings sponsorblock", ["categories": "none"])
            #expect(none.text == "SponsorBlock now skips nothing: videos play in full.", "\(none)")
        }
    }

    @Test("the now-playing message says which segment was skipped, in the guild's language, until the next track")
    func boardShowsSkippedSegment() async throws {
        try await withStage(.embedded, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            _ = try await alice.run("settings language", ["locale": "de"])
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/sponsored0"])
            _ = try await alice.run("play", ["query": "https://youtu.be/plain1"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "sponsored0" })
            #expect(await world.eventually { await world.nowPlayingMessages().count == 1 })
            #expect(await world.nowPlayingMessages().last?.embed?.contains("Übersprungen") == false)

            await world.lavalink.advance(byMilliseconds: 31_000)
            let shown = await world.eventually {
                await world.nowPlayingMessages().last?.embed?.contains("\n⏭️ Übersprungen: Sponsorenabschnitt (0:30–0:45)\n") == true
            }
            let board = await world.nowPlayingMessages().last?.embed ?? "no board"
            #expect(shown, "\(board)")
            #expect(await world.nowPlayingMessages().count == 1, "the same message, edited")

            _ = try await alice.run("skip")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "plain1" })
            let gone = await world.eventually {
                let board = await world.nowPlayingMessages().last?.embed ?? ""
                return board.contains(" / ") && !board.contains("Übersprungen") && !board.contains("Broken Embers")
            }
            let after = await world.nowPlayingMessages().last?.embed ?? "no board"
            #expect(gone, "the line goes with its track: \(after)")
        }
    }
}
}
