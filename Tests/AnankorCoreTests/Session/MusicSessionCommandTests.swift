import AnankorCore
import Foundation
import Testing

@Suite("Music session: commands")
struct MusicSessionCommandTests {
    typealias F = SessionFixture

    @Test("a cold /play binds, joins, plays once in voice, and answers when the play is acknowledged")
    func coldPlay() {
        var driver = SessionDriver()
        let effects = driver.command(1, F.play(["a", "b"]))
        #expect(driver.record.binding?.worker == F.w1)
        #expect(effects.first == .persist(driver.record))
        #expect(effects.sent.map(\.job) == [.connect(textChannel: F.text)], "play waits until the bot is in voice")
        #expect(effects.reply(to: 1) == nil, "no reply before anything happened")
        let connected = driver.report(.voiceConnected)
        guard case .play(let entry, 0, false, 100)? = connected.sent.first?.job else {
            Issue.record("expected the play job, got \(connected.sent)")
            return
        }
        #expect(entry.track.title == "a")
        #expect(connected.reply(to: 1) == nil)
        let acked = driver.report(.jobAcked(connected.sent[0].id))
        #expect(acked.reply(to: 1) == .queued(title: "a", lengthMs: 180_000, position: 2))
        #expect(driver.record.queue.map(\.track.title) == ["b"])
        #expect(driver.record.pending.isEmpty)
    }

    @Test("/play into a playing session answers at once with the queue position")
    func playIntoBound() {
        var driver = SessionDriver.playing()
        let effects = driver.command(7, F.play(["d"]))
        #expect(effects.reply(to: 7) == .queued(title: "d", lengthMs: 180_000, position: 3))
        #expect(effects.sent.isEmpty)
        let next = driver.command(8, F.play(["e"], placement: .next))
        #expect(next.reply(to: 8) == .queued(title: "e", lengthMs: 180_000, position: 1))
        #expect(driver.record.queue.map(\.track.title) == ["e", "b", "c", "d"])
    }

    @Test("a redelivered /play changes nothing and answers nothing")
    func duplicatePlay() {
        var driver = SessionDriver.playing()
        driver.command(7, F.play(["d"]))
        let before = driver.record
        let again = driver.command(7, F.play(["d"]))
        #expect(again.isEmpty)
        #expect(driver.record == before)
    }

    @Test("a playlist answers with its name and size")
    func playlist() {
        var driver = SessionDriver.playing()
        let effects = driver.command(7, F.play(["x", "y"], playlist: "Mix"))
        #expect(effects.reply(to: 7) == .queuedPlaylist(name: "Mix", count: 2))
    }

    @Test("routing refused: the reply names the busy channels and nothing is queued")
    func routingRefused() {
        var driver = SessionDriver()
        let busy = [Binding(session: SessionKey(guild: F.guild, channel: ChannelID(55)), worker: F.w1, boundAt: F.start)]
        let full = driver.command(1, F.play(["a"], routing: F.routing([F.w1, F.w2], bindings: busy, cap: 1)))
        #expect(full.reply(to: 1) == .refused(.routing(.capReached(cap: 1, busy: [ChannelID(55)]))))
        let none = driver.command(2, F.play(["a"], routing: F.routing([F.w1], bindings: busy)))
        #expect(none.reply(to: 2) == .refused(.routing(.noFreeWorker(busy: [ChannelID(55)]))))
        #expect(driver.record.entries.isEmpty && driver.record.binding == nil)
    }

