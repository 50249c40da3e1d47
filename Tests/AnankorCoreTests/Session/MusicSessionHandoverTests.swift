import AnankorCore
import Foundation
import Testing

/// A game lobby moves everyone listening to a session into its voice channel: the session goes
/// along (same bot, queue, position and settings) or ends at once.
@Suite("Music session: following listeners into a lobby")
struct MusicSessionHandoverTests {
    typealias F = SessionFixture
    static let lobby = SessionKey(guild: F.guild, channel: ChannelID(77))

    /// A playing session at 1:00 of its first track, volume 40 and track loop, handed over 10 s later.
    static func handedOver() -> (old: SessionDriver, carried: SessionRecord, effects: [SessionEffect]) {
        var old = SessionDriver.playing()
        old.ackAll(old.command(2, .volume(40)))
        old.command(3, .loop(.track))
        old.report(.position(old.record.nowPlaying!.entry.id, positionMs: 60_000, paused: false, at: old.now))
        old.advance(seconds: 10)
        let effects = old.send(.handOver(to: lobby.channel))
        let carried = effects.compactMap { if case .handOver(let record, to: lobby) = $0 { record } else { nil } }
        return (old, carried[0], effects)
    }

    @Test("the session leaves its channel without the bot leaving: everything it had goes along")
    func handOver() throws {
        let (old, carried, effects) = Self.handedOver()
        #expect(old.record.binding == nil && old.record.entries.isEmpty && old.record.boardMessage == nil)
        #expect(effects.sent.isEmpty, "no leave: the bot moves rather than leaves")
        #expect(effects.notices.isEmpty && effects.destroyed.isEmpty)
        #expect(!effects.contains { if case .retireBoard = $0 { true } else { false } }, "the board goes along")
        #expect(carried.binding?.worker == F.w1)
        #expect(carried.entries.map(\.track.title) == ["a", "b", "c"])
        #expect(carried.nowPlaying?.positionMs == 70_000, "its position brought to the moment of the move")
        #expect(carried.volume == 40 && carried.loop == .track && carried.boardMessage == F.board)
        #expect(carried.pending.isEmpty)
    }

    @Test("a job in flight when the session moves is still answered by its acknowledgement")
    func jobInFlight() throws {
        var old = SessionDriver.playing()
        let volume = old.command(2, .volume(40))
        old.send(.handOver(to: Self.lobby.channel))
        #expect(old.record.pending.count == 1)
        let acked = old.report(.jobAcked(volume.sent[0].id), from: F.w1)
        #expect(acked.reply(to: 2) == .volumeSet(40))
        #expect(old.record.pending.isEmpty)
    }

