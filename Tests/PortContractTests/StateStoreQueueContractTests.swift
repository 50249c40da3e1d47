import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: queues")
struct StateStoreQueueContractTests {
    let session = Fixed.session(1, 10)

    @Test("append at the end and next, then page through", arguments: StateStoreAdapter.all)
    func enqueueAndPage(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        #expect(try await store.enqueue([Fixed.entry(1), Fixed.entry(2)], in: session, at: .end) == 2)
        #expect(try await store.enqueue([Fixed.entry(3), Fixed.entry(4)], in: session, at: .next) == 4)
        #expect(try await store.enqueue([Fixed.entry(5)], in: session, at: .end) == 5)
        let page = try await store.queuePage(session, offset: 1, limit: 3)
        #expect(page.entries.map(\.id.rawValue) == ["e4", "e1", "e2"])
        #expect(page.total == 5 && page.offset == 1)
    }

    @Test("advance with loop off moves through the queue into history and ends", arguments: StateStoreAdapter.all)
    func advanceLoopOff(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2)], in: session, at: .end)
        #expect(try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0) == .playing(Fixed.entry(1)))
        #expect(try await store.advance(session, expecting: Fixed.entry(1).id, reason: .finished, now: Fixed.at(1))
            == .playing(Fixed.entry(2)))
        #expect(try await store.advance(session, expecting: Fixed.entry(2).id, reason: .finished, now: Fixed.at(2)) == .ended)
        #expect(try await store.nowPlaying(session) == nil)
        #expect(try await store.history(session, limit: 10).map(\.id.rawValue) == ["e2", "e1"])
    }

    @Test("history keeps the last 50 tracks; /previous after the trim brings back the latest", arguments: StateStoreAdapter.all)
    func historyIsTrimmed(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let count = QueueRules.historyLimit + 6
        try await store.enqueue((1...count).map { Fixed.entry($0) }, in: session, at: .end)
        var current: QueueEntryID?
        for index in 1...count {
            let outcome = try await store.advance(session, expecting: current, reason: .finished, now: Fixed.at(Double(index)))
            current = Fixed.entry(index).id
            #expect(outcome == .playing(Fixed.entry(index)))
        }
        let history = try await store.history(session, limit: 100)
        #expect(history.count == QueueRules.historyLimit)
        #expect(history.first?.id == Fixed.entry(count - 1).id && history.last?.id == Fixed.entry(count - QueueRules.historyLimit).id)
        #expect(try await store.previous(session, now: Fixed.at(Double(count + 1))) == Fixed.entry(count - 1))
        // The track that was playing went back to the front of the queue.
        #expect(try await store.queuePage(session, offset: 0, limit: 1).entries.first == Fixed.entry(count))
        let outcome = try await store.advance(session, expecting: Fixed.entry(count - 1).id, reason: .skipped,
                                              now: Fixed.at(Double(count + 2)))
        #expect(outcome == .playing(Fixed.entry(count)))
        #expect(try await store.history(session, limit: 1).first == Fixed.entry(count - 1))
    }

    @Test("a duplicate trackEnd (stale expectation) changes nothing", arguments: StateStoreAdapter.all)
    func staleAdvance(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2), Fixed.entry(3)], in: session, at: .end)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0)
        _ = try await store.advance(session, expecting: Fixed.entry(1).id, reason: .finished, now: Fixed.t0)
        let duplicate = try await store.advance(session, expecting: Fixed.entry(1).id, reason: .finished, now: Fixed.t0)
        #expect(duplicate == .stale(current: Fixed.entry(2).id))
        #expect(try await store.nowPlaying(session)?.entry == Fixed.entry(2))
        #expect(try await store.queuePage(session, offset: 0, limit: 10).total == 1)
    }

    @Test("loop track repeats on finish but a skip moves on; loop queue recycles", arguments: StateStoreAdapter.all)
    func loopModes(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2)], in: session, at: .end)
        try await store.setLoopMode(.track, for: session)
        #expect(try await store.loopMode(session) == .track)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0)
        #expect(try await store.advance(session, expecting: Fixed.entry(1).id, reason: .finished, now: Fixed.t0)
            == .playing(Fixed.entry(1)))
        #expect(try await store.advance(session, expecting: Fixed.entry(1).id, reason: .skipped, now: Fixed.t0)
            == .playing(Fixed.entry(2)))
        try await store.setLoopMode(.queue, for: session)
        // e2 alone: looping the queue plays it again rather than ending.
        #expect(try await store.advance(session, expecting: Fixed.entry(2).id, reason: .finished, now: Fixed.t0)
            == .playing(Fixed.entry(2)))
        try await store.enqueue([Fixed.entry(3)], in: session, at: .end)
        #expect(try await store.advance(session, expecting: Fixed.entry(2).id, reason: .finished, now: Fixed.t0)
            == .playing(Fixed.entry(3)))
        #expect(try await store.advance(session, expecting: Fixed.entry(3).id, reason: .skipped, now: Fixed.t0)
            == .playing(Fixed.entry(2)))
        #expect(try await store.queuePage(session, offset: 0, limit: 10).entries == [Fixed.entry(3)])
    }

    @Test("previous replays the last history entry and puts the current one back in front", arguments: StateStoreAdapter.all)
    func previous(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        #expect(try await store.previous(session, now: Fixed.t0) == nil)
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2), Fixed.entry(3)], in: session, at: .end)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0)
        _ = try await store.advance(session, expecting: Fixed.entry(1).id, reason: .skipped, now: Fixed.t0)
        #expect(try await store.previous(session, now: Fixed.at(5)) == Fixed.entry(1))
        #expect(try await store.nowPlaying(session)?.entry == Fixed.entry(1))
        #expect(try await store.queuePage(session, offset: 0, limit: 10).entries.map(\.id.rawValue) == ["e2", "e3"])
        #expect(try await store.history(session, limit: 10).isEmpty)
    }

    @Test("remove, move and clear by position", arguments: StateStoreAdapter.all)
    func removeMoveClear(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue((1...5).map { Fixed.entry($0) }, in: session, at: .end)
        #expect(try await store.removeFromQueue(session, at: 1) == Fixed.entry(2))
        #expect(try await store.removeFromQueue(session, at: 9) == nil)
        #expect(try await store.moveInQueue(session, from: 3, to: 0) == Fixed.entry(5))
        #expect(try await store.moveInQueue(session, from: 0, to: 7) == nil)
        #expect(try await store.queuePage(session, offset: 0, limit: 10).entries.map(\.id.rawValue) == ["e5", "e1", "e3", "e4"])
        #expect(try await store.clearQueue(session) == 4)
        #expect(try await store.queuePage(session, offset: 0, limit: 10).total == 0)
    }

    @Test("shuffle keeps every entry and follows the seed identically on every adapter", arguments: StateStoreAdapter.all)
    func shuffle(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let entries = (1...20).map { Fixed.entry($0) }
        try await store.enqueue(entries, in: session, at: .end)
        try await store.shuffleQueue(session, seed: 2024)
        let shuffled = try await store.queuePage(session, offset: 0, limit: 50).entries
        var expected = entries
        QueueRules.shuffle(&expected, seed: 2024)
        #expect(shuffled == expected)
        #expect(shuffled != entries)
    }

    @Test("now-playing position updates only for the entry that plays", arguments: StateStoreAdapter.all)
    func position(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1)], in: session, at: .end)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0)
        #expect(try await store.updatePosition(session, entry: Fixed.entry(1).id, positionMs: 30_000, paused: false, at: Fixed.at(30)))
        #expect(try await !store.updatePosition(session, entry: Fixed.entry(9).id, positionMs: 1, paused: true, at: Fixed.at(31)))
        let playing = try #require(try await store.nowPlaying(session))
        #expect(playing.positionMs == 30_000 && !playing.paused && playing.updatedAt == Fixed.at(30))
        #expect(playing.position(at: Fixed.at(40)) == 40_000)
        // A position report without a pause state keeps the pause decided meanwhile.
        #expect(try await store.updatePosition(session, entry: Fixed.entry(1).id, positionMs: 41_000, paused: true, at: Fixed.at(41)))
        #expect(try await store.updatePosition(session, entry: Fixed.entry(1).id, positionMs: 41_500, paused: nil, at: Fixed.at(42)))
        let paused = try #require(try await store.nowPlaying(session))
        #expect(paused.paused && paused.positionMs == 41_500)
    }

    @Test("ending a session forgets its queue, history, loop mode and activity", arguments: StateStoreAdapter.all)
    func endSession(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2)], in: session, at: .end)
        try await store.setLoopMode(.queue, for: session)
        try await store.touchSession(session, at: Fixed.t0)
        _ = try await store.advance(session, expecting: nil, reason: .finished, now: Fixed.t0)
        try await store.endSession(session)
        #expect(try await store.nowPlaying(session) == nil)
        #expect(try await store.queuePage(session, offset: 0, limit: 10).total == 0)
        #expect(try await store.loopMode(session) == .off)
        #expect(try await store.idleSessions(since: Fixed.at(60), limit: 10).isEmpty)
    }

    @Test("session details are kept per session, saved only on the version read, and forgotten with the session",
          arguments: StateStoreAdapter.all)
    func sessionDetails(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let other = Fixed.session(1, 11)
        #expect(try await store.sessionDetails(session) == nil)
        let details = SessionDetails(session: session, textChannel: ChannelID(77), nowPlayingMessage: MessageID(88),
                                     locale: "de", volume: 80)
        let saved = try #require(try await store.saveSessionDetails(details))
        #expect(saved.version == 1)
        #expect(try await store.saveSessionDetails(SessionDetails(session: other, volume: 30))?.version == 1)
        #expect(try await store.sessionDetails(session) == saved)

        // A writer that read version 1 wins once; a second writer that read version 1 too loses.
        var first = saved
        first.filterPreset = "nightcore"
        var second = saved
        second.autoplay = true
        #expect(try await store.saveSessionDetails(first)?.version == 2)
        #expect(try await store.saveSessionDetails(second) == nil)
        #expect(try await store.sessionDetails(session)?.autoplay == false)

        // The update helper retries on the fresh version, so both changes land.
        let updated = try await store.updateSessionDetails(session) { $0.autoplay = true }
        #expect(updated.filterPreset == "nightcore" && updated.autoplay && updated.version == 3)
        #expect(try await store.sessionDetails(session) == updated)

        try await store.endSession(session)
        #expect(try await store.sessionDetails(session) == nil)
        #expect(try await store.updateExistingSessionDetails(session) { $0.volume = 1 } == nil)
        #expect(try await store.sessionDetails(other)?.volume == 30)
    }

    @Test("idle sessions are listed oldest first, without /stay ones", arguments: StateStoreAdapter.all)
    func idleSessions(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.touchSession(Fixed.session(1, 1), at: Fixed.at(10))
        try await store.touchSession(Fixed.session(1, 2), at: Fixed.at(0))
        try await store.touchSession(Fixed.session(2, 3), at: Fixed.at(100))
        try await store.touchSession(Fixed.session(1, 4), at: Fixed.at(5))
        try await store.setStay(true, for: Fixed.session(1, 4))
        // An older touch never moves activity back in time.
        try await store.touchSession(Fixed.session(1, 1), at: Fixed.at(1))
        #expect(try await store.idleSessions(since: Fixed.at(50), limit: 10) == [Fixed.session(1, 2), Fixed.session(1, 1)])
        try await store.setStay(false, for: Fixed.session(1, 4))
        #expect(try await store.idleSessions(since: Fixed.at(50), limit: 2) == [Fixed.session(1, 2), Fixed.session(1, 4)])
    }

    @Test("out-of-range positions and limits are refused without touching the queue", arguments: StateStoreAdapter.all)
    func hostileArguments(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.enqueue([Fixed.entry(1), Fixed.entry(2)], in: session, at: .end)
        #expect(try await store.removeFromQueue(session, at: -1) == nil)
        #expect(try await store.removeFromQueue(session, at: Int.max) == nil)
        #expect(try await store.moveInQueue(session, from: -1, to: 0) == nil)
        #expect(try await store.moveInQueue(session, from: 0, to: -5) == nil)
        await #expect { try await store.queuePage(session, offset: -1, limit: 5) }
            throws: { ($0 as? StateStoreError)?.code == .invalidArgument }
        await #expect { try await store.bind(session, to: WorkerID(1), cap: 0, now: Fixed.t0) }
            throws: { ($0 as? StateStoreError)?.code == .invalidArgument }
        #expect(try await store.history(session, limit: 0).isEmpty)
        #expect(try await store.queuePage(session, offset: 0, limit: 0) == QueuePage(entries: [], offset: 0, total: 2))
        #expect(try await store.queuePage(session, offset: 0, limit: 10).entries == [Fixed.entry(1), Fixed.entry(2)])
    }
}
