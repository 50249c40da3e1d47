import AnankorCore
import Foundation
import Testing

/// Every input in every state: each (state, input) pair is handled and checked against what must
/// hold whatever the input — every command is answered now or waits on exactly one job, the
/// record's invariants hold, the version moves with every change, and the same input on the same
/// state gives the same result.
@Suite("Music session: every input in every state")
struct MusicSessionTableTests {
    typealias F = SessionFixture

    /// Reachable states, each built by driving the session.
    static let states: [(String, SessionDriver)] = {
        var states: [(String, SessionDriver)] = [("fresh", SessionDriver())]
        var connecting = SessionDriver()
        connecting.command(1, F.play(["a", "b", "c"], routing: F.routing([F.w1])))
        states.append(("connecting", connecting))
        let playing = SessionDriver.playing()
        states.append(("playing", playing))
        var paused = SessionDriver.playing()
        paused.ackAll(paused.command(2, .pause))
        states.append(("paused", paused))
        var ended = SessionDriver.playing(["a"])
        ended.ackAll(ended.command(2, .stop))
        states.append(("ended", ended))
        var away = SessionDriver.playing()
        away.report(.offline)
        states.append(("away", away))
        var crashed = SessionDriver.playing()
        crashed.report(.dead(routing: F.routing([])), from: F.w1)
        states.append(("crashed", crashed))
        var waiting = SessionDriver.playing()
        waiting.command(2, .volume(40))
        states.append(("awaiting ack", waiting))
        var alone = SessionDriver.playing()
        alone.ackAll(alone.send(F.listeners(0)))
        states.append(("alone", alone))
        return states
    }()

    static func inputs(for driver: SessionDriver) -> [(String, SessionInput)] {
        let current = driver.record.nowPlaying?.entry.id ?? QueueEntryID("none")
        let pending = driver.record.pending.first?.id ?? SessionJobID("none")
        let commands: [MemberCommand] = [
            F.play(["p"]), F.play(["n1", "n2"], placement: .next, playlist: "List"),
            .play([], placement: .end, playlist: nil, routing: F.routing()),
            .play([F.track("r")], placement: .end, playlist: nil, routing: F.routing([], cap: 5)),
            .skip(to: nil), .skip(to: 2), .skip(to: 50), .previous, .pause, .resume, .togglePause, .stop, .leave,
            .seek(10_000), .seek(-1), .volume(80), .volume(999), .loop(.track), .loop(nil), .shuffle(seed: 7),
            .remove(position: 1), .remove(position: 0), .move(from: 1, to: 2), .move(from: 1, to: 40), .clear, .replay,
            .autoplay(nil), .filter("bassboost"), .filter(nil), .stay(true), .stay(false), .autoplayMode(.mixed),
        ]
        var inputs: [(String, SessionInput)] = commands.enumerated().map { index, command in
            ("command \(command)", .command(command, from: F.origin(UInt64(1000 + index))))
        }
        let reports: [WorkerReport] = [
            .voiceConnected, .connectFailed(reason: "denied"), .jobAcked(pending), .jobFailed(pending, reason: "x"),
            .jobAcked(SessionJobID("unknown")), .trackStarted(current), .trackEnded(current, reason: .finished),
            .trackEnded(current, reason: .replaced), .trackEnded(QueueEntryID("other"), reason: .finished),
            .segmentSkipped(current, SkippedSegment.Part(category: "sponsor", startMs: 30_000, endMs: 45_000)),
            .trackStuck(current), .trackException(current, message: "boom"),
            .position(current, positionMs: 5_000, paused: true, at: driver.now), .offline, .online,
            .dead(routing: F.routing([F.w2])), .dead(routing: F.routing([])),
        ]
        for report in reports {
            inputs.append(("w1 \(report)", .worker(F.w1, report)))
        }
        inputs.append(("w3 trackEnded", .worker(F.w3, .trackEnded(current, reason: .finished))))
        for timer in SessionTimer.allCases {
            inputs.append(("tick \(timer)", .tick(timer)))
        }
        let player = ObservedPlayer(entry: current, positionMs: 1_000, paused: true, at: driver.now)
        inputs.append(("observed none", .observed(SessionObservation(players: [:], routing: F.routing()))))
        inputs.append(("observed own", .observed(SessionObservation(players: [F.w1: player], routing: F.routing()))))
        inputs.append(("observed stray", .observed(SessionObservation(players: [F.w3: player], routing: F.routing()))))
        inputs.append(("observed w1 gone", .observed(SessionObservation(players: [:], routing: F.routing([F.w2])))))
        inputs.append(("autoplay found", .autoplayFound(F.track("auto"))))
        inputs.append(("autoplay none", .autoplayFound(nil)))
        inputs.append(("listeners 0", F.listeners(0)))
        inputs.append(("listeners 3", F.listeners(3)))
        inputs.append(("board posted", .boardPosted(MessageID(901))))
        inputs.append(("hand over", .handOver(to: ChannelID(77))))
        var carried = SessionDriver.playing(["x", "y"]).record
        carried.session = SessionKey(guild: F.guild, channel: ChannelID(77))
        carried.binding?.worker = F.w2
        inputs.append(("take over", .takeOver(carried)))
        return inputs
    }

