import AnankorCore
import AnankorSandbox
import DiscordEmulator
import Foundation
import Testing

extension EndToEnd {
/// Saved playlists as members use them: saved from what plays, listed, loaded into another
/// channel's session, renamed and deleted; a member's own and the server's shared ones.
@Suite("Playlists end to end")
struct PlaylistTests {
    @Test("/playlist save, list, load, rename, delete, in a member's and the server's scope", arguments: Mode.allCases)
    func playlists(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let nothing = try await alice.run("playlist save", ["name": "Mix"])
            #expect(nothing.ephemeral
                && nothing.text == "Nothing is playing or queued in your voice channel, so there is nothing to save.", "\(nothing)")
            _ = try await alice.run("play", ["query": "https://youtu.be/first"])
            _ = try await alice.run("play", ["query": "https://youtu.be/second"])

            let saved = try await alice.run("playlist save", ["name": "Road *trip*"])
            #expect(saved.text == "Saved 2 tracks as **Road \\*trip\\***.", "member text is escaped: \(saved)")
            let list = try await alice.run("playlist list")
            #expect(list.ephemeral && list.text.hasPrefix("**Your playlists**\n**Road \\*trip\\*** — 2 tracks, "), "\(list)")

            let bob = stage.member("bob")
            try await bob.join("Gaming")
            let missing = try await bob.run("playlist load", ["name": "Road *trip*"])
            #expect(missing.ephemeral
                && missing.text == "You have no playlist called **Road \\*trip\\***. /playlist list shows yours.", "\(missing)")

            let shared = try await alice.run("playlist save", ["name": "Party", "scope": "server"])
            #expect(shared.text == "Saved 2 tracks as **Party** for everyone in this server.", "\(shared)")
            let loaded = try await bob.run("playlist load", ["name": "party", "scope": "server"])
            #expect(loaded.text == "Queued 2 tracks from **Party**.", "names match regardless of case: \(loaded)")
            #expect(await world.eventually { await stage.player(in: "Gaming")?.track != nil }, "and Gaming hears it")

            let taken = try await alice.run("playlist rename", ["name": "Road *trip*", "new_name": "road *TRIP*"])
            #expect(taken.text == "Renamed **Road \\*trip\\*** to **road \\*TRIP\\***.", "a change of case only: \(taken)")
            let renamed = try await alice.run("playlist rename", ["name": "road *trip*", "new_name": "Drive"])
            #expect(renamed.text == "Renamed **road \\*TRIP\\*** to **Drive**.", "\(renamed)")
            #expect(try await alice.run("playlist delete", ["name": "Drive"]).text == "Deleted **Drive**.")
            let empty = try await alice.run("playlist list")
            #expect(empty.text == "You have no saved playlists. Save what is playing with /playlist save.", "\(empty)")

            // A German member sees the shared list in German, with the command named as registered.
            let dave = SandboxMember("dave", in: world, locale: "de")!
            let german = try await dave.run("playlist list", ["scope": "server"])
            #expect(german.text.hasPrefix("**Playlists dieses Servers**\n**Party** — 2 Titel, "), "\(german)")
            let none = try await dave.run("playlist delete", ["name": "Nope"])
            #expect(none.text == "Du hast keine Playlist namens **Nope**. /playlist liste zeigt deine.", "\(none)")

