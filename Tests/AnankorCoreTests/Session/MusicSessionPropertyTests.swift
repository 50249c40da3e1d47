import AnankorCore
import Foundation
import Testing

/// Random command and event sequences against a simulated world of workers and players, with
/// events dropped, duplicated and reordered, jobs failing and workers dying. Every failure names
/// its seed; `SESSION_SEED=<n>` replays that one sequence, `SESSION_SEQUENCES=<n>` runs n of them.
@Suite("Music session: property")
struct MusicSessionPropertyTests {
    static let sequences = 2_000

    @Test("random sequences keep the queue whole, one player per session, bindings on live workers, and converge")
    func randomSequences() {
        let seeds: [UInt64] = if let replay = ProcessInfo.processInfo.environment["SESSION_SEED"].flatMap(UInt64.init) {
            [replay]
        } else {
            // SESSION_SEQUENCES=<n> runs more (or fewer) sequences than the default.
            (0..<UInt64(ProcessInfo.processInfo.environment["SESSION_SEQUENCES"].flatMap(Int.init) ?? Self.sequences))
                .map { ($0 &* 0x9E37_79B1) % 2_147_483_646 + 1 }  // spread out: neighbouring Park–Miller seeds start alike
        }
        var failures = 0
        for seed in seeds {
            var run = SessionSimulation(seed: seed)
            run.play(steps: 30 + Int(run.random.next(below: 90)))
            run.settle()
            if !run.problems.isEmpty {
                failures += 1
                let detail = run.problems.prefix(3).joined(separator: "\n")
                Issue.record("seed \(seed) (replay with SESSION_SEED=\(seed)):\n\(detail)")
                if failures >= 5 { return }
            }
        }
    }
}

extension SeededGenerator {
    /// Any 31-bit value.
    mutating func next() -> UInt64 { nextState() }
    mutating func chance(_ percent: Int) -> Bool { next(below: 100) < percent }
}

/// One session, three workers and their players, driven by a seeded generator.
struct SessionSimulation {
    typealias F = SessionFixture

    enum WorkerState { case live, away, dead }

    /// What the world sends back, delivered later (maybe never, maybe twice, in any order).
    enum Delivery {
        case input(SessionInput)
        /// The registry noticed the death; the master builds its routing snapshot on delivery.
        case dead(WorkerID)
    }

    struct Player {
        var entry: QueueEntry?
        var positionMs: Int64
        var paused: Bool
        var at: Date

        func position(at now: Date) -> Int64 {
            paused ? positionMs : positionMs + Int64(now.timeIntervalSince(at) * 1000)
        }
    }