    @Test("every input in every state keeps the invariants", arguments: 0..<9)
    func everyInput(stateIndex: Int) throws {
        let (name, start) = Self.states[stateIndex]
        for (label, input) in Self.inputs(for: start) {
            for delay in [0.0, 700.0] {
                var driver = start
                driver.advance(seconds: delay)
                let effects = driver.send(input)
                let context = "state \(name), +\(Int(delay)) s, input \(label)"
                check(before: start.record, after: driver.record, input: input, effects: effects, context)
                var twin = start
                twin.advance(seconds: delay)
                #expect(twin.send(input) == effects, "not deterministic: \(context)")
            }
        }
    }

    func check(before: SessionRecord, after: SessionRecord, input: SessionInput, effects: [SessionEffect],
               _ context: String) {
        // Every command is answered now, or waits on exactly one pending job, not both.
        if case .command(let command, let origin) = input {
            let replies = effects.replies.filter { $0.0 == origin.command }.count
            let waits = after.pending.filter { $0.waiting?.command == origin.command }.count
            let duplicate = if case .play = command { replies + waits == 0 && effects.isEmpty } else { false }
            #expect(replies + waits == 1 || duplicate, "command answered \(replies)× and waiting \(waits)×: \(context)")
        }
        // One entry at most in queue + now playing.
        let ids = after.entries.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate entry: \(context)")
        // Nothing sent to a worker the session is not bound to, except taking it out.
        for send in effects.sent {
            let takesOut = if case .leave = send.job { true } else { false }
            #expect(send.worker == after.binding?.worker || takesOut, "job to an unbound worker: \(context)")
        }
        // While connecting or away, only `connect` goes out.
        if let binding = after.binding, binding.voice == .connecting || binding.awaySince != nil {
            for send in effects.sent where send.worker == binding.worker {
                if case .connect = send.job { continue }
                Issue.record("job sent before the worker is ready: \(context)")
            }
        }
        // The version moves exactly when the record changes, and the write comes first.
        if after != before {
            #expect(after.version == before.version + 1, "version: \(context)")
            #expect(effects.first == .persist(after), "persist first: \(context)")
        } else {
            #expect(!effects.contains { if case .persist = $0 { true } else { false } }, "needless write: \(context)")
        }
        // A binding that ended left no held jobs behind; the history respects its cap.
        if after.binding == nil { #expect(!after.pending.contains { $0.held }, "held job without binding: \(context)") }
        #expect(after.history.count <= AdvanceRule.historyLimit)
        // An entry left queue/now playing only by playing, a member's command, or the session ending.
        let gone = Set(before.entries.map(\.id)).subtracting(ids)
        if !gone.isEmpty {
            let ended = after.binding == nil && after.entries.isEmpty
            var allowed = Set<QueueEntryID>()
            if let current = before.nowPlaying?.entry.id, after.history.contains(where: { $0.id == current }) {
                allowed.insert(current)
            }
            if case .command(let command, _) = input {
                switch command {
                case .remove, .clear, .stop, .skip, .leave: allowed.formUnion(before.queue.map(\.id))
                default: break
                }
            }
            if ended { allowed.formUnion(before.entries.map(\.id)) }
            #expect(gone.isSubset(of: allowed), "entries lost: \(gone) — \(context)")
        }
    }
}
