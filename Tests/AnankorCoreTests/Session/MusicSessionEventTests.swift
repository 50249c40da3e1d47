import AnankorCore
import Foundation
import Testing

@Suite("Music session: worker events, timers, reconciliation")
struct MusicSessionEventTests {
    typealias F = SessionFixture

    @Test("trackEnd(finished) advances once; duplicates, stops and other workers' events change nothing")
    func trackEnd() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        let ended = driver.report(.trackEnded(a, reason: .finished))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(ended.sent.count == 1)
        let before = driver.record
        #expect(driver.report(.trackEnded(a, reason: .finished)).isEmpty, "a duplicate trackEnd is stale")
        let b = driver.record.nowPlaying!.entry.id
        #expect(driver.report(.trackEnded(b, reason: .stopped)).isEmpty)
        #expect(driver.report(.trackEnded(b, reason: .finished), from: F.w2).isEmpty, "not the bound worker")
        #expect(driver.record == before)
    }

    @Test("loop track repeats a finished track but a skip or a stuck track moves on")
    func loopTrack() {
        var driver = SessionDriver.playing()
        driver.command(2, .loop(.track))
        let a = driver.record.nowPlaying!.entry.id
        let again = driver.report(.trackEnded(a, reason: .finished))
        #expect(driver.record.nowPlaying?.entry.id == a)
        #expect(again.sent.map(\.job).count == 1)
        driver.report(.trackStuck(a))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.history.map(\.track.title) == ["a"])
    }

    @Test("the history keeps the most recent entries")
    func historyCap() {
        let names = (0..<(AdvanceRule.historyLimit + 5)).map { "t\($0)" }
        var driver = SessionDriver.playing(names)
        while let current = driver.record.nowPlaying {
            driver.report(.trackEnded(current.entry.id, reason: .finished))
        }
        #expect(driver.record.history.count == AdvanceRule.historyLimit)
        #expect(driver.record.history.last?.track.title == names.last)
    }

    @Test("the queue ending asks for autoplay, and what it finds plays")
    func autoplay() {
        var driver = SessionDriver.playing(["a"])
        driver.command(2, .autoplay(true))
        let ended = driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        #expect(ended.contains(.findAutoplay(after: F.track("a"), mode: .similar, excluding: [F.track("a")])))
        let found = driver.send(.autoplayFound(F.track("z")))
        #expect(driver.record.nowPlaying?.entry.track.title == "z")
        #expect(found.sent.count == 1)
        #expect(driver.send(.autoplayFound(F.track("y"))).isEmpty, "an answer nobody waits for is ignored")
    }

    @Test("trackException posts a notice; the following trackEnd(loadFailed) moves on")
    func trackException() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        #expect(driver.report(.trackException(a, message: "blocked")).notices == [.trackFailed(title: "a", reason: "blocked")])
        driver.report(.trackEnded(a, reason: .loadFailed))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
    }

    @Test("a message posted meanwhile is taken in by the next input's step: one save holds both")
    func boardWithTheNextInput() throws {
        var driver = SessionDriver()
        let bind = driver.command(1, F.play(["a"], routing: F.routing([F.w1])))
        let connect = try #require(bind.sent.first)
        let answer = SessionInput.worker(F.w1, .jobAcked(connect.id))
        var together = driver.session
        let effects = together.handle(answer, now: driver.now, posted: MessageID(901))
        let saves = effects.filter { if case .persist = $0 { true } else { false } }
        #expect(saves.count == 1)
        guard case .persist(let saved)? = effects.first else {
            Issue.record("the step must save first")
            return
        }
        #expect(saved.version == driver.record.version + 1, "one version, as one compare-and-set")
        #expect(saved.boardMessage == MessageID(901))
        #expect(saved.binding?.voice == .connected)
        #expect(!effects.sent.isEmpty, "the play job goes out as it would without the message")
        // The same record as the two inputs one after the other, save for the version.
        var apart = driver.session
        _ = apart.handle(.boardPosted(MessageID(901)), now: driver.now)
        _ = apart.handle(answer, now: driver.now)
        var expected = apart.record
        expected.version = saved.version
        #expect(saved == expected)

        // A message replacing another retires it, even when the input alone changes nothing.
        var playing = SessionDriver.playing()
        var machine = playing.session
        let replaced = machine.handle(.presence([F.member]), now: playing.now, posted: MessageID(902))
        #expect(replaced.contains(.retireBoard(F.board)))
        #expect(machine.record.boardMessage == MessageID(902))
        #expect(machine.record.version == playing.record.version + 1)
        #expect(playing.send(.presence([F.member])).isEmpty, "without the message: nothing to save")
    }

    @Test("a new now-playing message retires the old one; a new text channel starts a new message")
    func board() {
        var driver = SessionDriver.playing()
        #expect(driver.send(.boardPosted(MessageID(901))).contains(.retireBoard(F.board)))
        var elsewhere = F.origin(5)
        elsewhere.textChannel = ChannelID(22)
        let moved = driver.send(.command(F.play(["d"]), from: elsewhere))
        #expect(moved.contains(.retireBoard(MessageID(901))))
        #expect(driver.record.textChannel == ChannelID(22) && driver.record.boardMessage == nil)
        #expect(moved.contains(.refreshBoard))
    }

    @Test("position reports are kept, older ones ignored")
    func position() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        driver.advance(seconds: 10)
        driver.report(.position(a, positionMs: 9_000, paused: nil, at: driver.now))
        #expect(driver.record.nowPlaying?.positionMs == 9_000)
        driver.report(.position(a, positionMs: 1_000, paused: nil, at: driver.now.addingTimeInterval(-5)))
        #expect(driver.record.nowPlaying?.positionMs == 9_000)
    }

    @Test("a position report that agrees with the extrapolated position changes nothing (no save); drift is kept")
    func positionWithinTolerance() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        let before = driver.record
        driver.advance(seconds: 10)
        let expected = before.nowPlaying!.position(at: driver.now)
        let agreeing = driver.report(.position(a, positionMs: expected - 400, paused: nil, at: driver.now))
        #expect(driver.record == before, "nothing to save")
        #expect(!agreeing.contains { if case .persist = $0 { true } else { false } })
        driver.report(.position(a, positionMs: expected - 3_000, paused: nil, at: driver.now))
        #expect(driver.record.nowPlaying?.positionMs == expected - 3_000, "a player behind the record is remembered")
        driver.report(.position(a, positionMs: expected - 3_000, paused: true, at: driver.now))
        #expect(driver.record.nowPlaying?.paused == true, "a pause the record did not know is remembered")
    }

    @Test("a connect failure answers the waiting /play, takes the bot out and keeps the queue")
    func connectFailed() {
        var driver = SessionDriver()
        driver.command(1, F.play(["a", "b"]))
        let failed = driver.report(.connectFailed(reason: "missing Connect"))
        #expect(failed.reply(to: 1) == .notCarriedOut(.workerFailed(reason: "missing Connect")))
        #expect(failed.destroyed == [F.w1])
        #expect(driver.record.binding == nil)
        #expect(driver.record.entries.map(\.track.title) == ["a", "b"])
    }

    @Test("a connect nobody acknowledges fails at its deadline, which leaves Discord time to answer a join")
    func connectTimeout() {
        var driver = SessionDriver()
        driver.command(1, F.play(["a"]))
        driver.advance(seconds: 11)
        #expect(driver.send(.tick(.ackDeadline)).reply(to: 1) == nil, "a join may take Discord 10 s")
        driver.advance(seconds: 6)
        let tick = driver.send(.tick(.ackDeadline))
        #expect(tick.reply(to: 1) == .notCarriedOut(.timedOut))
        #expect(driver.record.binding == nil && driver.record.pending.isEmpty)
    }

    @Test("a dead worker with a spare: its player is destroyed and the spare plays on from the position")
    func deadWithSpare() {
        var driver = SessionDriver.playing()
        driver.advance(seconds: 40)
        let dead = driver.report(.dead(routing: F.routing([F.w2])), from: F.w1)
        #expect(dead.destroyed == [F.w1])
        #expect(driver.record.binding?.worker == F.w2)
        #expect(dead.sent.map(\.job) == [.connect(textChannel: F.text)])
        let connected = driver.report(.voiceConnected, from: F.w2)
        guard case .play(let entry, let position, false, _)? = connected.sent.first?.job else {
            Issue.record("expected a play, got \(connected.sent)")
            return
        }
        #expect(entry.track.title == "a" && position == 40_000)
    }

    @Test("a dead worker with no spare: crash notice, unbound, queue kept for /play")
    func deadNoSpare() {
        var driver = SessionDriver.playing()
        driver.command(5, .volume(20))
        let dead = driver.report(.dead(routing: F.routing([])), from: F.w1)
        #expect(dead.contains(.notice(.playbackCrashed, channel: F.text, locale: nil)))
        #expect(dead.contains(.retireBoard(F.board)))
        #expect(dead.reply(to: 5) == .notCarriedOut(.workerGone), "the waiting command learns it did not happen")
        #expect(dead.destroyed == [F.w1])
        #expect(driver.record.binding == nil)
        #expect(driver.record.entries.map(\.track.title) == ["a", "b", "c"])
        let again = driver.command(6, F.play(["d"], routing: F.routing([F.w3])))
        #expect(driver.record.binding?.worker == F.w3)
        #expect(again.sent.map(\.job) == [.connect(textChannel: F.text)])
    }

    @Test("jobs wait while the worker is stopping; the spare that takes its token over joins again, plays on, then gets them")
    func awayHoldsJobs() {
        var driver = SessionDriver.playing()
        driver.report(.offline)
        let volume = driver.command(2, .volume(30))
        #expect(volume.sent.isEmpty)
        driver.advance(seconds: 1)
        let back = driver.report(.online)
        #expect(back.sent.map(\.job) == [.connect(textChannel: F.text)], "the stopped process left the channel")
        let joined = driver.report(.jobAcked(back.sent[0].id))
        #expect(joined.sent.map(\.job).contains(.volume(30)))
        let replay = joined.sent.first { if case .play = $0.job { true } else { false } }
        if case .play(let entry, let position, _, _)? = replay?.job {
            #expect(entry.track.title == "a" && position >= 1_000, "on where the session was")
        } else {
            Issue.record("the current entry plays again: \(joined.sent)")
        }
        let volumeJob = joined.sent.first { $0.job == .volume(30) }!
        #expect(driver.report(.jobAcked(volumeJob.id)).reply(to: 2) == .volumeSet(30))
    }

    @Test("a worker that handed its token over: jobs wait; the spare that resumed its players gets them, without joining or playing again")
    func handOverNoRejoin() {
        var driver = SessionDriver.playing()
        driver.report(.handingOver)
        #expect(driver.record.binding?.playersKept == true && driver.record.binding?.stopping == true)
        let volume = driver.command(2, .volume(30))
        #expect(volume.sent.isEmpty)
        driver.advance(seconds: 1)
        let back = driver.report(.online)
        #expect(back.sent.map(\.job) == [.volume(30)], "the player plays on where it is: no connect, no play")
        #expect(driver.record.binding?.awaySince == nil && driver.record.binding?.playersKept == nil)
        #expect(driver.record.binding?.voice == .connected)
    }

    @Test("a worker that handed its token over and no spare came: after twice the grace its player is stopped, 'was stopped'")
    func handOverNoSpare() {
        var driver = SessionDriver.playing()
        driver.report(.handingOver)
        let gone = SessionObservation(players: [:], routing: F.routing([]))
        driver.advance(seconds: 6)
        #expect(driver.send(.observed(gone)).notices.isEmpty, "past one grace period a spare may still be resuming")
        driver.advance(seconds: 4)
        let ended = driver.send(.observed(gone))
        #expect(ended.notices == [.workerStopped])
        #expect(ended.destroyed == [F.w1], "the player it left playing is stopped")
        #expect(driver.record.binding == nil)
    }

    @Test("a worker that handed its token over and no spare came: the session moves to a free bot at its position")
    func handOverMovesToFreeBot() {
        var driver = SessionDriver.playing()
        driver.advance(seconds: 3)
        driver.report(.handingOver)
        driver.advance(seconds: 10)
        let moved = driver.send(.observed(SessionObservation(players: [:], routing: F.routing([F.w2]))))
        #expect(moved.destroyed == [F.w1])
        #expect(driver.record.binding?.worker == F.w2)
        #expect(moved.notices.isEmpty)
    }

    @Test("a worker back from a silent gap (no offline announced, a resumed spare) gets its held jobs without rejoining")
    func silentGapNoRejoin() {
        var driver = SessionDriver.playing()
        let gone = SessionObservation(players: [:], routing: F.routing([F.w2]))
        driver.send(.observed(gone))
        #expect(driver.record.binding?.awaySince != nil)
        driver.command(2, .volume(30))
        let back = driver.report(.online)
        #expect(back.sent.map(\.job) == [.volume(30)])
    }

    @Test("idle: left after the timeout with the notice, not before, never with /stay")
    func idle() {
        var driver = SessionDriver.playing(["a"])
        driver.ackAll(driver.command(2, .stop))
        driver.advance(seconds: 599)
        #expect(driver.send(.tick(.idle)) == [.schedule(.idle, at: driver.now.addingTimeInterval(1))],
                "an early tick changes nothing and keeps the timer")
        driver.advance(seconds: 1)
        let left = driver.send(.tick(.idle))
        #expect(left.notices == [.idleLeft(minutes: 10)])
        #expect(left.sent.map(\.job) == [.leave(.idle)])
        var staying = SessionDriver.playing(["a"])
        staying.command(2, .stay(true))
        staying.ackAll(staying.command(3, .stop))
        staying.advance(seconds: 3600)
        #expect(staying.send(.tick(.idle)).isEmpty)
    }

    @Test("alone: paused with a notice, resumed when someone is back, left after the alone timeout")
    func alone() {
        var driver = SessionDriver.playing()
        let empty = driver.send(F.listeners(0))
        #expect(empty.notices == [.pausedEmptyChannel])
        #expect(empty.sent.map(\.job) == [.pause(true)])
        driver.ackAll(empty)
        let back = driver.send(F.listeners(2))
        #expect(back.sent.map(\.job) == [.pause(false)])
        driver.ackAll(back)
        driver.ackAll(driver.send(F.listeners(0)))
        driver.advance(seconds: 120)
        let left = driver.send(.tick(.alone))
        #expect(left.notices == [.leftAlone])
        #expect(driver.record.binding == nil)
    }

    @Test("reconciliation advances a finished track whose trackEnd was lost")
    func reconcileLostTrackEnd() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        driver.advance(seconds: 181)
        let seen = SessionObservation(players: [F.w1: ObservedPlayer(entry: a, positionMs: 170_000, paused: false,
                                                                     at: driver.now.addingTimeInterval(-11))],
                                      routing: F.routing())
        driver.send(.observed(seen))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
    }

    @Test("a player seen empty on two looks finished its track (trackEnd lost) and the queue moves on; one look is not enough")
    func reconcileEmptyPlayer() {
        var driver = SessionDriver.playing()
        driver.advance(seconds: 10)
        let empty = { (at: Date) in
            SessionObservation(players: [F.w1: ObservedPlayer(entry: nil, positionMs: 0, paused: false, at: at)],
                               routing: F.routing())
        }
        #expect(driver.send(.observed(empty(driver.now))).sent.isEmpty, "a play may be starting: wait for a second look")
        #expect(driver.record.nowPlaying?.entry.track.title == "a")
        driver.advance(seconds: 1)
        let second = driver.send(.observed(empty(driver.now)))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.history.map(\.track.title) == ["a"])
        #expect(second.sent.count == 1)

        var started = SessionDriver.playing()
        started.advance(seconds: 10)
        started.send(.observed(empty(started.now)))
        started.report(.trackStarted(started.record.nowPlaying!.entry.id))
        started.advance(seconds: 1)
        started.send(.observed(empty(started.now)))
        #expect(started.record.nowPlaying?.entry.track.title == "a", "a start in between begins the count again")
    }

    @Test("reconciliation replays a lost play at its position and corrects a paused/playing mismatch")
    func reconcilePlayer() {
        var driver = SessionDriver.playing()
        driver.advance(seconds: 20)
        let missing = driver.send(.observed(SessionObservation(players: [:], routing: F.routing())))
        #expect(missing.sent.map(\.job).count == 1)
        if case .play(_, let position, _, _)? = missing.sent.first?.job { #expect(position == 20_000) }
        driver.ackAll(missing)
        let a = driver.record.nowPlaying!.entry.id
        let paused = ObservedPlayer(entry: a, positionMs: 20_000, paused: true, at: driver.now)
        let fixed = driver.send(.observed(SessionObservation(players: [F.w1: paused], routing: F.routing())))
        #expect(fixed.sent.map(\.job) == [.pause(false)])
    }

    @Test("reconciliation destroys a player nobody owns")
    func reconcileStrayPlayer() {
        var driver = SessionDriver.playing()
        let a = driver.record.nowPlaying!.entry.id
        let stray = ObservedPlayer(entry: a, positionMs: 0, paused: false, at: driver.now)
        let own = ObservedPlayer(entry: a, positionMs: 0, paused: false, at: driver.now)
        let effects = driver.send(.observed(SessionObservation(players: [F.w1: own, F.w2: stray], routing: F.routing())))
        #expect(effects.destroyed == [F.w2])
    }

    @Test("reconciliation gives a missing worker the grace period, then moves the session")
    func reconcileMissingWorker() {
        var driver = SessionDriver.playing()
        let gone = SessionObservation(players: [:], routing: F.routing([F.w2]))
        driver.send(.observed(gone))
        #expect(driver.record.binding?.worker == F.w1, "a spare may be taking the token over")
        driver.advance(seconds: 5)
        let moved = driver.send(.observed(gone))
        #expect(moved.destroyed.contains(F.w1))
        #expect(driver.record.binding?.worker == F.w2)
    }

    @Test("reconciliation after a lost offline/online pair: a live worker is kept and its held jobs go out")
    func reconcileBackOnline() {
        var driver = SessionDriver.playing()
        driver.report(.offline)
        driver.command(2, .volume(10))
        let a = driver.record.nowPlaying!.entry.id
        let live = SessionObservation(players: [F.w1: ObservedPlayer(entry: a, positionMs: 0, paused: false, at: driver.now)],
                                      routing: F.routing())
        let effects = driver.send(.observed(live))
        #expect(effects.sent.map(\.job) == [.volume(10)])
        #expect(driver.record.binding?.awaySince == nil)
    }

    @Test("a worker stopped with no spare and nobody free: after the grace, 'was stopped' rather than 'crashed'")
    func stoppedNoSpare() {
        var driver = SessionDriver.playing()
        driver.report(.offline)
        driver.advance(seconds: 1)
        #expect(driver.send(.observed(SessionObservation(players: [:], routing: F.routing([])))).notices.isEmpty,
                "inside the grace period a spare may still take over")
        driver.advance(seconds: 10)
        let ended = driver.send(.observed(SessionObservation(players: [:], routing: F.routing([]))))
        #expect(ended.notices == [.workerStopped])
        #expect(driver.record.binding == nil)
        #expect(driver.record.entries.map(\.track.title) == ["a", "b", "c"], "the queue is kept")
    }

    @Test("a moderator disconnects the bot: the session ends there with a notice, queue kept; a moved bot is taken out")
    func removedByModerator() {
        var driver = SessionDriver.playing()
        driver.command(5, .volume(20))
        let kicked = driver.report(.removed(movedTo: nil))
        #expect(kicked.notices == [.botRemoved])
        #expect(kicked.reply(to: 5) == .notCarriedOut(.workerGone))
        #expect(kicked.destroyed.isEmpty, "the bot is out of voice already")
        #expect(driver.record.binding == nil)
        #expect(driver.record.entries.count == 3)
        #expect(driver.report(.removed(movedTo: nil), from: F.w1).isEmpty, "a repeated report changes nothing")

        var moved = SessionDriver.playing()
        let effects = moved.report(.removed(movedTo: ChannelID(77)))
        #expect(effects.notices == [.botMoved])
        #expect(effects.destroyed == [F.w1], "its player must not play on in the channel it was moved to")
    }

    @Test("/play right after /leave on the same bot: the leave's acknowledgement makes the bot join again before playing")
    func playRightAfterLeave() {
        var driver = SessionDriver.playing(["a"])
        let left = driver.command(2, .leave)
        let leave = left.sent.first { if case .leave = $0.job { true } else { false } }!
        let again = driver.command(3, F.play(["b"], routing: F.routing([F.w1])))
        let connect = again.sent.first { if case .connect = $0.job { true } else { false } }!
        // The bot answers the join from its voice state before the leave is done.
        driver.report(.jobAcked(connect.id), from: F.w1)
        let done = driver.report(.jobAcked(leave.id), from: F.w1)
        #expect(done.reply(to: 2) == .left)
        #expect(done.sent.map(\.job) == [.connect(textChannel: F.text)], "it joins again")
        #expect(driver.record.binding?.voice == .connecting)
    }

    @Test("a session started again after its record was deleted never reuses the job ids of its earlier life")
    func jobIDsAcrossLives() {
        var first = SessionDriver()
        let firstJobs = first.ackAll(first.command(1, F.play(["a"], routing: F.routing([F.w1])))).sent.map(\.id)
            + first.command(2, .leave).sent.map(\.id)
        // The leave was acknowledged and the driver deleted the record: the next /play starts over.
        var second = SessionDriver()
        let secondJobs = second.ackAll(second.command(3, F.play(["b"], routing: F.routing([F.w1])))).sent.map(\.id)
        #expect(first.record.counter >= second.record.counter, "both lives count from zero")
        #expect(!firstJobs.isEmpty && !secondJobs.isEmpty)
        #expect(Set(firstJobs).isDisjoint(with: secondJobs), "a reused id is answered from the worker's ledger without acting")
        // Within one life the end keeps the incarnation, so ids stay unique there too.
        #expect(first.record.incarnation != nil && first.record.incarnation != second.record.incarnation)
    }
}
