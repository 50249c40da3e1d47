import AnankorCore
import Foundation

/// The embedded `JobBus`: master and workers in one process. Same semantics as the Redis adapter
/// (pending until acked, reclaim after `policy.reclaimIdle`, dead-letter after
/// `policy.maxDeliveries`), so code tested on one behaves the same on the other. Messages live in
/// memory: a process restart loses them, which is fine because master and workers restart together.
public actor InProcessJobBus<C: Clock>: JobBus where C.Duration == Duration {
    public nonisolated let policy: JobBusPolicy
    private let clock: C
    private let wallClock: @Sendable () -> Date
    private var streams: [BusStream: StreamState] = [:]
    private var waiters: [BusStream: [UUID: CheckedContinuation<Void, Never>]] = [:]

    /// - Parameters:
    ///   - clock: measures idle time for reclaiming.
    ///   - wallClock: stamps dead letters.
    public init(policy: JobBusPolicy = JobBusPolicy(), clock: C, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.clock = clock
        self.wallClock = wallClock
    }

    public func append(_ body: Data, to stream: BusStream) async throws -> BusMessageID {
        let id = streams[stream, default: StreamState()].append(.bytes(body))
        wakeAll(stream)
        return BusMessageID(String(id))
    }

    /// Master and workers share this process: envelopes travel as values, never encoded unless
    /// they end up as dead letters.
    public func append(carrying envelope: CarriedEnvelope, to stream: BusStream) async throws -> BusMessageID {
        let id = streams[stream, default: StreamState()].append(.carried(envelope))
        wakeAll(stream)
        return BusMessageID(String(id))
    }

    public func receive(from stream: BusStream, as consumer: ConsumerName, limit: Int, waitingUpTo wait: Duration)
        async throws -> [RawDelivery]
    {
        let deadline = clock.now.advanced(by: max(.zero, wait))
        while true {
            try Task.checkCancellation()
            let batch = take(from: stream, as: consumer, limit: max(1, limit))
            if !batch.isEmpty || clock.now >= deadline { return batch }
            // Wake on a new message, on the next reclaim becoming due, or at the deadline.
            var until = deadline
            if let reclaim = streams[stream]?.oldestPendingDelivery?.advanced(by: policy.reclaimIdle), reclaim < until {
                until = reclaim
            }
            await waitForAppend(to: stream, until: until)
        }
    }

    public func acknowledge(_ receipt: DeliveryReceipt) async throws {
        guard let id = UInt64(receipt.id.rawValue) else { return }
        _ = streams[receipt.stream]?.settle(id)
    }

    public func deadLetter(_ delivery: RawDelivery, reason: String) async throws {
        guard let id = UInt64(delivery.receipt.id.rawValue),
            let pending = streams[delivery.receipt.stream]?.settle(id)
        else { return }
        record(DeadLetter(id: delivery.receipt.id, body: pending.message.bytes, reason: reason,
                          deliveries: pending.count, at: wallClock()), in: delivery.receipt.stream)
    }

    public func deadLetters(in stream: BusStream, limit: Int) async throws -> [DeadLetter] {
        Array((streams[stream]?.deadLetters ?? []).reversed().prefix(max(0, limit)))
    }

    public func pendingCounts(in stream: BusStream) async throws -> [ConsumerName: Int] {
        guard let state = streams[stream] else { return [:] }
        var counts: [ConsumerName: Int] = [:]
        for consumer in state.consumers { counts[consumer] = 0 }
        for pending in state.pending.values { counts[pending.consumer, default: 0] += 1 }
        return counts
    }

    public func retireConsumer(_ consumer: ConsumerName, from stream: BusStream) async throws -> Bool {
        guard var state = streams[stream], state.consumers.contains(consumer) else { return false }
        guard !state.pending.values.contains(where: { $0.consumer == consumer }) else { return false }
        state.consumers.remove(consumer)
        streams[stream] = state
        return true
    }

    // MARK: - Internals

    private func take(from stream: BusStream, as consumer: ConsumerName, limit: Int) -> [RawDelivery] {
        var state = streams[stream, default: StreamState()]
        state.consumers.insert(consumer)
        let now = clock.now
        var batch: [RawDelivery] = []
        var exhausted: [DeadLetter] = []
        // Reclaim first, oldest message first, as XAUTOCLAIM does.
        for id in state.pending.keys.sorted() where batch.count < limit {
            guard var pending = state.pending[id], pending.deliveredAt.advanced(by: policy.reclaimIdle) <= now else {
                continue
            }
            if pending.count >= policy.maxDeliveries {
                state.pending[id] = nil
                exhausted.append(DeadLetter(id: BusMessageID(String(id)), body: pending.message.bytes,
                                            reason: DeadLetter.exhaustedReason(deliveries: pending.count),
                                            deliveries: pending.count, at: wallClock()))
                continue
            }
            pending.consumer = consumer
            pending.deliveredAt = now
            pending.count += 1
            state.pending[id] = pending
            batch.append(delivery(id, pending, stream))
        }
        while batch.count < limit, let (id, message) = state.popUndelivered() {
            let pending = Pending(message: message, consumer: consumer, deliveredAt: now, count: 1)
            state.pending[id] = pending
            batch.append(delivery(id, pending, stream))
        }
        streams[stream] = state
        for letter in exhausted { record(letter, in: stream) }
        return batch
    }

    private func delivery(_ id: UInt64, _ pending: Pending, _ stream: BusStream) -> RawDelivery {
        let receipt = DeliveryReceipt(stream: stream, id: BusMessageID(String(id)), consumer: pending.consumer)
        switch pending.message {
        case .bytes(let body): return RawDelivery(receipt: receipt, body: body, deliveryCount: pending.count)
        case .carried(let envelope): return RawDelivery(receipt: receipt, carried: envelope, deliveryCount: pending.count)
        }
    }

    private func record(_ letter: DeadLetter, in stream: BusStream) {
        streams[stream, default: StreamState()].deadLetters.append(letter)
        let overflow = (streams[stream]?.deadLetters.count ?? 0) - policy.maxDeadLetters
        if overflow > 0 { streams[stream]?.deadLetters.removeFirst(overflow) }
    }

    private func waitForAppend(to stream: BusStream, until instant: C.Instant) async {
        let token = UUID()
        await withTaskGroup(of: Void.self) { group in
            // The timer also fires when the receiving task is cancelled (its sleep throws).
            group.addTask { [clock] in
                try? await clock.sleep(until: instant, tolerance: nil)
                await self.wake(stream, token)
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    guard !Task.isCancelled else { return continuation.resume() }
                    waiters[stream, default: [:]][token] = continuation
                }
            } onCancel: {
                Task { await self.wake(stream, token) }
            }
            group.cancelAll()
        }
    }

    /// Receivers waiting for a message now (for tests).
    var waitingReceivers: Int { waiters.values.reduce(0) { $0 + $1.count } }

    private func wake(_ stream: BusStream, _ token: UUID) {
        waiters[stream]?.removeValue(forKey: token)?.resume()
    }

    private func wakeAll(_ stream: BusStream) {
        guard let pending = waiters.removeValue(forKey: stream) else { return }
        for continuation in pending.values { continuation.resume() }
    }

    private enum Message {
        case bytes(Data)
        case carried(CarriedEnvelope)

        var bytes: Data {
            switch self {
            case .bytes(let body): body
            case .carried(let envelope): envelope.bytes
            }
        }
    }

    private struct Pending {
        var message: Message
        var consumer: ConsumerName
        var deliveredAt: C.Instant
        var count: Int
    }

    private struct StreamState {
        var nextID: UInt64 = 1
        var undelivered: [(UInt64, Message)] = []
        var undeliveredHead = 0
        var pending: [UInt64: Pending] = [:]
        var consumers: Set<ConsumerName> = []
        var deadLetters: [DeadLetter] = []

        mutating func append(_ message: Message) -> UInt64 {
            defer { nextID += 1 }
            undelivered.append((nextID, message))
            return nextID
        }

        mutating func popUndelivered() -> (UInt64, Message)? {
            guard undeliveredHead < undelivered.count else { return nil }
            let next = undelivered[undeliveredHead]
            undeliveredHead += 1
            // Compact now and then so the array does not grow forever.
            if undeliveredHead > 1024 && undeliveredHead * 2 > undelivered.count {
                undelivered.removeFirst(undeliveredHead)
                undeliveredHead = 0
            }
            return next
        }

        /// Removes a pending message (acked or dead-lettered); nil when it was not pending.
        mutating func settle(_ id: UInt64) -> Pending? { pending.removeValue(forKey: id) }

        var oldestPendingDelivery: C.Instant? { pending.values.map(\.deliveredAt).min() }
    }
}

extension InProcessJobBus where C == ContinuousClock {
    public init(policy: JobBusPolicy = JobBusPolicy()) {
        self.init(policy: policy, clock: ContinuousClock())
    }
}
