import AnankorCore
import Foundation

/// Shared values for the session tests.
enum SessionFixture {
    static let guild = GuildID(10)
    static let channel = ChannelID(20)
    static let text = ChannelID(21)
    static let key = SessionKey(guild: guild, channel: channel)
    static let member = UserID(30)
    static let w1 = WorkerID(101)
    static let w2 = WorkerID(102)
    static let w3 = WorkerID(103)
    static let start = Date(epochMilliseconds: 1_700_000_000_000)
    static let policy = SessionPolicy()
    static let board = MessageID(900)

    static func track(_ name: String, seconds: Int64 = 180, stream: Bool = false) -> Track {
        Track(encoded: "enc-\(name)", title: name, author: "artist", lengthMs: seconds * 1000, isStream: stream)
    }

    /// `count` humans in the voice channel.
    static func listeners(_ count: Int) -> SessionInput {
        .presence(Set((0..<count).map { UserID(UInt64(200 + $0)) }))
    }

    static func origin(_ command: UInt64) -> CommandOrigin {
        CommandOrigin(command: CommandID(command), user: member, textChannel: text)
    }

    static func routing(_ live: [WorkerID] = [w1, w2], bindings: [Binding] = [], affinity: WorkerID? = nil,
                        cap: Int = 5) -> RoutingSnapshot {
        RoutingSnapshot(live: live.map { RoutingCandidate(worker: $0) }, bindings: bindings, affinity: affinity, cap: cap)
    }

    static func play(_ names: [String], placement: QueuePlacement = .end, playlist: String? = nil,
                     routing: RoutingSnapshot = routing()) -> MemberCommand {
        .play(names.map { track($0) }, placement: placement, playlist: playlist, routing: routing)
    }
}

extension [SessionEffect] {
    var sent: [(id: SessionJobID, job: SessionJob, worker: WorkerID)] {
        compactMap { if case .send(let id, let job, let worker) = $0 { (id, job, worker) } else { nil } }
    }

    var replies: [(CommandID, CommandResult)] {
        compactMap { if case .reply(let id, let result) = $0 { (id, result) } else { nil } }
    }

    func reply(to command: UInt64) -> CommandResult? {
        replies.first { $0.0 == CommandID(command) }?.1
    }

    var notices: [SessionNotice] { compactMap { if case .notice(let notice, _, _) = $0 { notice } else { nil } } }

    var destroyed: [WorkerID] { compactMap { if case .destroyPlayer(let worker) = $0 { worker } else { nil } } }
}

/// Drives one session with a clock the test moves.
struct SessionDriver {
    var session: MusicSession
    var now: Date
    var log: [SessionEffect] = []

    init(record: SessionRecord? = nil, policy: SessionPolicy = SessionFixture.policy, now: Date = SessionFixture.start) {
        session = MusicSession(record: record ?? SessionRecord(session: SessionFixture.key, now: now), policy: policy)
        self.now = now
    }

    var record: SessionRecord { session.record }

    @discardableResult
    mutating func send(_ input: SessionInput) -> [SessionEffect] {
        let effects = session.handle(input, now: now)
        log.append(contentsOf: effects)
        return effects
    }

    @discardableResult
    mutating func command(_ id: UInt64, _ command: MemberCommand) -> [SessionEffect] {
        send(.command(command, from: SessionFixture.origin(id)))
    }

    @discardableResult
    mutating func report(_ report: WorkerReport, from worker: WorkerID? = nil) -> [SessionEffect] {
        send(.worker(worker ?? record.binding?.worker ?? SessionFixture.w1, report))
    }

    mutating func advance(seconds: Double) { now = now.addingTimeInterval(seconds) }

    /// Acknowledges every sent job (as a healthy worker would), connects first.
    @discardableResult
    mutating func ackAll(_ effects: [SessionEffect]) -> [SessionEffect] {
        var all: [SessionEffect] = []
        var queue = effects.sent
        while !queue.isEmpty {
            let job = queue.removeFirst()
            let more = send(.worker(job.worker, .jobAcked(job.id)))
            all.append(contentsOf: more)
            queue.append(contentsOf: more.sent)
        }
        return all
    }

    /// A playing session: bound to w1, connected, `names[0]` playing, the rest queued.
    static func playing(_ names: [String] = ["a", "b", "c"], policy: SessionPolicy = SessionFixture.policy) -> SessionDriver {
        var driver = SessionDriver(policy: policy)
        let effects = driver.command(1, SessionFixture.play(names, routing: SessionFixture.routing([SessionFixture.w1])))
        driver.ackAll(effects)
        driver.report(.trackStarted(driver.record.nowPlaying!.entry.id))
        driver.send(.boardPosted(SessionFixture.board))
        return driver
    }
}
