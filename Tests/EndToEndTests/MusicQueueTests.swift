import AnankorCore
import AnankorSandbox
import AnankorTestSupport
import Foundation
import DiscordEmulator
import LavalinkEmulator
import Testing

/// The title inside `Queued **TITLE** (…)` / `Skipped **TITLE**.`.
func boldTitle(_ text: String) -> String? {
    let parts = text.components(separatedBy: "**")
    return parts.count >= 3 ? parts[1] : nil
}

/// Queue semantics as a member in Lounge sees and hears them (the Lavalink emulator's player is
/// what they hear; its clock is moved by hand so tracks end exactly when the test says).
extension EndToEnd {
@Suite("Music queue end to end")
struct MusicQueueTests {
    static let sevenMinutes: Int64 = 7 * 60_000

    @Test("next/end insertion, skip, previous, loop, shuffle, move, remove, seek, pause, volume, filters, autoplay",
          arguments: Mode.allCases)
    func queueSemantics(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            func title(_ query: String, next: Bool = false) async throws -> String {
                var options: [String: EmulatorJSON] = ["query": .string(query)]
                if next { options["next"] = .bool(true) }
                let answer = try await alice.run("play", .object(options))
                return try #require(boldTitle(answer.text), "\(answer)")
            }
            func hears(_ expected: String) async -> Bool {
                await world.eventually { await stage.player(in: "Lounge")?.track?.title == expected }
            }
            let one = try await title("https://youtu.be/one")
            let two = try await title("https://youtu.be/two")
            let three = try await title("https://youtu.be/three", next: true)
            #expect(await hears(one))
            let queue = try await alice.run("queue")
            #expect(queue.text.contains("1. \(three)") && queue.text.contains("2. \(two)"), "\(queue)")

            #expect(try await alice.run("skip").text == "Skipped **\(one)**.")
            #expect(await hears(three))
            #expect(try await alice.run("previous").text.contains(one))
            #expect(await hears(one))
            await world.lavalink.advance(byMilliseconds: Self.sevenMinutes)
            #expect(await hears(three), "a finished track gives way to the next one")

            #expect(try await alice.run("loop", ["mode": "track"]).text == "Looping the current track.")
            let startsBefore = await world.lavalink.trackStarts().filter { $0.title == three }.count
            await world.lavalink.advance(byMilliseconds: Self.sevenMinutes)
            #expect(await world.eventually {
                await world.lavalink.trackStarts().filter { $0.title == three }.count == startsBefore + 1
            }, "looping a track plays it again")
            #expect(await hears(three))
            _ = try await alice.run("loop", ["mode": "off"])

            let four = try await title("https://youtu.be/four")
            let five = try await title("https://youtu.be/five")
            #expect(try await alice.run("move", ["from": 3, "to": 1]).text == "Moved **\(five)** to position 1.")
            #expect(try await alice.run("remove", ["position": 2]).text == "Removed **\(two)** from the queue.")
            let reordered = try await alice.run("queue")
            #expect(reordered.text.contains("1. \(five)") && reordered.text.contains("2. \(four)"), "\(reordered)")
            #expect(try await alice.run("shuffle").text == "Shuffled 2 tracks.")
            let bad = try await alice.run("remove", ["position": 9])
            #expect(bad.ephemeral && bad.text == "There is no track at position 9; the queue has 2 tracks.")