    /// The generator the stores' shuffle uses: deterministic on every platform.
    var random: SeededGenerator
    var session: MusicSession
    var now = F.start
    var workers: [WorkerID: WorkerState] = [F.w1: .live, F.w2: .live, F.w3: .live]
    var players: [WorkerID: Player] = [:]
    var inVoice: Set<WorkerID> = []
    var inbox: [Delivery] = []
    var nextCommand: UInt64 = 1
    var asked: Set<CommandID> = []
    var answers: [CommandID: Int] = [:]
    var queued: Set<QueueEntryID> = []
    var played: Set<QueueEntryID> = []
    var removed: Set<QueueEntryID> = []
    var problems: [String] = []
    /// The latest inputs, formatted only when something failed.
    var trace: [(Date, SessionInput)] = []

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
        session = MusicSession(record: SessionRecord(session: F.key, now: F.start))
    }

    var record: SessionRecord { session.record }

    func routing() -> RoutingSnapshot {
        let live = workers.filter { $0.value == .live }.map(\.key).sorted()
        return F.routing(live, cap: 5)
    }

    mutating func fail(_ message: String) {
        let recent = trace.suffix(8).map { "\($0.0.timeIntervalSince(F.start))s \($0.1)" }
        problems.append(message + "\n  last inputs:\n    " + recent.joined(separator: "\n    "))
    }

    // MARK: Driving

    mutating func play(steps: Int) {
        for _ in 0..<steps where problems.isEmpty {
            let roll = random.next(below: 100)
            switch roll {
            case 0..<30: command()
            case 30..<62: deliverSomething()
            case 62..<74: passTime(Double(1 + random.next(below: 20)))
            case 74..<80: handle(.tick(SessionTimer.allCases[random.next(below: 3)]), faulty: true)
            case 80..<88: reconcile(faulty: true)
            case 88..<95: workerFault()
            default: handle(.presence(humans()), faulty: true)
            }
        }
    }

    /// No more faults: away workers come back or die, time passes beyond every deadline, the
    /// timers and reconciliation run; then the world must match the record.
    mutating func settle() {
        guard problems.isEmpty else { return }
        for worker in workers.keys.sorted() where workers[worker] == .away {
            if random.chance(50) {
                workers[worker] = .live
                inbox.append(.input(.worker(worker, .online)))
            } else {
                workers[worker] = .dead
                inbox.append(.dead(worker))
            }
        }
        drain()
        for _ in 0..<4 where problems.isEmpty {
            passTime(12, faulty: false)
            for timer in SessionTimer.allCases { handle(.tick(timer), faulty: false) }
            drain()
            reconcile(faulty: false)
            drain()
        }
        guard problems.isEmpty else { return }
        reconcile(faulty: false)
        drain()
        checkConverged()
        checkAnswered()
    }

    mutating func drain() {
        var rounds = 0
        while !inbox.isEmpty, problems.isEmpty {
            rounds += 1
            if rounds > 2_000 { return fail("no quiescence: events keep coming") }
            deliver(inbox.removeFirst(), faulty: false)
        }
    }

    mutating func command() {
        let id = CommandID(nextCommand)
        nextCommand += 1
        let count = record.queue.count
        let command: MemberCommand
        switch random.next(below: 20) {
        case 0..<5:
            let tracks = (0..<(1 + random.next(below: 3))).map { _ in
                F.track("t\(random.next(below: 1000))", seconds: Int64(5 + random.next(below: 60)), stream: random.chance(5))
            }
            command = .play(tracks, placement: random.chance(25) ? .next : .end, playlist: nil, routing: routing())
        case 5: command = .skip(to: random.chance(30) ? 1 + random.next(below: count + 2) : nil)
        case 6: command = .previous
        case 7: command = random.chance(50) ? .pause : .resume
        case 8: command = .togglePause
        case 9: command = random.chance(30) ? .stop : .seek(Int64(random.next(below: 70_000)))
        case 10: command = random.chance(20) ? .leave : .volume(random.next(below: 250))
        case 11: command = .loop(random.chance(25) ? nil : LoopMode.allCases[random.next(below: 3)])
        case 12: command = .shuffle(seed: random.next())
        case 13: command = .remove(position: random.next(below: count + 2))
        case 14: command = .move(from: 1 + random.next(below: count + 1), to: 1 + random.next(below: count + 1))
        case 15: command = random.chance(30) ? .clear : .replay
        case 16: command = .autoplay(random.chance(30) ? nil : random.chance(50))
        case 17: command = .filter(random.chance(50) ? "nightcore" : nil)
        case 18:
            // A member without the DJ role: a vote, or a plain skip with few listeners.
            let share = [1, 34, 50, 100][random.next(below: 4)]
            let context = SkipVoteContext(listeners: humans(), share: share,
                                          to: random.chance(20) ? 1 + random.next(below: count + 2) : nil)
            asked.insert(id)
            let voter = Self.humans[random.next(below: Self.humans.count)]
            return handle(.command(.voteSkip(context), from: CommandOrigin(command: id, user: voter, textChannel: F.text)),
                          faulty: true)
        default: command = .stay(random.chance(50))
        }
        asked.insert(id)
        handle(.command(command, from: CommandOrigin(command: id, user: F.member, textChannel: F.text)), faulty: true)
    }

    /// Members who come and go in the voice channel (the requester of every track is `F.member`).
    static let humans = [F.member, UserID(41), UserID(42), UserID(43), UserID(44)]

    /// Some of them, at random: the channel's humans after a voice change.
    mutating func humans() -> Set<UserID> {
        var present = Set<UserID>()
        for human in Self.humans where random.chance(55) { present.insert(human) }
        return present
    }

    mutating func deliverSomething() {
        guard !inbox.isEmpty else { return }
        let index = random.next(below: inbox.count)  // any order
        let delivery = inbox[index]
        let roll = random.next(below: 100)
        if roll < 10 {
            inbox.remove(at: index)  // dropped
        } else if roll < 20 {
            deliver(delivery, faulty: true)  // duplicated: stays in the inbox for a second delivery
        } else {
            inbox.remove(at: index)
            deliver(delivery, faulty: true)
        }
    }

    mutating func deliver(_ delivery: Delivery, faulty: Bool) {
        switch delivery {
        case .input(let input): handle(input, faulty: faulty)
        case .dead(let worker):
            let wasBound = record.binding?.worker == worker
            handle(.worker(worker, .dead(routing: routing())), faulty: faulty)
            // Its player keeps playing on the node unless the master ends it: never two bots.
            if wasBound, players[worker]?.entry != nil { fail("the dead worker's player still plays") }
        }
    }

    mutating func workerFault() {
        let worker = [F.w1, F.w2, F.w3][random.next(below: 3)]
        switch (workers[worker]!, random.next(below: 3)) {
        case (.live, 0):  // kill -9: the player keeps playing on its node, no event from the worker
            workers[worker] = .dead
            inbox.append(.dead(worker))
        case (.live, _):  // SIGTERM: announced as stopping, or as handing the token over (players kept)
            workers[worker] = .away
            inbox.append(.input(.worker(worker, random.next(below: 2) == 0 ? .offline : .handingOver)))
        case (.away, 0):
            workers[worker] = .dead
            inbox.append(.dead(worker))
        case (.away, _):  // a spare holds the token and resumes the sessions
            workers[worker] = .live
            inbox.append(.input(.worker(worker, .online)))
        case (.dead, _):  // a fresh process: the old player and voice state are gone
            workers[worker] = .live
            players[worker] = nil
            inVoice.remove(worker)
            inbox.append(.input(.worker(worker, .online)))
        }
    }

    mutating func passTime(_ seconds: Double, faulty: Bool = true) {
        now = now.addingTimeInterval(seconds)
        for worker in players.keys.sorted() {
            guard var player = players[worker], let entry = player.entry else { continue }
            let position = player.position(at: now)
            if !entry.track.isStream, position >= entry.track.lengthMs {
                player.entry = nil
                player.positionMs = 0
                player.at = now
                players[worker] = player
                if workers[worker] == .live { inbox.append(.input(.worker(worker, .trackEnded(entry.id, reason: .finished)))) }
            } else if workers[worker] == .live, faulty ? random.chance(30) : true {
                inbox.append(.input(.worker(worker, .position(entry.id, positionMs: position, paused: player.paused, at: now))))
            }
        }
    }

    mutating func reconcile(faulty: Bool) {
        var seen: [WorkerID: ObservedPlayer] = [:]
        for (worker, player) in players {
            seen[worker] = ObservedPlayer(entry: player.entry?.id, positionMs: player.position(at: now),
                                          paused: player.paused, at: now)
        }
        let before = record.binding
        handle(.observed(SessionObservation(players: seen, routing: routing())), faulty: faulty)
        // Reconciliation leaves no player but the bound worker's: at most one plays.
        let audible = players.filter { $0.value.entry != nil }.map(\.key)
        if audible.contains(where: { $0 != record.binding?.worker }) {
            fail("players of \(audible.sorted()) after reconciliation, bound to \(String(describing: record.binding?.worker))")
        }
        // A session is bound only to a live worker (or one still inside its grace period: twice
        // the grace for a worker that handed its token over), and reconciliation never drops a
        // binding whose worker is live.
        if let binding = record.binding, workers[binding.worker] != .live {
            let period = SessionPolicy().workerGrace.timeInterval * (binding.playersKept == true ? 2 : 1)
            let grace = binding.awaySince.map { now.timeIntervalSince($0) < period } ?? false
            if !grace { fail("bound to \(binding.worker) (\(workers[binding.worker]!)) after reconciliation") }
        }
        // (A worker that never confirmed joining the channel is given up at the connect deadline.)
        if let before, before.voice == .connected, workers[before.worker] == .live,
            record.binding?.worker != before.worker {
            fail("reconciliation unbound live worker \(before.worker)")
        }
    }

    // MARK: One input

    mutating func handle(_ input: SessionInput, faulty: Bool) {
        if trace.count >= 64 { trace.removeFirst(32) }
        trace.append((now, input))
        let before = record
        let effects = session.handle(input, now: now)
        checkEntries(before: before, input: input)
        carryOut(effects, faulty: faulty)
    }

    mutating func carryOut(_ effects: [SessionEffect], faulty: Bool) {
        for effect in effects {
            switch effect {
            case .send(let id, let job, let worker):
                perform(job, id: id, on: worker, faulty: faulty)
            case .destroyPlayer(let worker):
                players[worker] = nil
                inVoice.remove(worker)
            case .reply(let command, _):
                answers[command, default: 0] += 1
                if answers[command]! > 1 { fail("command \(command) answered twice") }
            case .findAutoplay:
                let found = random.chance(70) ? F.track("auto\(random.next(below: 1000))", seconds: 30) : nil
                inbox.append(.input(.autoplayFound(found)))
            case .persist(let stored):
                if stored != record { fail("persisted a record other than the session's") }
            case .refreshBoard:
                if record.boardMessage == nil { inbox.append(.input(.boardPosted(MessageID(1 + random.next())))) }
            case .retireBoard, .notice, .schedule, .voiceStatus:
                break
            case .handOver:
                fail("handed over though nobody moved its listeners")
            }
        }
    }

    /// A worker carrying out a job as the real one would, answering through the inbox.
    mutating func perform(_ job: SessionJob, id: SessionJobID, on worker: WorkerID, faulty: Bool) {
        guard workers[worker] == .live else { return }  // nobody reads that stream now
        if faulty, random.chance(5) {
            inbox.append(.input(.worker(worker, .jobFailed(id, reason: "injected"))))
            return
        }
        var events: [WorkerReport] = []
        switch job {
        case .connect:
            inVoice.insert(worker)
            events = [.jobAcked(id), .voiceConnected]
        case .play(let entry, let position, let paused, _):
            // Playing a track from its end is a silent channel (the symptom of a lost trackEnd).
            if !entry.track.isStream, position >= entry.track.lengthMs { fail("asked to play \(entry.id) from its end") }
            guard inVoice.contains(worker) else {
                inbox.append(.input(.worker(worker, .jobFailed(id, reason: "not in voice"))))
                return
            }
            if let old = players[worker]?.entry { events.append(.trackEnded(old.id, reason: .replaced)) }
            players[worker] = Player(entry: entry, positionMs: position, paused: paused, at: now)
            events += [.jobAcked(id), .trackStarted(entry.id)]
        case .pause(let paused):
            if var player = players[worker] {
                player.positionMs = player.position(at: now)
                player.at = now
                player.paused = paused
                players[worker] = player
            }
            events = [.jobAcked(id)]
        case .seek(let target):
            if var player = players[worker], player.entry != nil {
                player.positionMs = target
                player.at = now
                players[worker] = player
            }
            events = [.jobAcked(id)]
        case .volume, .filter:
            events = [.jobAcked(id)]
        case .stop:
            if let entry = players[worker]?.entry {
                events.append(.trackEnded(entry.id, reason: .stopped))
                players[worker]?.entry = nil
            }
            events.append(.jobAcked(id))
        case .leave:
            players[worker] = nil
            inVoice.remove(worker)
            events = [.jobAcked(id)]
        }
        inbox += events.map { .input(.worker(worker, $0)) }
    }

    // MARK: Checks

    /// No queue entry lost or duplicated: an entry leaves queue + now playing only by playing or
    /// by a command/ending that removes it, appears only when queued (or brought back by
    /// /previous), and is never both removed and present.
    mutating func checkEntries(before: SessionRecord, input: SessionInput) {
        let after = record
        let ids = after.entries.map(\.id)
        if Set(ids).count != ids.count { return fail("an entry is queued twice: \(ids)") }
        let beforeIDs = Set(before.entries.map(\.id))
        let nowIDs = Set(ids)
        var removable = Set<QueueEntryID>()
        var addable = Set<QueueEntryID>()
        if case .command(let command, let origin) = input {
            switch command {
            case .remove, .clear, .skip, .voteSkip, .stop, .leave: removable = Set(before.queue.map(\.id))
            case .play(let tracks, _, _, _):
                addable = Set(tracks.indices.map { QueueEntryID("\(origin.command)-\($0)") })
            case .previous: addable = Set(before.history.map(\.id))
            default: break
            }
            if case .leave = command { removable.formUnion(beforeIDs) }
        }
        if case .autoplayFound = input { addable.formUnion(nowIDs.filter { $0.rawValue.contains("~") }) }
        let ended = after.binding == nil && after.entries.isEmpty && after.history.isEmpty
        for id in beforeIDs.subtracting(nowIDs) {
            if id == before.nowPlaying?.entry.id, after.history.contains(where: { $0.id == id }) {
                played.insert(id)
            } else if removable.contains(id) || ended {
                removed.insert(id)
            } else {
                fail("entry \(id) lost")
            }
        }
        for id in nowIDs.subtracting(beforeIDs) {
            if !addable.contains(id) { fail("entry \(id) appeared from nowhere") }
            if case .command(.previous, _) = input {
                removed.remove(id)  // played before, so /previous may bring it back
            } else if removed.contains(id) {
                fail("removed entry \(id) came back")
            }
            queued.insert(id)
        }
        let unaccounted = queued.subtracting(nowIDs).subtracting(played).subtracting(removed)
        if !unaccounted.isEmpty { fail("entries unaccounted for: \(unaccounted)") }
    }

    /// After reconciliation with no faults: at most one player in the channel, the bound
    /// worker's plays the session's current entry (paused as recorded), or nothing plays.
    mutating func checkConverged() {
        let audible = players.filter { $0.value.entry != nil }
        if audible.count > 1 { return fail("two players in one channel: \(audible.keys.sorted())") }
        let current = record.nowPlaying
        guard let binding = record.binding else {
            if !audible.isEmpty { fail("unbound session but \(audible.keys.sorted()) plays") }
            return
        }
        if let current {
            guard let player = players[binding.worker], player.entry?.id == current.entry.id else {
                return fail("bound worker does not play the current entry \(current.entry.id): \(players)")
            }
            if player.paused != current.paused { fail("player paused=\(player.paused), record \(current.paused)") }
        } else if !audible.isEmpty {
            fail("nothing current but \(audible.keys.sorted()) plays")
        }
        if binding.voice != .connected { fail("still connecting after settling") }
    }

    /// Every command was answered, once.
    mutating func checkAnswered() {
        let silent = asked.filter { answers[$0] == nil }
        if !silent.isEmpty { fail("commands never answered: \(silent.sorted())") }
    }
}
