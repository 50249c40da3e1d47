import AnankorCore
import AnankorSandbox
import Foundation
import LavalinkEmulator
import Testing

extension SandboxWorld.Plan {
    /// The testing plan with every Lavalink plugin on the emulated nodes.
    static var withPlugins: Self {
        var plan = testing
        plan.lavalinkPlugins = .all
        return plan
    }
}

/// What Lavalink's plugins give members: LavaSrc links, SponsorBlock skips, LavaSearch's typed
/// search, LavaLyrics' lyrics — and clear answers on a node without them.
extension EndToEnd {
@Suite("Music with Lavalink plugins end to end")
struct MusicPluginTests {
    @Test("a Spotify link plays (LavaSrc mirrors it); the reply names the track", arguments: Mode.allCases)
    func spotifyLinkPlays(mode: Mode) async throws {
        try await withStage(mode, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let answer = try await alice.run("play", ["query": "https://open.spotify.com/track/0eG08cBeKk0mzykKjw4hcQ"])
            let title = try #require(boldTitle(answer.text), "\(answer)")
            #expect(answer.text.hasPrefix("Queued **"))
            #expect(await world.eventually {
                let player = await stage.player(in: "Lounge")
                return player?.track?.title == title && player?.track?.sourceName == "spotify"
            })
        }
    }

    @Test("a sponsor segment is skipped by the node and announced in the session's channel", arguments: Mode.allCases)
    func sponsorSegmentSkipped(mode: Mode) async throws {
        try await withStage(mode, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            // A 3:11 video: the catalogue puts a sponsor segment at 0:30–0:45.
            _ = try await alice.run("play", ["query": "https://youtu.be/sponsored0"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "sponsored0" })
            await world.lavalink.advance(byMilliseconds: 31_000)
            #expect(await world.eventually {
                await world.messages().contains {
                    $0.author == world.master.userID
                        && $0.content == "⏭️ Skipped a sponsor segment (0:30–0:45) in **Broken Embers**."
                }
            })
            let position = try #require(await stage.player(in: "Lounge")?.position)
            #expect(position >= 45_000, "the node jumped past the segment")
        }
    }

    @Test("a guild that chose no SponsorBlock categories hears the whole video", arguments: Mode.allCases)
    func noCategoriesChosen(mode: Mode) async throws {
        try await withStage(mode, plan: .withPlugins) { stage in
            let world = stage.world
            try await stage.ports.ledger.updateGuildSettings(GuildID(world.guild)) { $0.sponsorBlockCategories = [] }
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/sponsored0"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.identifier == "sponsored0" })
            await world.lavalink.advance(byMilliseconds: 40_000)
            let position = try #require(await stage.player(in: "Lounge")?.position)
            #expect((39_000...41_000).contains(position), "no jump: \(position)")
        }
    }

    @Test("a typed search offers albums; picking one queues the whole album", arguments: Mode.allCases)
    func typedSearchPicksAlbum(mode: Mode) async throws {
        try await withStage(mode, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let offer = try await alice.run("search", ["query": "architects", "type": "album"])
            #expect(offer.ephemeral && offer.text == "Pick one to queue all its tracks:", "\(offer)")
            let menu = try #require(await world.discord.messages(in: world.textChannel).last { message in
                message["components"]?.arrayValue?.first?["components"]?.arrayValue?.first?["custom_id"]?.stringValue?
                    .hasPrefix("pick:") == true
            })
            let select = try #require(menu["components"]?.arrayValue?.first?["components"]?.arrayValue?.first)
            let options = select["options"]?.arrayValue ?? []
            #expect(options.count == 3, "the emulator's LavaSearch finds three albums")
            let album = try #require(options[0]["value"]?.stringValue)
            #expect(album.hasPrefix("https://open.spotify.com/album/"))
            let pick = try await world.discord.chooseSelectOptions(
                [album], in: try #require(select["custom_id"]?.stringValue), on: try #require(menu["id"]?.snowflakeValue),
                by: alice.id)
            let answer = try #require(await world.answer(to: pick))
            let label = try #require(options[0]["label"]?.stringValue)
            #expect(answer.text.hasPrefix("Queued ") && answer.text.contains(" tracks from **"), "\(answer)")
            #expect(label.hasSuffix(try #require(boldTitle(answer.text))), "the album picked is the album queued")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.sourceName == "spotify" })
        }
    }

    @Test("/lyrics shows the playing track's timed lyrics, in the member's language", arguments: Mode.allCases)
    func lyrics(mode: Mode) async throws {
        try await withStage(mode, plan: .withPlugins) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let queued = try await alice.run("play", ["query": "https://open.spotify.com/track/5ofoB8PFmocBXFBEWVb6Vz"])
            let title = try #require(boldTitle(queued.text))
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == title })
            let answer = try await alice.run("lyrics")
            #expect(answer.ephemeral)
            #expect(answer.text.hasPrefix("📝 Lyrics of **\(title)** (spotify, MusixMatch):\n`0:08` "), "\(answer)")
            #expect(answer.text.count <= 2_000)

            let german = try #require(SandboxMember("bob", in: world, locale: "de"))
            try await german.join("Lounge")
            #expect(try await german.run("lyrics").text.hasPrefix("📝 Songtext von **\(title)**"))

            // A SoundCloud track has no lyrics: said so, with its title, in each member's language.
            let quiet = try #require(boldTitle(try await alice.run("play", ["query": "scsearch:quiet piano"]).text))
            #expect(try await alice.run("skip").text == "Skipped **\(title)**.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == quiet })
            let none = try await alice.run("lyrics")
            #expect(none.ephemeral && none.text == "No lyrics found for **\(quiet)**.", "\(none)")
            let germanNone = try await german.run("lyrics")
            #expect(germanNone.ephemeral && germanNone.text == "Kein Songtext für **\(quiet)** gefunden.",
                    "\(germanNone)")
        }
    }

    @Test("without the plugins, /lyrics, a typed /search and a Spotify link say the music server lacks them, in the member's language",
          arguments: Mode.allCases)
    func withoutPlugins(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/plain1"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            let lyrics = try await alice.run("lyrics")
            #expect(lyrics.ephemeral)
            #expect(lyrics.text == "Lyrics need the LavaLyrics plugin on the music server, and this one has none.")
            let search = try await alice.run("search", ["query": "architects", "type": "artist"])
            #expect(search.ephemeral && search.text.hasPrefix("Searching by Artist needs the LavaSearch and LavaSrc plugins"),
                    "\(search)")
            // A Spotify link finds nothing on a bare node (no LavaSrc): the reply says why.
            let spotify = try await alice.run("play", ["query": "https://open.spotify.com/track/0eG08cBeKk0mzykKjw4hcQ"])
            #expect(spotify.ephemeral && spotify.text
                == "Links from Spotify need the LavaSrc plugin on the music server, and it has none for Spotify. Search by name instead.",
                "\(spotify)")
            let dave = try #require(SandboxMember("dave", in: world, locale: "de"))
            try await dave.join("Lounge")
            #expect(try await dave.run("lyrics").text
                == "Songtexte brauchen das Plugin LavaLyrics auf dem Musikserver, und dieser hat es nicht.")
            #expect(try await dave.run("play", ["query": "https://deezer.com/track/3135556"]).text
                == "Links von Deezer brauchen das Plugin LavaSrc auf dem Musikserver, und dort fehlt es für Deezer. Suche stattdessen nach dem Namen.")
        }
    }
}
}
