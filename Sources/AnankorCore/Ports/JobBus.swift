import Foundation

/// Master→worker jobs and worker→master events (DESIGN §2).
///
/// Semantics every adapter honours (the contract suite checks them):
/// - each stream has one consumer group: a worker's job stream is read by the processes holding
///   that worker's token, the event stream by all masters sharing the work;
/// - at-least-once: a delivered message stays pending until acknowledged;
/// - a pending message idle for `policy.reclaimIdle` (its consumer died or is too slow) is handed to
///   the next consumer that receives, with its delivery count raised;
/// - a message that would be delivered more than `policy.maxDeliveries` times is moved to the
///   stream's dead-letter list with the reason instead;
/// - a consumer is never forgotten while it still has pending messages.
///
/// Adapters move opaque bytes; the typed `send`/`publish`/`receiveJobs`/`receiveEvents` in the
/// extension below encode and decode envelopes and dead-letter whatever cannot be decoded.
public protocol JobBus: Sendable {
    var policy: JobBusPolicy { get }

    /// Appends a message; returns its id in the stream. Streams are trimmed to about
    /// `policy.maxStreamLength` entries.
    @discardableResult
    func append(_ body: Data, to stream: BusStream) async throws -> BusMessageID

    /// Appends a job or event envelope. The default encodes it and appends the bytes; an adapter
    /// that keeps messages in this process may carry the value as is (`RawDelivery.carried`).
    @discardableResult
    func append(carrying envelope: CarriedEnvelope, to stream: BusStream) async throws -> BusMessageID

    /// Up to `limit` messages for `consumer`: first reclaimed ones (idle too long in another
    /// consumer's hands), then new ones. Waits up to `waitingUpTo` when there are none.
    func receive(from stream: BusStream, as consumer: ConsumerName, limit: Int, waitingUpTo: Duration)
        async throws -> [RawDelivery]

    /// Marks a delivered message done; acknowledging twice, or after it was reclaimed by another
    /// consumer and acknowledged there, is harmless.
    func acknowledge(_ receipt: DeliveryReceipt) async throws

    /// Moves a delivered message to the dead-letter list with `reason` (and acknowledges it).
    func deadLetter(_ delivery: RawDelivery, reason: String) async throws

    /// The most recent dead letters of `stream`, newest first.
    func deadLetters(in stream: BusStream, limit: Int) async throws -> [DeadLetter]

    /// Messages delivered and not yet acknowledged, per consumer.
    func pendingCounts(in stream: BusStream) async throws -> [ConsumerName: Int]

    /// Forgets a consumer that left for good, only when it holds no pending messages; returns
    /// whether it was removed.
    func retireConsumer(_ consumer: ConsumerName, from stream: BusStream) async throws -> Bool
}

/// Tuning shared by every adapter.
public struct JobBusPolicy: Sendable, Hashable {
    /// How long a delivered message may stay unacknowledged before another consumer gets it.
    /// Must be above the slowest job's run time, or a slow job runs twice.
    public var reclaimIdle: Duration
    /// Deliveries after which a message is dead-lettered instead of delivered again.
    public var maxDeliveries: Int
    /// Approximate cap of each stream (`MAXLEN ~`); acknowledged history beyond it is dropped.
    public var maxStreamLength: Int
    /// Cap of each dead-letter list (oldest dropped first).
    public var maxDeadLetters: Int

    public init(reclaimIdle: Duration = .seconds(60), maxDeliveries: Int = 5, maxStreamLength: Int = 10_000,
                maxDeadLetters: Int = 1_000) {
        self.reclaimIdle = reclaimIdle
        self.maxDeliveries = max(1, maxDeliveries)
        self.maxStreamLength = max(1, maxStreamLength)
        self.maxDeadLetters = max(1, maxDeadLetters)
    }
}

extension JobBus {
    @discardableResult
    public func append(carrying envelope: CarriedEnvelope, to stream: BusStream) async throws -> BusMessageID {
        let body: Data
        do {
            body = try envelope.encode()
        } catch {
            throw JobBusError(code: .encoding, message: "could not encode \(envelope.label)", underlying: error)
        }
        return try await append(body, to: stream)
    }

    /// Sends a job to one worker's stream.
    @discardableResult
    public func send(_ job: JobEnvelope, to worker: WorkerID) async throws -> BusMessageID {
        try await append(carrying: CarriedEnvelope(job), to: .jobs(worker))
    }

    /// Publishes an event for the masters.
    @discardableResult
    public func publish(_ event: EventEnvelope) async throws -> BusMessageID {
        try await append(carrying: CarriedEnvelope(event), to: .events)
    }

    /// Jobs for `worker`; undecodable ones (unknown kind or version, malformed) are dead-lettered
    /// with the decoding error as reason and never returned.
    public func receiveJobs(for worker: WorkerID, as consumer: ConsumerName, limit: Int = 16,
                            waitingUpTo wait: Duration = .seconds(5)) async throws -> [Delivery<Job>] {
        try await receiveDecoded(from: .jobs(worker), as: consumer, limit: limit, waitingUpTo: wait)
    }

    /// Events for the masters' shared group.
    public func receiveEvents(as consumer: ConsumerName, limit: Int = 16,
                              waitingUpTo wait: Duration = .seconds(5)) async throws -> [Delivery<WorkerEvent>] {
        try await receiveDecoded(from: .events, as: consumer, limit: limit, waitingUpTo: wait)
    }

    /// Receives from any stream and decodes as `Body`, dead-lettering what does not decode.
    public func receiveDecoded<Body>(from stream: BusStream, as consumer: ConsumerName, limit: Int,
                                     waitingUpTo wait: Duration) async throws -> [Delivery<Body>] {
        try await decoded(receive(from: stream, as: consumer, limit: limit, waitingUpTo: wait))
    }

    public func acknowledge<Body>(_ delivery: Delivery<Body>) async throws {
        try await acknowledge(delivery.receipt)
    }

    /// Gives up on a message a handler can never process (poison): dead-letters it with `reason`.
    public func reject<Body>(_ delivery: Delivery<Body>, reason: String) async throws {
        try await deadLetter(delivery.raw, reason: reason)
    }

    private func decoded<Body>(_ raws: [RawDelivery]) async throws -> [Delivery<Body>] {
        var result: [Delivery<Body>] = []
        result.reserveCapacity(raws.count)
        for raw in raws {
            if let envelope = raw.carried?.value as? Envelope<Body> {
                result.append(Delivery(raw: raw, envelope: envelope))
                continue
            }
            do {
                result.append(Delivery(raw: raw, envelope: try Envelope<Body>.decode(raw.body)))
            } catch {
                try await deadLetter(raw, reason: error.description)
            }
        }
        return result
    }
}
