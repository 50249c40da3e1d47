import AnankorCore
import Foundation
import Synchronization
import Testing

@Suite("JobBus contract")
struct JobBusContractTests {
    static let fast = JobBusPolicy(reclaimIdle: .milliseconds(150), maxDeliveries: 3)
    static let patient = JobBusPolicy(reclaimIdle: .seconds(60), maxDeliveries: 3)
    let worker = BusFixtures.worker

    @Test("a job reaches its worker intact, once, and stays pending until acked", arguments: JobBusAdapter.all)
    func sendReceiveAck(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        let job = JobEnvelope(body: .playbackPlay(PlaybackPlayJob(session: Fixed.session(1, 10), entry: Fixed.entry(1),
                                                                   startPositionMs: 5_000)),
                              trace: BusFixtures.trace, createdAt: Fixed.t0)
        try await bus.send(job, to: worker)
        let received = try await bus.receiveJobs(for: worker, as: "w-a", limit: 10, waitingUpTo: .seconds(5))
        #expect(received.map(\.envelope) == [job])
        #expect(received.first?.deliveryCount == 1 && received.first?.isRedelivery == false)
        #expect(try await bus.pendingCounts(in: .jobs(worker))["w-a"] == 1)
        try await bus.acknowledge(try #require(received.first))
        #expect(try await bus.pendingCounts(in: .jobs(worker))["w-a"] == 0)
        #expect(try await bus.receiveJobs(for: worker, as: "w-a", limit: 10, waitingUpTo: .zero).isEmpty)
    }

    @Test("each worker consumes only its own jobs", arguments: JobBusAdapter.all)
    func perWorkerStreams(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        try await bus.send(BusFixtures.job(1), to: WorkerID(1))
        try await bus.send(BusFixtures.job(2), to: WorkerID(2))
        let first = try await bus.receiveJobs(for: WorkerID(1), as: "c", limit: 10, waitingUpTo: .seconds(5))
        let second = try await bus.receiveJobs(for: WorkerID(2), as: "c", limit: 10, waitingUpTo: .seconds(5))
        #expect(first.map(\.envelope) == [BusFixtures.job(1)])
        #expect(second.map(\.envelope) == [BusFixtures.job(2)])
    }

    @Test("a waiting receiver wakes when a job arrives", arguments: JobBusAdapter.all)
    func waitingReceiverWakes(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        async let received = bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(10))
        // The receive may start before or after the send; either way it returns the job.
        try await bus.send(BusFixtures.job(7), to: worker)
        #expect(try await received.map(\.envelope) == [BusFixtures.job(7)])
    }

    @Test("masters share the event stream: every event goes to exactly one master", arguments: JobBusAdapter.all)
    func eventsSharedByMasters(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        for n in 0..<20 { try await bus.publish(BusFixtures.event(n)) }
        let first = try await bus.receiveEvents(as: "master-a", limit: 7, waitingUpTo: .seconds(5))
        let rest = try await BusFixtures.collect(13) {
            try await bus.receiveEvents(as: "master-b", limit: 20, waitingUpTo: .seconds(1))
        }
        #expect(first.count == 7)
        let ids = (first + rest).map(\.envelope.id)
        #expect(ids.count == 20 && Set(ids).count == 20)
    }

