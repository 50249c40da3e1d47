import AnankorCore
import AnankorEmbedded
@testable import AnankorWorker
import Foundation
import Logging
import Synchronization
import Testing

/// A bus that can be made unreachable, around the in-process one.
private final class FlakyBus: JobBus {
    let inner = InProcessJobBus()
    let down = Mutex(false)
    var policy: JobBusPolicy { inner.policy }

    func append(_ body: Data, to stream: BusStream) async throws -> BusMessageID {
        if down.withLock({ $0 }) { throw JobBusError(code: .unavailable, message: "redis is down") }
        return try await inner.append(body, to: stream)
    }

    func receive(from stream: BusStream, as consumer: ConsumerName, limit: Int, waitingUpTo: Duration)
        async throws -> [RawDelivery]
    {
        try await inner.receive(from: stream, as: consumer, limit: limit, waitingUpTo: waitingUpTo)
    }

    func acknowledge(_ receipt: DeliveryReceipt) async throws { try await inner.acknowledge(receipt) }
    func deadLetter(_ delivery: RawDelivery, reason: String) async throws { try await inner.deadLetter(delivery, reason: reason) }
    func deadLetters(in stream: BusStream, limit: Int) async throws -> [DeadLetter] {
        try await inner.deadLetters(in: stream, limit: limit)
    }
    func pendingCounts(in stream: BusStream) async throws -> [ConsumerName: Int] { try await inner.pendingCounts(in: stream) }
    func retireConsumer(_ consumer: ConsumerName, from stream: BusStream) async throws -> Bool {
        try await inner.retireConsumer(consumer, from: stream)
    }
}

@Suite("Worker: events kept through a bus outage")
struct EventBacklogTests {
    static let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))

    static func ended(_ entry: QueueEntryID) -> WorkerEvent {
        .trackEnd(TrackEndEvent(session: session, entry: entry, reason: .finished))
    }

    @Test("events published while the bus is down arrive in order once it answers; none is lost")
    func keptInOrder() async throws {
        let bus = FlakyBus()
        let publisher = EventPublisher(bus: bus, now: { Date() }, logger: Logger(label: "test"))
        let entries = (0..<5).map { _ in QueueEntryID() }
        await publisher.publish(Self.ended(entries[0]))
        bus.down.withLock { $0 = true }
        for entry in entries[1...] { await publisher.publish(Self.ended(entry)) }
        #expect(publisher.backlogCount == 4, "kept, not given up after a few tries")
        bus.down.withLock { $0 = false }
        await publisher.deliverBacklog()
        #expect(publisher.backlogCount == 0)
        let received = try await bus.receiveEvents(as: ConsumerName("master"), limit: 10, waitingUpTo: .zero)
        let ends = received.compactMap { delivery -> QueueEntryID? in
            if case .trackEnd(let end) = delivery.envelope.body { return end.entry }
            return nil
        }
        #expect(ends == entries, "every trackEnd, in the order the worker saw them")
    }

    @Test("a full backlog drops position reports before anything else")
    func boundedDropsPositionsFirst() async throws {
        let bus = FlakyBus()
        bus.down.withLock { $0 = true }
        let publisher = EventPublisher(bus: bus, now: { Date() }, logger: Logger(label: "test"), capacity: 3)
        let first = QueueEntryID()
        let second = QueueEntryID()
        await publisher.publish(Self.ended(first))
        await publisher.publish(.playerUpdate(PlayerUpdateEvent(session: Self.session, positionMs: 1000, connected: true, pingMs: 1, timeMs: 1)))
        await publisher.publish(Self.ended(second))
        await publisher.publish(.playerUpdate(PlayerUpdateEvent(session: Self.session, positionMs: 2000, connected: true, pingMs: 1, timeMs: 2)))
        #expect(publisher.backlogCount == 3)
        bus.down.withLock { $0 = false }
        await publisher.deliverBacklog()
        let kinds = try await bus.receiveEvents(as: ConsumerName("master"), limit: 10, waitingUpTo: .zero)
            .map(\.envelope.kind)
        #expect(kinds == [TrackEndEvent.kind, TrackEndEvent.kind, PlayerUpdateEvent.kind])
    }
}