            #expect(try await alice.run("seek", ["position": "1:30"]).text == "Jumped to 1:30.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.position == 90_000 })
            let badSeek = try await alice.run("seek", ["position": "99:00"])
            #expect(badSeek.ephemeral && badSeek.text.hasPrefix("Cannot seek to 1:39:00: the track is "), "\(badSeek)")
            for typed in ["abc", "-1:00", "1:2:3:4"] {
                let notATime = try await alice.run("seek", ["position": .string(typed)])
                #expect(notATime.ephemeral && notATime.text.hasPrefix("“\(Markdown.escape(typed))” is not a time."), "\(notATime)")
            }
            #expect(try await alice.run("pause").text == "Paused.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.paused == true })
            let pausedQueue = try await alice.run("queue")
            #expect(pausedQueue.text.hasPrefix("⏸️ **"), "/queue shows the pause as /nowplaying does: \(pausedQueue)")
            #expect(pausedQueue.text.contains("(2 tracks):"), "\(pausedQueue)")
            #expect(try await alice.run("resume").text == "Resumed.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.paused == false })
            #expect(try await alice.run("volume", ["level": 50]).text == "Volume set to 50%.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.volume == 50 })
            #expect(try await alice.run("filter", ["preset": "nightcore"]).text == "Filter set to nightcore.")
            #expect(await world.eventually {
                await stage.player(in: "Lounge")?.filters["timescale"] != nil
            })

            #expect(try await alice.run("clear").text == "Cleared the queue.")
            let nothingNext = try await alice.run("queue")
            #expect(nothingNext.text.hasSuffix("\nNothing is queued after it."), "no empty page: \(nothingNext)")
            #expect(!nothingNext.text.contains("page"), "\(nothingNext)")
            #expect(try await alice.run("autoplay").text.hasPrefix("Autoplay is on"))
            let current = await stage.player(in: "Lounge")?.track?.title
            await world.lavalink.advance(byMilliseconds: Self.sevenMinutes)
            #expect(await world.eventually {
                let now = await stage.player(in: "Lounge")?.track?.title
                return now != nil && now != current
            }, "autoplay queues a related track when the queue runs dry")

            // One now-playing message for the whole session, edited in place.
            let boards = await world.nowPlayingMessages()
            #expect(boards.count == 1)
            #expect(boards.first?.edited == true)

            #expect(try await alice.run("stop").text == "Stopped and cleared the queue.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track == nil })
            // The board stays, idle, telling the channel how to start again.
            let idle = "Nothing playing\n🔊 <#\(stage.voice("Lounge"))>\nThe queue is empty. Use /play to start."
            #expect(await world.eventually { await world.nowPlayingMessages().last?.embed == idle }, "the idle board")
            #expect(await world.nowPlayingMessages().last?.buttons.isEmpty == true, "nothing to control")
            let emptyQueue = try await alice.run("queue")
            #expect(emptyQueue.ephemeral && emptyQueue.text == "The queue is empty.", "\(emptyQueue)")
            let nothing = try await alice.run("nowplaying")
            #expect(nothing.ephemeral && nothing.text == "Nothing is playing right now.", "\(nothing)")
        }
    }

    @Test("titles with markdown (`**`, a backtick, `_`, `~~`, `||`) read as typed in replies, /nowplaying, /queue and the board",
          arguments: Mode.allCases)
    func markdownTitles(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            // A YouTube search in the emulator's catalogue names its first result after the query.
            let first = "Best **of** `90s` _mix_"
            let second = "~~gone~~ ||spoiler|| *live*"
            let queued = try await alice.run("play", ["query": .string(first)])
            let title = "\(first) (Official Video)"
            #expect(queued.text.hasPrefix("Queued **\(Markdown.escape(title))** ("), "\(queued)")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == title })
            let author = try #require(await stage.player(in: "Lounge")?.track?.author)
            let next = "\(second) (Official Video)"
            let queuedNext = try await alice.run("play", ["query": .string(second)])
            #expect(queuedNext.text.hasPrefix("Queued **\(Markdown.escape(next))** ("), "\(queuedNext)")

            let playing = "**\(Markdown.escape(title))** — \(Markdown.escape(author))"
            let nowPlaying = try await alice.run("nowplaying")
            #expect(nowPlaying.text.hasPrefix("▶️ \(playing) `"), "\(nowPlaying)")
            let queue = try await alice.run("queue")
            #expect(queue.text.hasPrefix("▶️ \(playing)\n") && queue.text.contains("\n1. \(Markdown.escape(next)) — "),
                    "\(queue)")
            #expect(await world.eventually {
                guard let board = await world.nowPlayingMessages().last?.embed else { return false }
                return board.contains("\n\(playing)\n") && board.contains(Markdown.escape(next))
            }, "the board escapes both titles")
            #expect(try await alice.run("skip").text == "Skipped **\(Markdown.escape(title))**.")
        }
    }

    @Test("the now-playing buttons pause, resume and skip, for members in that channel only")
    func buttons() async throws {
        try await withStage(.embedded) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let first = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/b1"]).text))
            let second = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/b2"]).text))
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == first })
            #expect(await world.eventually { !(await world.nowPlayingMessages().isEmpty) })

            let paused = try await alice.press("toggle", forSessionIn: "Lounge")
            #expect(paused.ephemeral && paused.text == "Paused.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.paused == true })
            #expect(try await alice.press("toggle", forSessionIn: "Lounge").text == "Resumed.")

            // bob is not in Lounge: the buttons are not his to press.
            let bob = try await stage.member("bob").press("skip", forSessionIn: "Lounge")
            #expect(bob.ephemeral && bob.text == "Join <#\(stage.voice("Lounge"))> to control the music playing there.")

            #expect(try await alice.press("skip", forSessionIn: "Lounge").text == "Skipped **\(first)**.")
            #expect(await world.eventually { await stage.player(in: "Lounge")?.track?.title == second })
            #expect(await world.nowPlayingMessages().count == 1)
        }
    }

    @Test("bad options get a clear private error and change nothing")
    func badInput() async throws {
        try await withStage(.embedded) { stage in
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let tooLoud = try await alice.run("volume", ["level": 5000])
            #expect(tooLoud.ephemeral)
            #expect(tooLoud.text.contains("`level`"), "\(tooLoud)")
            let nothing = try await alice.run("play", ["query": "ytsearch:emulator:empty"])
            #expect(nothing.ephemeral && nothing.text.hasPrefix("Nothing found for"), "\(nothing)")
            let playing = try await stage.ports.state.sessionRecord(stage.session("Lounge"))?.nowPlaying
            #expect(playing == nil, "nothing was queued")
        }
    }
}
}
