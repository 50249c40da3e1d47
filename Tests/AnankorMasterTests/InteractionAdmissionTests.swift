@testable import AnankorMaster
import Synchronization
import Testing

/// The bound on interactions in hand: who works now, who waits for a turn, who is told the bot is
/// busy, and that turns go in arrival order and are never lost.
@Suite("Interaction admission")
struct InteractionAdmissionTests {
    @Test("up to the running limit work at once, then up to the waiting limit wait, then the rest are refused")
    func tickets() {
        let admission = InteractionAdmission(limits: AdmissionLimits(running: 2, waiting: 1))
        #expect(admission.arrive() == .run)
        #expect(admission.arrive() == .run)
        #expect(admission.arrive() == .wait)
        #expect(admission.arrive() == .refuse)
        #expect(admission.counts == (2, 1))
        admission.withdraw()
        #expect(admission.arrive() == .wait, "a withdrawn wait frees its place")
        admission.leave()
        admission.leave()
        #expect(admission.counts == (0, 1))
    }

    @Test("a turn freed while the waiting one was being acknowledged is taken at once")
    func turnFreedEarly() async {
        let admission = InteractionAdmission(limits: AdmissionLimits(running: 1, waiting: 4))
        #expect(admission.arrive() == .run)
        #expect(admission.arrive() == .wait)
        admission.leave()
        #expect(await admission.turn())
        #expect(admission.counts == (1, 0))
    }

    @Test("turns are handed over in arrival order, one per leave")
    func arrivalOrder() async throws {
        let admission = InteractionAdmission(limits: AdmissionLimits(running: 1, waiting: 8))
        #expect(admission.arrive() == .run)
        let order = ServedOrder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                #expect(admission.arrive() == .wait)
                group.addTask {
                    if await admission.turn() { order.append(index) }
                }
                // The next one queues only after this one did.
                try await waitUntil { admission.queued == index + 1 }
            }
            for served in 1...4 {
                admission.leave()
                try await waitUntil { order.all.count == served }
                #expect(admission.counts.waiting == 4 - served)
            }
            try await group.waitForAll()
        }
        #expect(order.all == [0, 1, 2, 3])
        #expect(admission.counts == (1, 0))
        admission.leave()
        #expect(admission.counts == (0, 0))
    }

    @Test("a waiting task cancelled gives up its place and gets no turn")
    func cancelledWaiter() async throws {
        let admission = InteractionAdmission(limits: AdmissionLimits(running: 1, waiting: 1))
        #expect(admission.arrive() == .run)
        #expect(admission.arrive() == .wait)
        let waiter = Task { await admission.turn() }
        try await waitUntil { admission.queued == 1 }
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(admission.counts == (1, 0))
        #expect(admission.arrive() == .wait, "its place is free again")
    }

    /// Lets the other tasks run until `condition` holds (state they change), a bounded number of
    /// times: no clock is involved, nothing here waits for time to pass.
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000_000 {
            if condition() { return }
            await Task.yield()
        }
        Issue.record("condition not met after a million yields")
    }
}

/// The order in which waiting tasks got their turn.
private final class ServedOrder: Sendable {
    private let served = Mutex<[Int]>([])
    func append(_ index: Int) { served.withLock { $0.append(index) } }
    var all: [Int] { served.withLock { $0 } }
}