    @Test("/skip answers when the next play is acknowledged, and says so when it fails")
    func skip() {
        var driver = SessionDriver.playing()
        let skip = driver.command(2, .skip(to: nil))
        #expect(skip.reply(to: 2) == nil)
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.report(.jobAcked(skip.sent[0].id)).reply(to: 2) == .skipped(title: "a"))
        let failing = driver.command(3, .skip(to: nil))
        let failed = driver.report(.jobFailed(failing.sent[0].id, reason: "not in voice"))
        #expect(failed.reply(to: 3) == .notCarriedOut(.workerFailed(reason: "not in voice")))
    }

    @Test("/skip to N skips the entries before it; an out-of-range N is refused")
    func skipTo() {
        var driver = SessionDriver.playing(["a", "b", "c", "d"])
        #expect(driver.command(2, .skip(to: 9)).reply(to: 2) == .refused(.positionInvalid(position: 9, count: 3)))
        driver.command(3, .skip(to: 3))
        #expect(driver.record.nowPlaying?.entry.track.title == "d")
        #expect(driver.record.queue.isEmpty)
    }

    @Test("a job that is never acknowledged is answered as not carried out at its deadline")
    func ackTimeout() {
        var driver = SessionDriver.playing()
        let volume = driver.command(2, .volume(55))
        #expect(volume.contains(.schedule(.ackDeadline, at: driver.now.addingTimeInterval(5))))
        driver.advance(seconds: 4)
        #expect(driver.send(.tick(.ackDeadline)) == [.schedule(.ackDeadline, at: driver.now.addingTimeInterval(1))],
                "an early tick changes nothing and keeps the timer")
        driver.advance(seconds: 1)
        #expect(driver.send(.tick(.ackDeadline)).reply(to: 2) == .notCarriedOut(.timedOut))
        #expect(driver.record.volume == 100, "the volume did not change, so the record says so")
    }

    @Test("volume and filter take effect in the record when the worker confirms them")
    func settingsOnAck() {
        var driver = SessionDriver.playing()
        let volume = driver.command(2, .volume(55))
        #expect(driver.record.volume == 100)
        #expect(driver.report(.jobAcked(volume.sent[0].id)).reply(to: 2) == .volumeSet(55))
        #expect(driver.record.volume == 55)
        #expect(driver.command(3, .volume(500)).reply(to: 3) == .refused(.volumeOutOfRange(500)))
        let filter = driver.command(4, .filter("nightcore"))
        driver.report(.jobAcked(filter.sent[0].id))
        #expect(driver.record.filter == "nightcore")
    }

    @Test("pause and resume keep the position; pausing a paused track answers at once")
    func pauseResume() {
        var driver = SessionDriver.playing()
        driver.advance(seconds: 30)
        let pause = driver.command(2, .pause)
        driver.report(.jobAcked(pause.sent[0].id))
        #expect(driver.record.nowPlaying?.paused == true)
        #expect(driver.record.nowPlaying?.positionMs == 30_000)
        driver.advance(seconds: 60)
        #expect(driver.record.nowPlaying?.position(at: driver.now) == 30_000)
        let again = driver.command(3, .pause)
        #expect(again.reply(to: 3) == .paused && again.sent.isEmpty)
        let toggle = driver.command(4, .togglePause)
        #expect(toggle.sent.map(\.job) == [.pause(false)])
    }

    @Test("seek validates the target against the track")
    func seek() {
        var driver = SessionDriver.playing()
        #expect(driver.command(2, .seek(999_000)).reply(to: 2)
                == .refused(.seekInvalid(positionMs: 999_000, durationMs: 180_000)))
        let seek = driver.command(3, .seek(60_000))
        driver.report(.jobAcked(seek.sent[0].id))
        #expect(driver.record.nowPlaying?.positionMs == 60_000)
        let replay = driver.command(4, .replay)
        #expect(replay.sent.map(\.job) == [.seek(0)])
    }

    @Test("/stop clears the queue, turns loop off and stops the player")
    func stop() {
        var driver = SessionDriver.playing()
        driver.command(2, .loop(.queue))
        let stop = driver.command(3, .stop)
        #expect(stop.sent.map(\.job) == [.stop])
        #expect(driver.record.queue.isEmpty && driver.record.nowPlaying == nil && driver.record.loop == .off)
        #expect(driver.report(.jobAcked(stop.sent[0].id)).reply(to: 3) == .stopped)
    }

    @Test("/leave ends the session: leave job, queue gone, board retired, answered on acknowledgement")
    func leave() {
        var driver = SessionDriver.playing()
        driver.command(2, .stay(true))
        let leave = driver.command(3, .leave)
        #expect(leave.sent.map(\.job) == [.leave(.requested)])
        #expect(leave.contains(.retireBoard(F.board)))
        #expect(driver.record.boardMessage == nil)
        #expect(driver.record.binding == nil && driver.record.entries.isEmpty && driver.record.stay)
        #expect(driver.report(.jobAcked(leave.sent[0].id), from: F.w1).reply(to: 3) == .left)
    }

    @Test("a leave the worker fails still takes the bot out (through the player's node)")
    func leaveFailed() {
        var driver = SessionDriver.playing()
        let leave = driver.command(3, .leave)
        let failed = driver.report(.jobFailed(leave.sent[0].id, reason: "gone"), from: F.w1)
        #expect(failed.destroyed == [F.w1])
        #expect(failed.reply(to: 3) == .notCarriedOut(.workerFailed(reason: "gone")))
    }

    @Test("loop, shuffle, remove, move, clear, autoplay answer at once and change the queue")
    func queueCommands() {
        var driver = SessionDriver.playing(["a", "b", "c", "d", "e"])
        #expect(driver.command(2, .loop(nil)).reply(to: 2) == .loop(.track))
        #expect(driver.command(3, .loop(nil)).reply(to: 3) == .loop(.queue))
        var expected = driver.record.queue
        QueueRules.shuffle(&expected, seed: 42)
        #expect(driver.command(4, .shuffle(seed: 42)).reply(to: 4) == .shuffled(count: 4))
        #expect(driver.record.queue == expected)
        let first = driver.record.queue[0].track.title
        #expect(driver.command(5, .remove(position: 1)).reply(to: 5) == .removed(title: first))
        #expect(driver.command(6, .remove(position: 9)).reply(to: 6) == .refused(.positionInvalid(position: 9, count: 3)))
        let moved = driver.record.queue[2].track.title
        #expect(driver.command(7, .move(from: 3, to: 1)).reply(to: 7) == .moved(title: moved, position: 1))
        #expect(driver.record.queue[0].track.title == moved)
        #expect(driver.command(8, .autoplay(nil)).reply(to: 8) == .autoplayMode(.similar))
        #expect(driver.command(9, .clear).reply(to: 9) == .cleared(count: 3))
        #expect(driver.record.queue.isEmpty)
    }

    @Test("commands other than /play and /stay need a bound session")
    func unbound() {
        var driver = SessionDriver()
        for (id, command) in [(2, MemberCommand.skip(to: nil)), (3, .pause), (4, .volume(50)), (5, .clear)] {
            #expect(driver.command(UInt64(id), command).reply(to: UInt64(id)) == .refused(.notBound))
        }
        #expect(driver.command(6, .stay(true)).reply(to: 6) == .stay(true))
    }

    @Test("/previous plays the last played entry and puts the current one back in front")
    func previous() {
        var driver = SessionDriver.playing()
        #expect(driver.command(2, .previous).reply(to: 2) == .refused(.noPrevious))
        driver.ackAll(driver.command(3, .skip(to: nil)))
        let previous = driver.command(4, .previous)
        #expect(driver.record.nowPlaying?.entry.track.title == "a")
        #expect(driver.record.queue.map(\.track.title) == ["b", "c"])
        #expect(driver.report(.jobAcked(previous.sent[0].id)).reply(to: 4) == .previousPlaying(title: "a"))
    }

    @Test("/previous under loop-queue moves the entry instead of doubling it")
    func previousLoopQueue() {
        var driver = SessionDriver.playing(["a", "b"])
        driver.command(2, .loop(.queue))
        driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        #expect(driver.record.queue.map(\.track.title) == ["a"])
        driver.command(3, .previous)
        let ids = driver.record.entries.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(driver.record.entries.map(\.track.title) == ["a", "b"])
    }
}