    @Test("the lobby channel takes it on: the same bot is asked there, then plays on where it was")
    func takeOver() throws {
        let (_, carried, _) = Self.handedOver()
        var lobby = SessionDriver(record: SessionRecord(session: Self.lobby, now: F.start), now: carried.nowPlaying!.updatedAt)
        let taken = lobby.send(.takeOver(carried))
        #expect(lobby.record.binding?.worker == F.w1 && lobby.record.binding?.voice == .connecting)
        #expect(taken.sent.map(\.job) == [.connect(textChannel: F.text)], "the worker moves its bot; nothing plays before")
        #expect(taken.contains(.refreshBoard), "the same message now shows the lobby channel")
        #expect(lobby.record.boardMessage == F.board)
        #expect(lobby.send(F.listeners(0)).isEmpty, "the bot arriving before its listeners pauses nothing")
        lobby.advance(seconds: 1)
        let connected = lobby.ackAll(taken)
        let plays = connected.sent.compactMap { if case .play(let entry, let position, let paused, let volume) = $0.job {
            (entry.track.title, position, paused, volume) } else { nil } }
        #expect(plays.count == 1)
        #expect(plays.first?.0 == "a" && plays.first?.1 == 71_000 && plays.first?.2 == false && plays.first?.3 == 40,
                "played on at its position, not from the start: \(plays)")
        #expect(lobby.record.queue.map(\.track.title) == ["b", "c"] && lobby.record.loop == .track)
        #expect(lobby.send(F.listeners(3)).sent.isEmpty, "listeners arriving change nothing audible")
        #expect(lobby.record.aloneSince == nil)
    }

    @Test("nobody arrives in the lobby channel: the session ends after the alone timeout")
    func nobodyArrives() throws {
        let (_, carried, _) = Self.handedOver()
        var lobby = SessionDriver(record: SessionRecord(session: Self.lobby, now: F.start), now: carried.nowPlaying!.updatedAt)
        lobby.ackAll(lobby.send(.takeOver(carried)))
        lobby.advance(seconds: 120)
        let left = lobby.send(.tick(.alone))
        #expect(left.notices == [.leftAlone])
        #expect(left.sent.map(\.job) == [.leave(.alone)])
    }

    @Test("a lobby channel with music of its own refuses it; the bot that would come is taken out")
    func refused() throws {
        let (_, carried, _) = Self.handedOver()
        var lobby = SessionDriver.playing(["own"])
        var record = lobby.record
        record.session = Self.lobby
        lobby = SessionDriver(record: record, now: lobby.now)
        let before = lobby.record
        var other = carried
        other.binding?.worker = F.w2
        #expect(lobby.send(.takeOver(other)) == [.destroyPlayer(F.w2)])
        #expect(lobby.record == before)
    }

    @Test("a bot not ready in voice cannot be moved: the session ends at once instead")
    func notReady() throws {
        var connecting = SessionDriver()
        connecting.command(1, F.play(["a"], routing: F.routing([F.w1])))
        let ended = connecting.send(.handOver(to: Self.lobby.channel))
        #expect(!ended.contains { if case .handOver = $0 { true } else { false } })
        #expect(ended.notices == [.leftAlone])
        #expect(ended.sent.map(\.job) == [.leave(.alone)])
        #expect(connecting.record.binding == nil)

        var away = SessionDriver.playing()
        away.report(.offline)
        let awayEnded = away.send(.handOver(to: Self.lobby.channel))
        #expect(awayEnded.notices == [.leftAlone] && away.record.binding == nil)
        var unbound = SessionDriver()
        #expect(unbound.send(.handOver(to: Self.lobby.channel)).isEmpty, "nothing bound: nothing to move")
    }
}

@Suite("Which music follows players into a lobby")
struct MusicFollowingTests {
    let lobby = ChannelID(1)
    let lounge = ChannelID(2)
    let karaoke = ChannelID(3)
    let alice = UserID(10), bob = UserID(11), carol = UserID(12)

    @Test("everyone listening is moved in and the lobby channel has no music: it follows")
    func follows() {
        let plan = MusicFollowing.plan(into: lobby, movers: [alice, bob], listeners: [lounge: [alice, bob]],
                                       lobbyHasMusic: false)
        #expect(plan.follows == lounge && plan.released.isEmpty)
    }

    @Test("someone stays behind: the music stays with them")
    func someoneStays() {
        let plan = MusicFollowing.plan(into: lobby, movers: [alice], listeners: [lounge: [alice, carol]], lobbyHasMusic: false)
        #expect(plan.follows == nil && plan.released.isEmpty)
    }

    @Test("the lobby channel has music (a session, or the lobby's own): the music left behind ends")
    func lobbyHasMusic() {
        let plan = MusicFollowing.plan(into: lobby, movers: [alice, bob],
                                       listeners: [lounge: [alice], lobby: [carol]], lobbyHasMusic: true)
        #expect(plan.follows == nil && plan.released == [lounge])
    }

    @Test("two channels emptied into one lobby: the one with more listeners follows, ties by channel")
    func twoCandidates() {
        let more = MusicFollowing.plan(into: lobby, movers: [alice, bob, carol],
                                       listeners: [lounge: [alice], karaoke: [bob, carol]], lobbyHasMusic: false)
        #expect(more.follows == karaoke && more.released == [lounge])
        let tie = MusicFollowing.plan(into: lobby, movers: [alice, bob],
                                      listeners: [karaoke: [bob], lounge: [alice]], lobbyHasMusic: false)
        #expect(tie.follows == lounge && tie.released == [karaoke])
        let empty = MusicFollowing.plan(into: lobby, movers: [alice], listeners: [lounge: []], lobbyHasMusic: false)
        #expect(empty.follows == nil && empty.released.isEmpty, "an empty channel is not the movers' music")
    }
}
