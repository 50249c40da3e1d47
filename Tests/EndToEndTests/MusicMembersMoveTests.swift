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
    @Test("a member who moves to another channel can start music there at once: the only bot follows",
          arguments: Mode.allCases)
    func memberChangesChannel(mode: Mode) async throws {
        try await withStage(mode, plan: .testing(workerBots: 1)) { stage in
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

    /// Alice plays a track in Lounge (each lasts at least a minute), queues another and jumps to
    /// 0:30; returns the bot.
    static func playingAtHalfAMinute(_ stage: MusicStage) async throws -> UInt64 {
        let alice = stage.member("alice")
        let bot = try await MusicFailureTests.startPlaying(stage, "https://youtu.be/long-track")
        #expect(try await alice.run("play", ["query": "https://youtu.be/next-up"]).text.hasPrefix("Queued"))
        #expect(try await alice.run("seek", ["position": "0:30"]).text == "Jumped to 0:30.")
        #expect(await stage.world.eventually { await stage.player(of: bot)?.position == 30_000 })
        return bot
    }

    /// Alice creates a lobby on `channel`, gets ready and starts it.
    static func startLobby(_ stage: MusicStage, in channel: String) async throws {
        let alice = stage.member("alice")
        _ = try await alice.run("game create", ["title": "Raid", "voice": .string("\(stage.voice(channel))")])
        #expect(try await alice.run("game ready").text == "You are ready for **Raid**.")
        #expect(try await alice.run("game start").text.hasPrefix("**Raid** has started"))
    }

    @Test("members moved into a game lobby take their music along: same bot, same track at its position, queue kept",
          arguments: Mode.allCases)
    func lobbyMoveTakesMusicAlong(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await Self.playingAtHalfAMinute(stage)
            let title = try #require(await stage.player(of: bot)?.track?.title)
            try await Self.startLobby(stage, in: "Gaming")
            let gaming = stage.voice("Gaming")
            #expect(await world.eventually { await world.voiceChannel(of: alice.id) == gaming }, "alice is moved")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == gaming }, "the same bot comes along")
            #expect(await world.eventually { await stage.boundBot("Gaming") == bot })
            #expect(await world.eventually {
                guard let record = try? await stage.ports.state.sessionRecord(stage.session("Gaming")) else { return false }
                return record.binding?.voice == .connected && record.pending.isEmpty
            }, "in the lobby channel, and its play there acknowledged")
            #expect(await world.eventually {
                guard let player = await stage.player(of: bot) else { return false }
                return player.track?.title == title && player.position >= 30_000 && !player.paused
            }, "the same track plays on from about 0:30, not from the start")
            let position = try #require(await stage.player(of: bot)?.position)
            #expect(position < 55_000, "about where it was: \(position)")
            #expect(await stage.boundBot("Lounge") == nil, "nothing stays bound to the channel they left")
            let record = try await stage.ports.state.sessionRecord(stage.session("Gaming"))
            #expect(record?.queue.count == 1, "the queue came along")
            let controls = { @Sendable () async -> [SandboxMessage] in
                await world.nowPlayingMessages().filter { $0.buttons.contains { $0.hasPrefix("np:") } }
            }
            let moved = await world.eventually {
                let boards = await controls()
                return boards.count == 1 && boards[0].embed?.contains("<#\(gaming)>") == true
                    && boards[0].buttons.allSatisfy { $0.hasSuffix(":\(gaming)") }
            }
            let boards = await controls()
            #expect(moved, "the one now-playing message now shows and controls the lobby channel: \(boards)")
            #expect(try await alice.run("pause").text == "Paused.", "her commands reach it in the lobby")
            #expect(await world.eventually { await stage.player(of: bot)?.paused == true })
            let notices = await world.notices().map(\.content)
            #expect(!notices.contains { $0.hasPrefix("Left <#") || $0.hasPrefix("Paused: nobody") }, "\(notices)")
        }
    }

    @Test("members moved into a lobby channel that has music of its own: the music they leave behind ends at once",
          arguments: Mode.allCases)
    func lobbyWithMusicReleasesTheirs(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await MusicFailureTests.startPlaying(stage)
            let bob = stage.member("bob")
            try await bob.join("Gaming")
            #expect(try await bob.run("play", ["query": "https://youtu.be/gaming-mix"]).text.hasPrefix("Queued"))
            let theirs = try #require(await stage.boundBot("Gaming"))
            try await Self.startLobby(stage, in: "Gaming")
            let gaming = stage.voice("Gaming")
            #expect(await world.eventually { await world.voiceChannel(of: alice.id) == gaming }, "alice is moved")
            #expect(await world.eventually { await stage.boundBot("Lounge") == nil }, "released at once")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil }, "the bot leaves the empty channel")
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "Left <#\(stage.voice("Lounge"))>." }
            })
            #expect(await stage.boundBot("Gaming") == theirs, "the lobby channel's own music plays on")
            #expect(await world.voiceChannel(of: theirs) == gaming)
        }
    }
}
}
