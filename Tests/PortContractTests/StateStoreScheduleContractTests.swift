import AnankorCore
import Foundation
import Testing

@Suite("StateStore contract: durable schedule")
struct StateStoreScheduleContractTests {
    let claimant = LeaseHolder("master-a")

    func item(_ id: String, due seconds: Double, group: String? = "lobby-1") -> ScheduleItem {
        ScheduleItem(id: ScheduleItemID(id), dueAt: Fixed.at(seconds), group: group, payload: Data(id.utf8))
    }

    @Test("due items are claimed earliest first, once, and completed", arguments: StateStoreAdapter.all)
    func claimAndComplete(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        #expect(try await store.schedule(item("b", due: 20)))
        #expect(try await store.schedule(item("a", due: 10)))
        #expect(try await store.schedule(item("c", due: 99)))
        #expect(try await !store.schedule(item("a", due: 50)), "an existing id is kept as it was")
        #expect(try await store.claimDue(now: Fixed.at(5), limit: 10, claimant: claimant, lease: .seconds(30)).isEmpty)
        let claims = try await store.claimDue(now: Fixed.at(25), limit: 10, claimant: claimant, lease: .seconds(30))
        #expect(claims.map(\.item) == [item("a", due: 10), item("b", due: 20)])
        #expect(claims.allSatisfy { $0.attempt == 1 && $0.leaseUntil == Fixed.at(55) })
        #expect(try await store.claimDue(now: Fixed.at(26), limit: 10, claimant: claimant, lease: .seconds(30)).isEmpty)
        for claim in claims { #expect(try await store.complete(claim)) }
        #expect(try await store.scheduledItem(ScheduleItemID("a")) == nil)
        #expect(try await store.scheduledItem(ScheduleItemID("c")) == item("c", due: 99))
    }

    @Test("a crashed claimer's item is retried after its lease, and its late completion is refused", arguments: StateStoreAdapter.all)
    func retryAfterLease(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.schedule(item("r", due: 0))
        let lost = try #require(try await store.claimDue(now: Fixed.at(1), limit: 1, claimant: claimant, lease: .seconds(10)).first)
        let retried = try #require(
            try await store.claimDue(now: Fixed.at(11), limit: 1, claimant: LeaseHolder("master-b"), lease: .seconds(10)).first)
        #expect(retried.attempt == 2 && retried.token > lost.token)
        #expect(try await !store.complete(lost))
        #expect(try await store.complete(retried))
        #expect(try await store.claimDue(now: Fixed.at(100), limit: 5, claimant: claimant, lease: .seconds(10)).isEmpty)
    }

    @Test("cancel one item or a whole group", arguments: StateStoreAdapter.all)
    func cancel(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        try await store.schedule(item("x", due: 1, group: "lobby-1"))
        try await store.schedule(item("y", due: 2, group: "lobby-1"))
        try await store.schedule(item("z", due: 3, group: "lobby-2"))
        #expect(try await store.cancelScheduled(ScheduleItemID("z")))
        #expect(try await !store.cancelScheduled(ScheduleItemID("z")))
        #expect(try await store.cancelScheduled(group: "lobby-1") == 2)
        #expect(try await store.claimDue(now: Fixed.at(10), limit: 10, claimant: claimant, lease: .seconds(5)).isEmpty)
    }

    @Test("concurrent claimers claim every due item exactly once", arguments: StateStoreAdapter.all)
    func concurrentClaimers(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        let store = fixture.store
        for index in 0..<60 { try await store.schedule(item("i\(index)", due: Double(index % 7))) }
        let claimed = try await withThrowingTaskGroup(of: [ScheduleItemID].self) { group in
            for claimer in 0..<6 {
                group.addTask {
                    var mine: [ScheduleItemID] = []
                    while true {
                        let batch = try await store.claimDue(now: Fixed.at(10), limit: 4, claimant: LeaseHolder("c\(claimer)"),
                                                             lease: .seconds(60))
                        if batch.isEmpty { return mine }
                        for claim in batch {
                            #expect(try await store.complete(claim))
                            mine.append(claim.item.id)
                        }
                    }
                }
            }
            return try await group.reduce(into: [ScheduleItemID]()) { $0 += $1 }
        }
        #expect(claimed.count == 60)
        #expect(Set(claimed).count == 60)
    }

    @Test("the schedule survives reopening the store", arguments: StateStoreAdapter.all)
    func survivesRestart(adapter: StateStoreAdapter) async throws {
        let fixture = try await adapter.open()
        defer { fixture.release() }
        try await fixture.store.schedule(item("keep", due: 5))
        let reopened = try await fixture.reopen()
        let claims = try await reopened.claimDue(now: Fixed.at(6), limit: 5, claimant: claimant, lease: .seconds(5))
        #expect(claims.map(\.item.id) == [ScheduleItemID("keep")])
    }
}
