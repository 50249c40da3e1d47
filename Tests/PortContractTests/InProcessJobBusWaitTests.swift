import AnankorCore
@testable import AnankorEmbedded
import AnankorTesting
import Testing

/// The embedded bus's receive waits: a new message ends them at once, and so does cancellation
/// (a worker shutting down), whatever wait the receiver asked for.
@Suite("In-process bus: waiting receivers")
struct InProcessJobBusWaitTests {
    let worker = BusFixtures.worker

    @Test("a receiver waiting up to an hour gets a job the moment it is sent")
    func appendWakesTheReceiver() async throws {
        let bus = InProcessJobBus(policy: JobBusPolicy())
        let worker = self.worker
        try await withThrowingTaskGroup(of: [JobEnvelope].self) { group in
            group.addTask {
                try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(3600)).map(\.envelope)
            }
            #expect(await poll { await bus.waitingReceivers == 1 }, "the receiver never waited")
            try await bus.send(BusFixtures.job(1), to: worker)
            #expect(try await group.next() == [BusFixtures.job(1)])
            #expect(await bus.waitingReceivers == 0)
        }
    }

    @Test("a receiver waiting up to an hour returns as soon as its task is cancelled, and loses nothing")
    func cancellationEndsTheWait() async throws {
        let bus = InProcessJobBus(policy: JobBusPolicy())
        let worker = self.worker
        await withTaskGroup(of: Result<[JobEnvelope], any Error>.self) { group in
            group.addTask {
                do {
                    return .success(try await bus.receiveJobs(for: worker, as: "w-a", limit: 1,
                                                              waitingUpTo: .seconds(3600)).map(\.envelope))
                } catch {
                    return .failure(error)
                }
            }
            #expect(await poll { await bus.waitingReceivers == 1 }, "the receiver never waited")
            group.cancelAll()
            let outcome = await group.next()
            switch outcome {
            case .success(let received)?: #expect(received.isEmpty)
            case .failure(let error)?: #expect(error is CancellationError)
            case nil: Issue.record("the receiving task vanished")
            }
        }
        #expect(await bus.waitingReceivers == 0)
        try await bus.send(BusFixtures.job(2), to: worker)
        let next = try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(5))
        #expect(next.map(\.envelope) == [BusFixtures.job(2)])
    }
}