            // The German member saves what plays in Gaming, renames it and loads it, all in German.
            try await dave.join("Gaming")
            let germanSaved = try await dave.run("playlist save", ["name": "Abend"])
            #expect(germanSaved.text == "2 Titel als **Abend** gespeichert.", "\(germanSaved)")
            _ = try await dave.run("playlist save", ["name": "Morgen"])
            let germanTaken = try await dave.run("playlist rename", ["name": "Morgen", "new_name": "abend"])
            #expect(germanTaken.ephemeral && germanTaken.text == "Es gibt schon eine Playlist namens **abend**.", "\(germanTaken)")
            let germanRenamed = try await dave.run("playlist rename", ["name": "Abend", "new_name": "Nacht"])
            #expect(germanRenamed.text == "**Abend** in **Nacht** umbenannt.", "\(germanRenamed)")
            let germanLoaded = try await dave.run("playlist load", ["name": "nacht"])
            #expect(germanLoaded.text == "2 Titel aus **Nacht** eingereiht.", "\(germanLoaded)")
        }
    }

    @Test("playlist limits: too many playlists, the truncation notice, renaming onto another's name, the DJ gate on the server's",
          arguments: Mode.allCases)
    func limits(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let owner = UserID(alice.id)
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/limits"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track != nil })
            let playing = try #require(try await stage.ports.state.sessionRecord(stage.session("Lounge"))?.nowPlaying?.entry.track)
            let track = SavedPlaylist.Track(encoded: playing.encoded, title: playing.title, author: playing.author,
                                            uri: playing.uri, lengthMilliseconds: playing.lengthMs)
            // A full shelf, stored directly: a playlist of the most tracks one holds, and 24 small ones.
            try await stage.ports.ledger.savePlaylist(SavedPlaylist(
                owner: owner, name: "Big", tracks: Array(repeating: track, count: SavedPlaylist.maxTracks), updatedAt: Date()))
            for index in 1..<25 {  // PlaylistCommands.maxPlaylists
                try await stage.ports.ledger.savePlaylist(SavedPlaylist(owner: owner, name: "P\(index)", tracks: [track],
                                                                        updatedAt: Date()))
            }
            let full = try await alice.run("playlist save", ["name": "One more"])
            #expect(full.ephemeral && full.text
                == "There are already 25 playlists, the most there can be. Delete one with /playlist delete first.", "\(full)")
            #expect(try await alice.run("playlist save", ["name": "p1"]).text == "Saved 1 track as **p1**.",
                    "saving over an existing name is not one more")

            let loaded = try await alice.run("playlist load", ["name": "Big"])
            #expect(loaded.text == "Queued 500 tracks from **Big**.", "\(loaded)")
            #expect(try await alice.run("playlist delete", ["name": "P2"]).text == "Deleted **P2**.")
            let truncated = try await alice.run("playlist save", ["name": "Copy"])
            #expect(truncated.text == "Saved 500 tracks as **Copy**.\nOnly the first 500 tracks were saved: a playlist holds no more.",
                    "501 in the session: \(truncated)")
            #expect(try await stage.ports.ledger.playlist(owner: owner, name: "Copy")?.tracks.count == 500)

            let taken = try await alice.run("playlist rename", ["name": "Copy", "new_name": "big"])
            #expect(taken.ephemeral && taken.text == "There is already a playlist called **big**.", "\(taken)")
            #expect(try await stage.ports.ledger.playlist(owner: owner, name: "Copy") != nil, "nothing renamed")

            // With a DJ role, the server's shared playlists are the DJs' (and managers') to change.
            let dj = try await world.discord.createRole(in: world.guild, name: "DJ", permissions: 0)
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            _ = try await alice.run("settings dj", ["role": .string("\(dj)")])
            let bob = stage.member("bob")
            try await bob.join("Lounge")
            let gate = "Only members with the <@&\(dj)> role can use this command."
            for (command, options) in [("playlist save", ["name": "Shared", "scope": "server"]),
                                       ("playlist rename", ["name": "Shared", "new_name": "Ours", "scope": "server"]),
                                       ("playlist delete", ["name": "Shared", "scope": "server"])] as [(String, EmulatorJSON)] {
                let refused = try await bob.run(command, options)
                #expect(refused.ephemeral && refused.text == gate, "/\(command): \(refused)")
            }
            try await world.discord.addMember(bob.id, to: world.guild, roles: [dj])
            let shared = try await bob.run("playlist save", ["name": "Shared", "scope": "server"])
            #expect(shared.text == "Saved 500 tracks as **Shared** for everyone in this server.\n"
                + "Only the first 500 tracks were saved: a playlist holds no more.", "a DJ may: \(shared)")
            let german = SandboxMember("dave", in: world, locale: "de")!
            let germanGate = try await german.run("playlist delete", ["name": "Shared", "scope": "server"])
            #expect(germanGate.text == "Nur Mitglieder mit der Rolle <@&\(dj)> können diesen Befehl verwenden.", "\(germanGate)")
        }
    }
}
}
