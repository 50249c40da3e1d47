import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: session records")
struct StateStoreSessionRecordContractTests {
    /// A record as `MusicSession` hands it to the store: `version` already raised.
    static func record(_ session: SessionKey, version: Int, worker: UInt64? = nil, boundAt: Double = 0,
                       volume: Int = 100) -> SessionRecord {
        var record = SessionRecord(session: session, now: Fixed.t0, volume: volume, incarnation: 7)
        record.version = version
        record.binding = worker.map { SessionBinding(worker: WorkerID($0), boundAt: Fixed.at(boundAt)) }
        return record
    }

    @Test("a save is a compare-and-set on the version; nothing stored is version 0", arguments: StateStoreAdapter.all)
    func compareAndSet(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let session = Fixed.session(1, 10)
        #expect(try await store.sessionRecord(session) == nil)
        // Over nothing only version 1 is accepted.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 2), due: nil) == false)
        #expect(try await store.sessionRecord(session) == nil)
        let first = Self.record(session, version: 1, worker: 7, volume: 80)
        #expect(try await store.saveSessionRecord(first, due: Fixed.at(60)))
        #expect(try await store.sessionRecord(session) == first)

        // A second master that also read "nothing" loses, and changes nothing: not the record,
        // not the binding, not the due time.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 1, worker: 8, volume: 20), due: nil) == false)
        #expect(try await store.sessionRecord(session) == first)
        #expect(try await store.boundSessions(in: GuildID(1)).map(\.worker) == [WorkerID(7)])
        #expect(try await store.dueSessions(at: Fixed.at(60), limit: 10) == [session])

        let second = Self.record(session, version: 2, worker: 7, volume: 90)
        #expect(try await store.saveSessionRecord(second, due: nil))
        // Stale (version 2 again) and ahead (version 4) are both refused.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 2, volume: 1), due: nil) == false)
        #expect(try await store.saveSessionRecord(Self.record(session, version: 4, volume: 1), due: nil) == false)
        #expect(try await store.sessionRecord(session) == second)
        // The record survives a restart.
        #expect(try await fixture.reopen().sessionRecord(session) == second)

        // Delete is guarded by the version too; afterwards the session is at version 0 again.
        #expect(try await store.deleteSessionRecord(session, version: 1) == false)
        #expect(try await store.sessionRecord(session) == second)
        #expect(try await store.deleteSessionRecord(session, version: 2))
        #expect(try await store.sessionRecord(session) == nil)
        #expect(try await store.deleteSessionRecord(session, version: 2) == false)
        #expect(try await store.saveSessionRecord(Self.record(session, version: 3), due: nil) == false)
        #expect(try await store.saveSessionRecord(Self.record(session, version: 1), due: nil))

        await #expect(throws: StateStoreError.self) {
            try await store.saveSessionRecord(Self.record(session, version: 0), due: nil)
        }
        await #expect(throws: StateStoreError.self) { try await store.dueSessions(at: Fixed.t0, limit: -1) }
    }

    @Test("of N concurrent writers of the same version exactly one wins", arguments: StateStoreAdapter.all)
    func concurrentWriters(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        // Two store instances on the same data, as two masters would have.
        let stores = [fixture.store, try await fixture.reopen()]
        let session = Fixed.session(1, 10)
        #expect(try await stores[0].saveSessionRecord(Self.record(session, version: 1), due: nil))
        for round in 2...4 {
            let writers = 12
            let winners = try await withThrowingTaskGroup(of: SessionRecord?.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        let candidate = Self.record(session, version: round, worker: UInt64(100 + writer),
                                                    volume: writer)
                        let saved = try await stores[writer % 2].saveSessionRecord(candidate, due: Fixed.at(Double(writer)))
                        return saved ? candidate : nil
                    }
                }
                var winners: [SessionRecord] = []
                for try await winner in group { if let winner { winners.append(winner) } }
                return winners
            }
            try #require(winners.count == 1, "round \(round): \(winners.count) writers won")
            let winner = winners[0]
            #expect(try await stores[1].sessionRecord(session) == winner)
            // The indexes are the winner's, not a mix of writers.
            let worker = try #require(winner.binding?.worker)
            #expect(try await stores[0].boundSessions(in: GuildID(1)).map(\.worker) == [worker])
            #expect(try await stores[0].boundSessions(of: worker).map(\.session) == [session])
            #expect(try await stores[0].dueSessions(at: Fixed.at(Double(winner.volume)), limit: 10) == [session])
            #expect(try await stores[0].dueSessions(at: Fixed.at(Double(winner.volume) - 0.5), limit: 10).isEmpty)
        }
    }

    @Test("guildSessions reads a record, the guild's bindings and its worker bots as the single reads do",
          arguments: StateStoreAdapter.all)
    func guildSessionsInOneRead(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let session = Fixed.session(1, 30)
        // Nothing at all: no record, no bindings, no worker bots.
        let empty = try await store.guildSessions(in: GuildID(1), record: session)
        #expect(empty == GuildSessions(record: nil, bindings: [], workers: []))

        let bound = Self.record(Fixed.session(1, 20), version: 1, worker: 2, boundAt: 1)
        let unbound = Self.record(session, version: 1)
        let elsewhere = Self.record(Fixed.session(9, 5), version: 1, worker: 1, boundAt: 2)
        for record in [bound, unbound, elsewhere] { #expect(try await store.saveSessionRecord(record, due: nil)) }
        try await store.setGuilds([GuildID(1), GuildID(9)], of: WorkerID(2))
        try await store.setGuilds([GuildID(1)], of: WorkerID(3))
        try await store.setGuilds([GuildID(9)], of: WorkerID(1))

        let read = try await store.guildSessions(in: GuildID(1), record: session)
        #expect(read.record == unbound)
        #expect(read.record == (try await store.sessionRecord(session)))
        #expect(read.bindings == (try await store.boundSessions(in: GuildID(1))))
        #expect(read.bindings == [Binding(session: bound.session, worker: WorkerID(2), boundAt: Fixed.at(1))])
        #expect(read.workers == (try await store.workers(in: GuildID(1))))
        #expect(read.workers == [WorkerID(2), WorkerID(3)])
        // Without a session: no record, the rest the same.
        #expect(try await store.guildSessions(in: GuildID(1), record: nil)
            == GuildSessions(record: nil, bindings: read.bindings, workers: read.workers))
        // A session of another guild is read as asked.
        #expect(try await store.guildSessions(in: GuildID(9), record: elsewhere.session)
            == GuildSessions(record: elsewhere, bindings: [Binding(session: elsewhere.session, worker: WorkerID(1),
                                                                   boundAt: Fixed.at(2))],
                             workers: [WorkerID(1), WorkerID(2)]))
    }

    @Test("the binding indexes follow bind, rebind, unbind and delete", arguments: StateStoreAdapter.all)
    func bindingIndexes(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let session = Fixed.session(1, 30)
        // Bystanders: the same guild on another worker, another guild on the same worker, an unbound session.
        let neighbour = Self.record(Fixed.session(1, 20), version: 1, worker: 2, boundAt: 1)
        let elsewhere = Self.record(Fixed.session(9, 5), version: 1, worker: 1, boundAt: 2)
        let unbound = Self.record(Fixed.session(1, 40), version: 1)
        for record in [neighbour, elsewhere, unbound] { #expect(try await store.saveSessionRecord(record, due: nil)) }
        func bindings(in guild: UInt64) async throws -> [String] {
            try await store.boundSessions(in: GuildID(guild)).map { "\($0.session)@\($0.worker)" }
        }
        func sessions(of worker: UInt64) async throws -> [String] {
            try await store.boundSessions(of: WorkerID(worker)).map { "\($0.session)" }
        }

        // Saved unbound: in no index.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 1), due: nil))
        #expect(try await bindings(in: 1) == ["1/20@2"])
        // Bind to worker 1.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 2, worker: 1, boundAt: 10), due: nil))
        #expect(try await bindings(in: 1) == ["1/20@2", "1/30@1"])
        #expect(try await sessions(of: 1) == ["1/30", "9/5"])
        let bound = try #require(try await store.boundSessions(of: WorkerID(1)).first)
        #expect(bound == Binding(session: session, worker: WorkerID(1), boundAt: Fixed.at(10)))
        // Rebind to worker 3 (a takeover): worker 1 keeps only its other guild.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 3, worker: 3, boundAt: 20), due: nil))
        #expect(try await store.boundSessions(in: GuildID(1)) == [
            Binding(session: neighbour.session, worker: WorkerID(2), boundAt: Fixed.at(1)),
            Binding(session: session, worker: WorkerID(3), boundAt: Fixed.at(20)),
        ])
        #expect(try await sessions(of: 1) == ["9/5"])
        #expect(try await sessions(of: 3) == ["1/30"])
        // Unbind.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 4), due: nil))
        #expect(try await bindings(in: 1) == ["1/20@2"])
        #expect(try await sessions(of: 3).isEmpty)
        // Bind again and delete: the delete takes the binding with it.
        #expect(try await store.saveSessionRecord(Self.record(session, version: 5, worker: 3, boundAt: 30), due: nil))
        #expect(try await sessions(of: 3) == ["1/30"])
        #expect(try await store.deleteSessionRecord(session, version: 5))
        #expect(try await bindings(in: 1) == ["1/20@2"])
        #expect(try await sessions(of: 3).isEmpty)

        // The bystanders never moved.
        #expect(try await bindings(in: 9) == ["9/5@1"])
        #expect(try await sessions(of: 2) == ["1/20"])
        for record in [neighbour, elsewhere, unbound] { #expect(try await store.sessionRecord(record.session) == record) }
        #expect(try await store.boundSessions(in: GuildID(77)).isEmpty)
        #expect(try await store.boundSessions(of: WorkerID(77)).isEmpty)
    }

    @Test("a worker is bound to one channel per guild: a save that would bind it twice is refused",
          arguments: StateStoreAdapter.all)
    func oneChannelPerWorkerAndGuild(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let first = Self.record(Fixed.session(1, 10), version: 1, worker: 7, boundAt: 1)
        #expect(try await store.saveSessionRecord(first, due: nil))
        // Another channel of the guild, routed at the same time to the same worker: refused,
        // whether the record is new or not, and nothing of it is stored.
        let second = Fixed.session(1, 20)
        #expect(try await store.saveSessionRecord(Self.record(second, version: 1, worker: 7, boundAt: 2), due: Fixed.t0) == false)
        #expect(try await store.sessionRecord(second) == nil)
        #expect(try await store.dueSessions(at: Fixed.at(10), limit: 10).isEmpty)
        #expect(try await store.saveSessionRecord(Self.record(second, version: 1), due: nil))
        #expect(try await store.saveSessionRecord(Self.record(second, version: 2, worker: 7, boundAt: 2), due: nil) == false)
        #expect(try await store.sessionRecord(second) == Self.record(second, version: 1))
        #expect(try await store.boundSessions(of: WorkerID(7)).map(\.session) == [first.session])
        // Another worker, or the same worker in another guild, is fine; and the session that
        // holds the worker may save again with it.
        #expect(try await store.saveSessionRecord(Self.record(second, version: 2, worker: 8, boundAt: 2), due: nil))
        #expect(try await store.saveSessionRecord(Self.record(Fixed.session(2, 10), version: 1, worker: 7), due: nil))
        #expect(try await store.saveSessionRecord(Self.record(first.session, version: 2, worker: 7, boundAt: 1), due: nil))
        // Once the first session lets the worker go, the second may take it.
        #expect(try await store.saveSessionRecord(Self.record(first.session, version: 3), due: nil))
        #expect(try await store.saveSessionRecord(Self.record(second, version: 3, worker: 7, boundAt: 3), due: nil))
        #expect(try await store.boundSessions(in: GuildID(1)).map { "\($0.session)@\($0.worker)" } == ["1/20@7"])

        // Eight channels of one guild routed at once to the same free worker: one gets it.
        let other = try await fixture.reopen()
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for channel in 1...8 as ClosedRange<UInt64> {
                group.addTask {
                    try await (channel % 2 == 0 ? store : other).saveSessionRecord(
                        Self.record(Fixed.session(3, channel), version: 1, worker: 5), due: nil)
                }
            }
            var wins = 0
            for try await won in group where won { wins += 1 }
            return wins
        }
        #expect(wins == 1)
        #expect(try await store.boundSessions(in: GuildID(3)).count == 1)
    }

    @Test("bound sessions are listed by channel id, a worker's by session", arguments: StateStoreAdapter.all)
    func bindingOrder(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        // Saved out of order, with channel ids whose text order differs from their numeric order.
        for (channel, worker) in [(900, 1), (1_000, 2), (95, 3), (9, 4)] as [(UInt64, UInt64)] {
            #expect(try await store.saveSessionRecord(Self.record(Fixed.session(5, channel), version: 1, worker: worker), due: nil))
        }
        #expect(try await store.boundSessions(in: GuildID(5)).map(\.session.channel.rawValue) == [9, 95, 900, 1_000])
        for guild in [30, 4, 200] as [UInt64] {
            #expect(try await store.saveSessionRecord(Self.record(Fixed.session(guild, 1), version: 1, worker: 9), due: nil))
        }
        #expect(try await store.boundSessions(of: WorkerID(9)).map(\.session.description) == ["4/1", "30/1", "200/1"])
    }

    @Test("due sessions come earliest first, limited, and leave when due is cleared", arguments: StateStoreAdapter.all)
    func dueSessions(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let dues: [(SessionKey, Double?)] = [
            (Fixed.session(1, 1), 30), (Fixed.session(1, 2), 10), (Fixed.session(2, 1), nil), (Fixed.session(3, 7), 20),
            (Fixed.session(4, 1), 50),
        ]
        for (session, due) in dues {
            #expect(try await store.saveSessionRecord(Self.record(session, version: 1), due: due.map(Fixed.at)))
        }
        #expect(try await store.dueSessions(at: Fixed.at(9.999), limit: 10).isEmpty)
        #expect(try await store.dueSessions(at: Fixed.at(10), limit: 10) == [Fixed.session(1, 2)])
        #expect(try await store.dueSessions(at: Fixed.at(40), limit: 10)
            == [Fixed.session(1, 2), Fixed.session(3, 7), Fixed.session(1, 1)])
        #expect(try await store.dueSessions(at: Fixed.at(40), limit: 2) == [Fixed.session(1, 2), Fixed.session(3, 7)])
        #expect(try await store.dueSessions(at: Fixed.at(40), limit: 0).isEmpty)

        // A tick handled: due cleared for one, moved later for another.
        #expect(try await store.saveSessionRecord(Self.record(Fixed.session(1, 2), version: 2), due: nil))
        #expect(try await store.saveSessionRecord(Self.record(Fixed.session(3, 7), version: 2), due: Fixed.at(45)))
        #expect(try await store.dueSessions(at: Fixed.at(40), limit: 10) == [Fixed.session(1, 1)])
        #expect(try await store.dueSessions(at: Fixed.at(100), limit: 10)
            == [Fixed.session(1, 1), Fixed.session(3, 7), Fixed.session(4, 1)])
        // A refused save does not move the due time; a delete removes it.
        #expect(try await store.saveSessionRecord(Self.record(Fixed.session(4, 1), version: 1), due: Fixed.at(1)) == false)
        #expect(try await store.deleteSessionRecord(Fixed.session(1, 1), version: 1))
        #expect(try await store.dueSessions(at: Fixed.at(100), limit: 10) == [Fixed.session(3, 7), Fixed.session(4, 1)])
    }

    @Test("a rich record round-trips exactly", arguments: StateStoreAdapter.all)
    func richRecord(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let record = Self.richRecord()
        #expect(try await fixture.store.saveSessionRecord(record, due: Fixed.at(90)))
        let read = try #require(try await fixture.store.sessionRecord(record.session))
        #expect(read == record)
        #expect(read.queue.map(\.id) == record.queue.map(\.id), "queue order")
        #expect(try await fixture.reopen().sessionRecord(record.session) == record)
        // The next version over it, with the big queue, still saves.
        var next = read
        next.version += 1
        next.queue.removeFirst()
        #expect(try await fixture.store.saveSessionRecord(next, due: nil))
        #expect(try await fixture.store.sessionRecord(record.session) == next)
    }

    @Test("an unreadable stored record is a corrupt error, not a crash", arguments: StateStoreAdapter.all)
    func corruptRecord(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let session = Fixed.session(1, 10)
        let other = Fixed.session(1, 11)
        #expect(try await fixture.store.saveSessionRecord(Self.record(session, version: 1, worker: 4), due: nil))
        #expect(try await fixture.store.saveSessionRecord(Self.record(other, version: 1, worker: 5), due: nil))
        for bytes in [Array("{\"f\":1,\"v\":".utf8), [0xFF, 0x00, 0x7B], Array("{}".utf8)] {
            try await fixture.overwriteSessionRecord(session, bytes)
            do {
                _ = try await fixture.store.sessionRecord(session)
                Issue.record("a corrupt record was read")
            } catch let error as StateStoreError {
                #expect(error.code == .corrupt)
                #expect(error.description.contains("state store corrupt"))
            }
        }
        // A record stored under another session's key is refused the same way.
        let misplaced = try JSONEncoder().encode(Self.record(other, version: 1))
        try await fixture.overwriteSessionRecord(session, Array(misplaced))
        await #expect(throws: StateStoreError.self) { try await fixture.store.sessionRecord(session) }
        // The other session and the indexes are unaffected.
        #expect(try await fixture.store.sessionRecord(other) == Self.record(other, version: 1, worker: 5))
        #expect(try await fixture.store.boundSessions(in: GuildID(1)).map(\.worker) == [WorkerID(4), WorkerID(5)])
    }

    /// Every field set, with a 500-entry queue.
    static func richRecord() -> SessionRecord {
        let session = Fixed.session(123_456_789_012_345_678, 987_654_321_098_765_432)
        var record = SessionRecord(session: session, now: Fixed.t0, volume: 65)
        record.version = 1
        record.queue = (0..<500).map { n in
            var entry = Fixed.entry(n, requester: UInt64(1_000 + n % 7))
            entry.track.uri = n % 2 == 0 ? "https://example.test/t/\(n)?a=1&b=\"q\"" : nil
            entry.track.artworkURL = n % 3 == 0 ? "https://img.example.test/\(n).jpg" : nil
            entry.track.sourceName = ["youtube", "soundcloud", "http"][n % 3]
            entry.track.isStream = n % 50 == 0
            entry.track.title = n % 10 == 0 ? "Tïtle ✓ \(n) — “quoted” \\ / 🎵" : entry.track.title
            entry.addedAt = Fixed.at(Double(n) * 1.5)
            return entry
        }
        record.history = (500..<520).map { Fixed.entry($0) }
        let current = Fixed.entry(999, requester: 5)
        record.nowPlaying = NowPlaying(entry: current, positionMs: 123_456, paused: true, updatedAt: Fixed.at(77.125))
        record.binding = SessionBinding(worker: WorkerID(42), boundAt: Fixed.at(3), voice: .connected,
                                        awaySince: Fixed.at(70.5), playFailures: 2)
        record.loop = .queue
        record.autoplay = true
        record.filter = "nightcore"
        record.stay = true
        record.textChannel = ChannelID(555_000_111)
        record.locale = DiscordLocale.german
        record.boardMessage = MessageID(444_333_222_111)
        record.counter = 9_876
        record.idleSince = nil
        record.aloneSince = Fixed.at(71)
        record.autoplayAsked = true
        record.pending = [
            PendingJob(id: SessionJobID("\(session)#9875"), worker: WorkerID(42),
                       job: .play(current, positionMs: 123_456, paused: true, volume: 65), deadline: Fixed.at(80),
                       held: true, waiting: WaitingCommand(command: CommandID(31), done: .resumed)),
            PendingJob(id: SessionJobID("\(session)#9876"), worker: WorkerID(42), job: .seek(30_000),
                       deadline: Fixed.at(81), held: false,
                       waiting: WaitingCommand(command: CommandID(32), done: .seeked(positionMs: 30_000))),
            PendingJob(id: SessionJobID("\(session)#9877"), worker: WorkerID(42), job: .filter(nil),
                       deadline: Fixed.at(82), held: false, waiting: nil),
            PendingJob(id: SessionJobID("\(session)#9878"), worker: WorkerID(42), job: .leave(.alone),
                       deadline: Fixed.at(83), held: true,
                       waiting: WaitingCommand(command: CommandID(33),
                                               done: .queued(title: "Tïtle", lengthMs: nil, position: 501))),
        ]
        return record
    }
}
