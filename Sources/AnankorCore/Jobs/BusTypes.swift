import Foundation

/// A stream of the bus: one per worker for its jobs, one for all events.
public enum BusStream: Hashable, Sendable, CustomStringConvertible {
    case jobs(WorkerID)
    case events

    public var description: String {
        switch self {
        case .jobs(let worker): "jobs:\(worker)"
        case .events: "events"
        }
    }
}

/// A message's id within its stream (a Redis stream id such as `1700000000000-0`, or a counter
/// in process). Ordered within one stream only.
public struct BusMessageID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// One consuming process (a worker instance, a master instance). Stable across reconnects of
/// the same process; a restarted process may take a new name.
public struct ConsumerName: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
}

/// What a consumer needs to acknowledge a delivery.
public struct DeliveryReceipt: Hashable, Sendable {
    public var stream: BusStream
    public var id: BusMessageID
    public var consumer: ConsumerName

    public init(stream: BusStream, id: BusMessageID, consumer: ConsumerName) {
        self.stream = stream
        self.id = id
        self.consumer = consumer
    }
}

/// A job or event envelope carried as a value by an adapter that keeps messages in this process
/// (the embedded mode's bus): no encoding on the way in, no decoding on the way out. `encode`
/// gives its bytes where bytes are needed (a dead letter, a reader of `RawDelivery.body`).
public struct CarriedEnvelope: Sendable {
    public let value: any Sendable
    public let encode: @Sendable () throws -> Data
    /// Its kind and id, for errors.
    public let label: String

    public init<Body>(_ envelope: Envelope<Body>) {
        value = envelope
        encode = { try envelope.encoded() }
        label = "\(envelope.kind) \(envelope.id)"
    }

    /// The bytes, or none when the envelope cannot be encoded (then it cannot be decoded either,
    /// and a dead letter of it says so by its reason).
    public var bytes: Data { (try? encode()) ?? Data() }
}

/// A delivered message before decoding.
public struct RawDelivery: Sendable, Hashable {
    public var receipt: DeliveryReceipt
    /// 1 on first delivery; higher when the message was reclaimed from a consumer that did not ack.
    public var deliveryCount: Int
    /// The envelope as a value, when the adapter carried it so.
    public let carried: CarriedEnvelope?
    private let storedBody: Data?

    /// The message's bytes (a carried envelope is encoded when they are asked for).
    public var body: Data { storedBody ?? carried?.bytes ?? Data() }

    public init(receipt: DeliveryReceipt, body: Data, deliveryCount: Int) {
        self.receipt = receipt
        self.storedBody = body
        self.carried = nil
        self.deliveryCount = deliveryCount
    }

    public init(receipt: DeliveryReceipt, carried: CarriedEnvelope, deliveryCount: Int) {
        self.receipt = receipt
        self.storedBody = nil
        self.carried = carried
        self.deliveryCount = deliveryCount
    }

    public static func == (lhs: RawDelivery, rhs: RawDelivery) -> Bool {
        lhs.receipt == rhs.receipt && lhs.deliveryCount == rhs.deliveryCount && lhs.body == rhs.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(receipt)
        hasher.combine(deliveryCount)
    }
}

/// A decoded delivery handed to a job or event handler.
public struct Delivery<Body: EnvelopeBody>: Sendable {
    public var raw: RawDelivery
    public var envelope: Envelope<Body>

    public var receipt: DeliveryReceipt { raw.receipt }
    public var deliveryCount: Int { raw.deliveryCount }
    /// Whether an earlier delivery may already have acted: handlers use the envelope id to skip.
    public var isRedelivery: Bool { raw.deliveryCount > 1 }
}

/// A message the bus gave up on.
public struct DeadLetter: Sendable, Hashable, Codable {
    public var id: BusMessageID
    public var body: Data
    public var reason: String
    public var deliveries: Int
    public var at: Date

    public init(id: BusMessageID, body: Data, reason: String, deliveries: Int, at: Date) {
        self.id = id
        self.body = body
        self.reason = reason
        self.deliveries = deliveries
        self.at = at
    }

    /// The reason given when a message reached `maxDeliveries` unacknowledged.
    public static func exhaustedReason(deliveries: Int) -> String {
        "delivered \(deliveries) times without acknowledgement"
    }
}

/// Why a bus operation failed.
public enum JobBusErrorCode: String, PortErrorCode {
    /// The backing store cannot be reached; retry later.
    case unavailable
    /// An envelope could not be encoded.
    case encoding
    /// The bus was shut down.
    case closed
    /// The backing store answered something unexpected.
    case protocolViolation

    public static let port = "job bus"
}

public typealias JobBusError = PortError<JobBusErrorCode>
