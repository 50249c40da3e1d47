import AnankorCore
import Foundation
import Testing

@Suite("Music session: vote skip")
struct SkipVoteTests {
    typealias F = SessionFixture
    static let ana = UserID(41)
    static let ben = UserID(42)
    static let cleo = UserID(43)
    static let dan = UserID(44)

    /// `user`'s `/skip` as a member who may not skip outright, with `listeners` in the channel.
    @discardableResult
    func vote(_ driver: inout SessionDriver, _ command: UInt64, by user: UserID, listeners: Set<UserID>,
              share: Int = 50, to: Int? = nil) -> [SessionEffect] {
        driver.send(.command(.voteSkip(SkipVoteContext(listeners: listeners, share: share, to: to)),
                             from: CommandOrigin(command: CommandID(command), user: user, textChannel: F.text)))
    }

    var three: Set<UserID> { [Self.ana, Self.ben, Self.cleo] }

    @Test("the votes needed: the share of the listeners, rounded up, at least one")
    func needed() {
        #expect(SkipVotes.needed(listeners: 3, share: 50) == 2)
        #expect(SkipVotes.needed(listeners: 4, share: 50) == 2)
        #expect(SkipVotes.needed(listeners: 5, share: 50) == 3)
        #expect(SkipVotes.needed(listeners: 3, share: 100) == 3)
        #expect(SkipVotes.needed(listeners: 10, share: 1) == 1)
        #expect(SkipVotes.needed(listeners: 0, share: 50) == 1)
    }

    @Test("with two listeners a member's /skip skips at once")
    func fewListenersSkip() {
        var driver = SessionDriver.playing()
        let effects = vote(&driver, 2, by: Self.ana, listeners: [Self.ana, Self.ben])
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.skipVotes == nil)
        #expect(driver.report(.jobAcked(effects.sent[0].id)).reply(to: 2) == .skipped(title: "a"))
    }

    @Test("with three listeners the first vote is counted and shown, the second skips")
    func votesSkip() {
        var driver = SessionDriver.playing()
        let first = vote(&driver, 2, by: Self.ana, listeners: three)
        #expect(first.reply(to: 2) == .skipVoted(title: "a", votes: 1, needed: 2, counted: true))
        #expect(first.sent.isEmpty, "nothing is skipped yet")
        #expect(first.contains(.refreshBoard), "the board shows the votes")
        #expect(driver.record.skipVotes?.voters == [Self.ana])
        #expect(driver.record.nowPlaying?.entry.track.title == "a")

        let again = vote(&driver, 3, by: Self.ana, listeners: three)
        #expect(again.reply(to: 3) == .skipVoted(title: "a", votes: 1, needed: 2, counted: false), "one vote per member")

        let second = vote(&driver, 4, by: Self.ben, listeners: three)
        #expect(second.reply(to: 4) == nil, "answered once the next track plays")
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.skipVotes == nil)
        #expect(driver.report(.jobAcked(second.sent[0].id)).reply(to: 4) == .skippedByVote(title: "a", votes: 2, needed: 2))
    }

    @Test("the votes reset when the track changes")
    func resetOnTrackChange() {
        var driver = SessionDriver.playing()
        vote(&driver, 2, by: Self.ana, listeners: three)
        let current = driver.record.nowPlaying!.entry.id
        let ended = driver.report(.trackEnded(current, reason: .finished))
        driver.ackAll(ended)
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.skipVotes == nil)
        let fresh = vote(&driver, 3, by: Self.ana, listeners: three)
        #expect(fresh.reply(to: 3) == .skipVoted(title: "b", votes: 1, needed: 2, counted: true))
    }

    @Test("a voter who left the channel no longer counts")
    func leaverDoesNotCount() {
        var driver = SessionDriver.playing()
        let four: Set<UserID> = [Self.ana, Self.ben, Self.cleo, Self.dan]
        vote(&driver, 2, by: Self.ana, listeners: four)
        let left = driver.send(.presence([Self.ben, Self.cleo, Self.dan]))
        #expect(driver.record.skipVotes == nil, "Ana's vote went with her")
        #expect(left.contains(.refreshBoard))
        let next = vote(&driver, 3, by: Self.ben, listeners: [Self.ben, Self.cleo, Self.dan])
        #expect(next.reply(to: 3) == .skipVoted(title: "a", votes: 1, needed: 2, counted: true))
        // A vote counted against listeners the master last saw is recounted at the next vote too.
        let later = vote(&driver, 4, by: Self.cleo, listeners: [Self.cleo, Self.dan, Self.ana, UserID(45)])
        #expect(later.reply(to: 4) == .skipVoted(title: "a", votes: 1, needed: 2, counted: true), "Ben left meanwhile")
    }

    @Test("a listener leaving can make the votes enough")
    func leavingCompletesTheVote() {
        var driver = SessionDriver.playing()
        vote(&driver, 2, by: Self.ana, listeners: three, share: 100)
        vote(&driver, 3, by: Self.ben, listeners: three, share: 100)
        #expect(driver.record.skipVotes?.voters.count == 2)
        let effects = driver.send(.presence([Self.ana, Self.ben]))
        #expect(driver.record.nowPlaying?.entry.track.title == "b", "two of the two left voted")
        #expect(effects.sent.map(\.job).contains { if case .play = $0 { true } else { false } })
    }

    @Test("whoever queued the track skips it without a vote")
    func requesterSkips() {
        var driver = SessionDriver.playing()
        vote(&driver, 2, by: F.member, listeners: three)
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
    }

    @Test("skipping ahead is a DJ's call once a vote is needed")
    func skipAhead() {
        var driver = SessionDriver.playing()
        let effects = vote(&driver, 2, by: Self.ana, listeners: three, to: 2)
        #expect(effects.reply(to: 2) == .refused(.skipAheadNeedsDJ))
        #expect(driver.record.nowPlaying?.entry.track.title == "a")
        let few = vote(&driver, 3, by: Self.ana, listeners: [Self.ana], to: 2)
        #expect(few.sent.count == 1)
        #expect(driver.record.nowPlaying?.entry.track.title == "c", "alone, skipping ahead needs no vote")
    }

    @Test("nothing playing: the vote is refused")
    func nothingPlaying() {
        var driver = SessionDriver.playing(["a"])
        driver.ackAll(driver.command(2, .stop))
        #expect(vote(&driver, 3, by: Self.ana, listeners: three).reply(to: 3) == .refused(.nothingPlaying))
    }

    @Test("the votes survive the store: a record round-trips them")
    func codable() throws {
        var driver = SessionDriver.playing()
        vote(&driver, 2, by: Self.ana, listeners: three)
        let data = try JSONEncoder().encode(driver.record)
        #expect(try JSONDecoder().decode(SessionRecord.self, from: data) == driver.record)
    }
}