    @Test("a killed consumer's jobs are redelivered to another with a raised delivery count", arguments: JobBusAdapter.all)
    func redeliveryAfterDeath(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.fast)
        defer { fixture.release() }
        let bus = fixture.bus
        for n in 0..<3 { try await bus.send(BusFixtures.job(n), to: worker) }
        let lost = try await bus.receiveJobs(for: worker, as: "w-dead", limit: 10, waitingUpTo: .seconds(5))
        #expect(lost.count == 3)
        // w-dead never acks. Once the idle time passes, w-live gets the same jobs.
        let redelivered = try await BusFixtures.collect(3) {
            try await bus.receiveJobs(for: worker, as: "w-live", limit: 10, waitingUpTo: .seconds(2))
        }
        #expect(Set(redelivered.map(\.envelope.id)) == Set(lost.map(\.envelope.id)))
        #expect(redelivered.allSatisfy { $0.deliveryCount == 2 && $0.isRedelivery })
        for delivery in redelivered { try await bus.acknowledge(delivery) }
        #expect(try await bus.pendingCounts(in: .jobs(worker)).values.reduce(0, +) == 0)
        #expect(try await bus.deadLetters(in: .jobs(worker), limit: 10).isEmpty)
    }

    @Test("a job never acked is dead-lettered after the maximum deliveries, with its reason", arguments: JobBusAdapter.all)
    func deadLetterAfterMaxDeliveries(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.fast)
        defer { fixture.release() }
        let bus = fixture.bus
        try await bus.send(BusFixtures.job(1), to: worker)
        var counts: [Int] = []
        let clock = ContinuousClock()
        // Generous: it ends as soon as the letter is there; a loaded machine may take a while.
        let deadline = clock.now.advanced(by: .seconds(60))
        while clock.now < deadline, try await bus.deadLetters(in: .jobs(worker), limit: 1).isEmpty {
            counts += try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .milliseconds(500))
                .map(\.deliveryCount)
        }
        #expect(counts == [1, 2, 3])
        let letters = try await bus.deadLetters(in: .jobs(worker), limit: 10)
        #expect(letters.count == 1)
        #expect(letters.first?.reason == DeadLetter.exhaustedReason(deliveries: 3))
        #expect(letters.first.map { try? JobEnvelope.decode($0.body) } == BusFixtures.job(1))
        #expect(try await bus.pendingCounts(in: .jobs(worker)).values.reduce(0, +) == 0)
    }

    @Test("unknown kinds, unknown versions and garbage are dead-lettered; the consumer carries on", arguments: JobBusAdapter.all)
    func undecodableDeadLettered(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        let id = UUID().uuidString
        try await bus.append(Data(#"{"id":"\#(id)","kind":"music.playback.play","v":99,"createdAt":0,"payload":{}}"#.utf8),
                             to: .jobs(worker))
        try await bus.append(Data(#"{"id":"\#(id)","kind":"music.teleport","v":1,"createdAt":0,"payload":{}}"#.utf8),
                             to: .jobs(worker))
        try await bus.append(Data([0xff, 0x00, 0x7b]), to: .jobs(worker))
        try await bus.send(BusFixtures.job(4), to: worker)
        let received = try await BusFixtures.collect(1) {
            try await bus.receiveJobs(for: worker, as: "w-a", limit: 10, waitingUpTo: .seconds(1))
        }
        #expect(received.map(\.envelope) == [BusFixtures.job(4)])
        let reasons = try await bus.deadLetters(in: .jobs(worker), limit: 10).map(\.reason)
        #expect(reasons.count == 3)
        #expect(reasons.contains { $0.hasPrefix("malformed:") })
        #expect(reasons.contains { $0.hasPrefix("unknownKind:") && $0.contains("music.teleport") })
        #expect(reasons.contains { $0.hasPrefix("unsupportedVersion:") && $0.contains("99") })
    }

    @Test("a handler can reject a poison job into the dead-letter list", arguments: JobBusAdapter.all)
    func rejectPoison(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        try await bus.send(BusFixtures.job(1), to: worker)
        let delivery = try #require(try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(5)).first)
        try await bus.reject(delivery, reason: "guild no longer exists")
        let letter = try #require(try await bus.deadLetters(in: .jobs(worker), limit: 10).first)
        #expect(letter.reason == "guild no longer exists" && letter.deliveries == 1)
        #expect(try await bus.pendingCounts(in: .jobs(worker))["w-a"] == 0)
    }

    @Test("a consumer is not retired while it holds pending jobs", arguments: JobBusAdapter.all)
    func retireOnlyWhenIdle(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        try await bus.send(BusFixtures.job(1), to: worker)
        let delivery = try #require(try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(5)).first)
        #expect(try await !bus.retireConsumer("w-a", from: .jobs(worker)))
        try await bus.acknowledge(delivery)
        #expect(try await bus.retireConsumer("w-a", from: .jobs(worker)))
        #expect(try await bus.pendingCounts(in: .jobs(worker))["w-a"] == nil)
    }

    @Test("two consumers racing never both process one job", arguments: JobBusAdapter.all)
    func competingConsumers(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        let total = 200
        let worker = self.worker
        async let producing: Void = {
            for n in 0..<total { try await bus.send(BusFixtures.job(n), to: worker) }
        }()
        // Both consume until every job went through one of them (a stalled producer on a loaded
        // machine is waited for), or the generous deadline passes.
        let taken = TakenCount()
        let processed = try await withThrowingTaskGroup(of: [EnvelopeID].self) { group in
            for consumer in ["w-a", "w-b"] {
                group.addTask {
                    var mine: [EnvelopeID] = []
                    let clock = ContinuousClock()
                    let deadline = clock.now.advanced(by: .seconds(60))
                    while clock.now < deadline && taken.value < total {
                        let batch = try await bus.receiveJobs(for: worker, as: ConsumerName(consumer), limit: 8,
                                                              waitingUpTo: .milliseconds(300))
                        for delivery in batch {
                            mine.append(delivery.envelope.id)
                            taken.increment()
                            try await bus.acknowledge(delivery)
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [EnvelopeID]()) { $0 += $1 }
        }
        try await producing
        #expect(processed.count == total)
        #expect(Set(processed).count == total)
    }

    @Test("the consume loop acknowledges handled jobs, dead-letters rejected ones, and stops when cancelled",
          arguments: JobBusAdapter.all)
    func consumeLoop(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        let worker = self.worker
        for n in 0..<3 { try await bus.send(BusFixtures.job(n), to: worker) }
        let (handled, signal) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await bus.consume(.jobs(worker), as: "w-loop", decoding: Job.self, batch: 2) { delivery in
                    guard case .voiceConnect(let job) = delivery.envelope.body else { return .reject("unexpected") }
                    signal.yield(1)
                    return job.session.channel == ChannelID(1) ? .reject("channel deleted") : .done
                }
            }
            var count = 0
            for await _ in handled {
                count += 1
                if count == 3 { break }
            }
            group.cancelAll()
        }
        #expect(try await bus.pendingCounts(in: .jobs(worker)).values.reduce(0, +) == 0)
        #expect(try await bus.deadLetters(in: .jobs(worker), limit: 10).map(\.reason) == ["channel deleted"])
    }

    @Test("a waiting receiver returns when its task is cancelled (shutdown)", arguments: JobBusAdapter.all)
    func cancelledReceiverReturns(adapter: JobBusAdapter) async throws {
        let fixture = try await adapter.open(Self.patient)
        defer { fixture.release() }
        let bus = fixture.bus
        let worker = self.worker
        let receiving = Task {
            try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(120))
        }
        receiving.cancel()
        let outcome = await receiving.result
        if case .success(let deliveries) = outcome { #expect(deliveries.isEmpty) }
        // Nothing was lost by the cancelled receive: the next job still arrives.
        try await bus.send(BusFixtures.job(3), to: worker)
        let next = try await bus.receiveJobs(for: worker, as: "w-a", limit: 1, waitingUpTo: .seconds(5))
        #expect(next.map(\.envelope) == [BusFixtures.job(3)])
    }
}

/// How many jobs racing consumers took, together.
private final class TakenCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func increment() { count.add(1, ordering: .relaxed) }
}
