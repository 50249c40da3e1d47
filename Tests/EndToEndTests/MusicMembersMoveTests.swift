import AnankorCore
import AnankorSandbox
import DiscordEmulator
import Foundation
import Testing

/// Members who move on — to another channel, into a game lobby — take their music with them or
/// end it; they are not kept waiting for the alone timeout (10 minutes in these stages).
extension EndToEnd {
@Suite("Music when members move")
struct MusicMembersMoveTests {
    @Test("a member who moves to another channel can start music there at once: the only bot follows")
    func memberChangesChannel() async throws {
        try await withStage(.embedded, plan: .testing(workerBots: 1)) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await MusicFailureTests.startPlaying(stage)
            try await alice.join("Karaoke")
            let answer = try await alice.run("play", ["query": "https://youtu.be/karaoke-night"])
            #expect(answer.text.hasPrefix("Queued"), "not refused until the alone timeout: \(answer)")
            #expect(await world.eventually { await stage.boundBot("Karaoke") == bot })
            #expect(await world.eventually { await world.voiceChannel(of: bot) == stage.voice("Karaoke") })
            #expect(await world.eventually { await stage.player(of: bot)?.track != nil }, "music in the new channel")
            #expect(await stage.boundBot("Lounge") == nil, "the channel she left is released")
        }
    }

    @Test("members moved into a game lobby: the music they leave behind ends at once")
    func lobbyMoveReleasesMusic() async throws {
        try await withStage(.embedded) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await MusicFailureTests.startPlaying(stage)
            let gaming = try #require(world.voiceChannel("Gaming"))
            _ = try await alice.run("game create", ["title": "Raid", "voice": .string("\(gaming)")])
            #expect(try await alice.run("game ready").text == "You are ready for **Raid**.")
            #expect(try await alice.run("game start").text.hasPrefix("**Raid** has started"))
            #expect(await world.eventually { await world.voiceChannel(of: alice.id) == gaming }, "alice is moved")
            #expect(await world.eventually { await stage.boundBot("Lounge") == nil }, "released at once")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil }, "the bot leaves the empty channel")
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "Left <#\(stage.voice("Lounge"))>." }
            })
        }
    }
}
}
