import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: bindings")
struct StateStoreBindingContractTests {
    @Test("binding a free session, then the same session again returns the existing binding", arguments: StateStoreAdapter.all)
    func bindThenExisting(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let session = Fixed.session(1, 10)
        let first = try await store.bind(session, to: WorkerID(100), cap: 5, now: Fixed.t0)
        #expect(first == .bound(Binding(session: session, worker: WorkerID(100), boundAt: Fixed.t0)))
        let again = try await store.bind(session, to: WorkerID(200), cap: 5, now: Fixed.at(1))
        #expect(again == .existing(Binding(session: session, worker: WorkerID(100), boundAt: Fixed.t0)))
        #expect(try await store.binding(for: session)?.worker == WorkerID(100))
    }

    @Test("a worker plays in one channel per guild but may play in other guilds", arguments: StateStoreAdapter.all)
    func oneChannelPerWorkerPerGuild(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        _ = try await store.bind(Fixed.session(1, 10), to: WorkerID(100), cap: 5, now: Fixed.t0)
        let refused = try await store.bind(Fixed.session(1, 11), to: WorkerID(100), cap: 5, now: Fixed.t0)
        #expect(refused == .refused(.workerBusy(Binding(session: Fixed.session(1, 10), worker: WorkerID(100), boundAt: Fixed.t0))))
        let otherGuild = try await store.bind(Fixed.session(2, 20), to: WorkerID(100), cap: 5, now: Fixed.t0)
        #expect(otherGuild.binding?.worker == WorkerID(100))
        #expect(try await store.bindings(of: WorkerID(100)).map(\.session) == [Fixed.session(1, 10), Fixed.session(2, 20)])
    }

    @Test("a full guild refuses and names the busy channels", arguments: StateStoreAdapter.all)
    func capRefusal(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        for index in 0..<2 {
            _ = try await store.bind(Fixed.session(1, 10 + UInt64(index)), to: WorkerID(100 + UInt64(index)), cap: 2, now: Fixed.t0)
        }
        let outcome = try await store.bind(Fixed.session(1, 99), to: WorkerID(300), cap: 2, now: Fixed.t0)
        guard case .refused(.guildFull(let cap, let busy)) = outcome else {
            Issue.record("expected guildFull, got \(outcome)")
            return
        }
        #expect(cap == 2)
        #expect(busy.map(\.session.channel) == [ChannelID(10), ChannelID(11)])
    }

    @Test("unbind frees the slot; a guarded unbind leaves another worker's binding alone", arguments: StateStoreAdapter.all)
    func unbind(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let session = Fixed.session(1, 10)
        _ = try await store.bind(session, to: WorkerID(100), cap: 1, now: Fixed.t0)
        #expect(try await store.unbind(session, ifBoundTo: WorkerID(999)) == nil)
        #expect(try await store.binding(for: session) != nil)
        #expect(try await store.unbind(session, ifBoundTo: WorkerID(100))?.worker == WorkerID(100))
        #expect(try await store.bindings(in: GuildID(1)).isEmpty)
        #expect(try await store.bindings(of: WorkerID(100)).isEmpty)
        let rebound = try await store.bind(Fixed.session(1, 11), to: WorkerID(100), cap: 1, now: Fixed.t0)
        #expect(rebound.binding != nil)
    }

    @Test("many tasks binding at once never exceed the cap nor double-bind a worker", arguments: StateStoreAdapter.all)
    func concurrentBinds(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        let cap = 3
        // 12 channels × 6 workers, every pair tried concurrently (72 attempts).
        let outcomes = try await withThrowingTaskGroup(of: BindOutcome.self) { group in
            for channel in 0..<12 {
                for worker in 0..<6 {
                    group.addTask {
                        try await store.bind(Fixed.session(7, 100 + UInt64(channel)), to: WorkerID(500 + UInt64(worker)),
                                             cap: cap, now: Fixed.t0)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let bindings = try await store.bindings(in: GuildID(7))
        #expect(bindings.count == cap)
        #expect(Set(bindings.map(\.worker)).count == bindings.count, "a worker was bound twice in one guild")
        let newlyBound = outcomes.compactMap { if case .bound(let binding) = $0 { binding } else { nil } }
        #expect(Set(newlyBound) == Set(bindings), "every reported bind is one that holds")
    }

    @Test("bindings survive reopening the store", arguments: StateStoreAdapter.all)
    func survivesRestart(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        _ = try await fixture.store.bind(Fixed.session(1, 10), to: WorkerID(100), cap: 5, now: Fixed.t0)
        try await fixture.store.enqueue([Fixed.entry(1)], in: Fixed.session(1, 10), at: .end)
        let reopened = try await fixture.reopen()
        #expect(try await reopened.binding(for: Fixed.session(1, 10))?.worker == WorkerID(100))
        #expect(try await reopened.queuePage(Fixed.session(1, 10), offset: 0, limit: 10).entries == [Fixed.entry(1)])
    }
}