@Suite("Music session: voice channel status")
struct VoiceStatusEffectTests {
    typealias F = SessionFixture

    @Test("a track start shows it; the queue running out clears it")
    func showAndClear() {
        var driver = SessionDriver.playing(["a"])
        #expect(driver.log.contains(.voiceStatus("🎵 a — artist", worker: F.w1)))
        let ended = driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        #expect(ended.contains(.voiceStatus(nil, worker: F.w1)))
    }

    @Test("leaving clears the status before the bot leaves")
    func clearedBeforeLeave() throws {
        var driver = SessionDriver.playing()
        let effects = driver.command(2, .leave)
        let clear = try #require(effects.firstIndex(of: .voiceStatus(nil, worker: F.w1)))
        let leave = try #require(effects.firstIndex { if case .send(_, .leave, _) = $0 { true } else { false } })
        #expect(clear < leave)
    }

    @Test("a start reported by another worker, or for another entry, shows nothing")
    func foreignStart() {
        var driver = SessionDriver.playing()
        let foreign = driver.report(.trackStarted(driver.record.nowPlaying!.entry.id), from: F.w2)
        #expect(!foreign.contains { if case .voiceStatus = $0 { true } else { false } })
        let stale = driver.report(.trackStarted(QueueEntryID("gone")))
        #expect(!stale.contains { if case .voiceStatus = $0 { true } else { false } })
    }
}

@Suite("Session routing: voice permissions")
struct RoutingPermissionTests {
    typealias F = SessionFixture

    @Test("a worker that may not connect is passed over for one that may")
    func passedOver() {
        let snapshot = RoutingSnapshot(live: [RoutingCandidate(worker: F.w1, missing: ["Connect"]),
                                              RoutingCandidate(worker: F.w2, load: 3)], affinity: F.w1)
        #expect(SessionRouting.choose(for: F.key, in: snapshot) == .success(F.w2), "even against affinity and load")
    }

    @Test("when no free worker may play, the refusal names what is missing")
    func refusal() {
        let snapshot = RoutingSnapshot(live: [RoutingCandidate(worker: F.w1, missing: ["Connect"]),
                                              RoutingCandidate(worker: F.w2, missing: ["Connect", "Speak"])])
        #expect(SessionRouting.choose(for: F.key, in: snapshot) == .failure(.notPermitted(missing: ["Connect", "Speak"])))
        var driver = SessionDriver()
        let effects = driver.command(1, .play([F.track("a")], placement: .end, playlist: nil, routing: snapshot))
        #expect(effects.reply(to: 1) == .refused(.routing(.notPermitted(missing: ["Connect", "Speak"]))))
        #expect(driver.record.binding == nil)
    }

    @Test("busy workers are not a permission problem")
    func busyIsNotPermission() {
        let busy = [Binding(session: SessionKey(guild: F.guild, channel: ChannelID(55)), worker: F.w2, boundAt: F.start)]
        let snapshot = RoutingSnapshot(live: [RoutingCandidate(worker: F.w1, missing: ["Speak"]),
                                              RoutingCandidate(worker: F.w2)], bindings: busy)
        #expect(SessionRouting.choose(for: F.key, in: snapshot) == .failure(.notPermitted(missing: ["Speak"])))
        let allBusy = RoutingSnapshot(live: [RoutingCandidate(worker: F.w2, missing: ["Speak"])], bindings: busy)
        #expect(SessionRouting.choose(for: F.key, in: allBusy) == .failure(.noFreeWorker(busy: [ChannelID(55)])))
    }
}
