import AnankorCore
import AnankorSandbox
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
}
}
