import AnankorCore
import Foundation
import RedisKit
import Synchronization

/// The distributed `JobBus` on Redis Streams: one stream per worker for its jobs and one for
/// events, one consumer group per stream (`workers`, `masters`). Reclaiming uses XAUTOCLAIM with
/// `policy.reclaimIdle`; delivery counts come from XPENDING; dead letters are a capped list beside
/// each stream. Outages surface as `JobBusError.unavailable`; RedisKit reconnects by itself, so the
/// next call after the server is back succeeds.
public final class RedisJobBus: JobBus {
    public let policy: JobBusPolicy
    private let redis: RedisClient
    private let prefix: String
    private let wallClock: @Sendable () -> Date
    /// Streams whose group this process created (or found); cleared when Redis says NOGROUP.
    private let knownGroups = Mutex<Set<String>>([])

    public init(redis: RedisClient, policy: JobBusPolicy = JobBusPolicy(), prefix: String = "anankor:",
                wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.redis = redis
        self.policy = policy
        self.prefix = prefix
        self.wallClock = wallClock
    }

    func streamKey(_ stream: BusStream) -> String {
        switch stream {
        case .jobs(let worker): "\(prefix){bus:jobs:\(worker)}:stream"
        case .events: "\(prefix){bus:events}:stream"
        }
    }

    func deadKey(_ stream: BusStream) -> String {
        switch stream {
        case .jobs(let worker): "\(prefix){bus:jobs:\(worker)}:dead"
        case .events: "\(prefix){bus:events}:dead"
        }
    }

    func group(_ stream: BusStream) -> String {
        switch stream {
        case .jobs: "workers"
        case .events: "masters"
        }
    }

    public func append(_ body: Data, to stream: BusStream) async throws -> BusMessageID {
        try await call("append to \(stream)", stream) {
            try await self.ensureGroup(stream)
            let id = try await self.redis.xadd(
                self.streamKey(stream), fields: [("body", Array(body))],
                trim: .maxLength(self.policy.maxStreamLength, approximate: true))
            return BusMessageID(id)
        }
    }

    public func receive(from stream: BusStream, as consumer: ConsumerName, limit: Int, waitingUpTo wait: Duration)
        async throws -> [RawDelivery]
    {
        let limit = max(1, limit)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: max(.zero, wait))
        return try await call("receive from \(stream)", stream) {
            try await self.ensureGroup(stream)
            while true {
                try Task.checkCancellation()
                var batch = try await self.reclaim(stream, consumer, limit: limit)
                let remaining = deadline - clock.now
                // Block only when there is nothing yet, never past the next reclaim check, and in
                // short slices so a cancelled receiver (shutdown) returns promptly.
                let block: Duration? = batch.isEmpty && remaining > .zero
                    ? max(.milliseconds(10), min(remaining, self.policy.reclaimIdle / 2, Self.longestBlock)) : nil
                let entries = try await self.redis.xreadgroup(
                    group: self.group(stream), consumer: consumer.rawValue, key: self.streamKey(stream), id: ">",
                    count: limit - batch.count, block: block)
                for entry in entries {
                    let receipt = DeliveryReceipt(stream: stream, id: BusMessageID(entry.id), consumer: consumer)
                    batch.append(RawDelivery(receipt: receipt, body: Self.body(entry), deliveryCount: 1))
                }
                if !batch.isEmpty || clock.now >= deadline { return batch }
            }
        }
    }

    /// The longest single XREADGROUP BLOCK; bounds how long cancellation can take.
    static let longestBlock: Duration = .seconds(1)

    public func acknowledge(_ receipt: DeliveryReceipt) async throws {
        try await call("acknowledge in \(receipt.stream)", receipt.stream) {
            _ = try await self.redis.xack(self.streamKey(receipt.stream), group: self.group(receipt.stream),
                                          ids: [receipt.id.rawValue])
        }
    }

    public func deadLetter(_ delivery: RawDelivery, reason: String) async throws {
        let letter = DeadLetter(id: delivery.receipt.id, body: delivery.body, reason: reason,
                                deliveries: delivery.deliveryCount, at: wallClock())
        try await call("dead-letter in \(delivery.receipt.stream)", delivery.receipt.stream) {
            try await self.record(letter, in: delivery.receipt.stream, acknowledging: true)
        }
    }

    public func deadLetters(in stream: BusStream, limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        let values = try await call("read dead letters of \(stream)", stream) {
            try await self.redis.lrange(self.deadKey(stream), 0, limit - 1)
        }
        return values.compactMap { try? JSONDecoder().decode(DeadLetter.self, from: Data($0.readableBytesView)) }
    }

    public func pendingCounts(in stream: BusStream) async throws -> [ConsumerName: Int] {
        try await call("read pending of \(stream)", stream) {
            do {
                let consumers = try await self.redis.xinfoConsumers(self.streamKey(stream), group: self.group(stream))
                return Dictionary(consumers.map { (ConsumerName($0.name), $0.pending) }, uniquingKeysWith: +)
            } catch let error as RedisError where error.serverErrorPrefix == "NOGROUP" || error.serverErrorPrefix == "ERR" {
                return [:]
            }
        }
    }

    public func retireConsumer(_ consumer: ConsumerName, from stream: BusStream) async throws -> Bool {
        try await call("retire \(consumer) from \(stream)", stream) {
            try await self.redis.eval(RedisJobBusScripts.retireConsumer, keys: [self.streamKey(stream)],
                                      arguments: [self.group(stream), consumer.rawValue]).int == 1
        }
    }

    // MARK: - Internals

    /// Takes over messages idle longer than `reclaimIdle`, dead-lettering those delivered
    /// `maxDeliveries` times already and those trimmed from the stream while pending.
    private func reclaim(_ stream: BusStream, _ consumer: ConsumerName, limit: Int) async throws -> [RawDelivery] {
        let key = streamKey(stream)
        let claim = try await redis.xautoclaim(key, group: group(stream), consumer: consumer.rawValue,
                                               minIdle: policy.reclaimIdle, count: limit)
        for id in claim.deletedIDs {
            try await record(DeadLetter(id: BusMessageID(id), body: Data(), reason: "trimmed from the stream while pending",
                                        deliveries: 0, at: wallClock()), in: stream, acknowledging: false)
        }
        let claimed = claim.claimed.filter { !$0.isDeleted }
        guard let first = claimed.first, let last = claimed.last else { return [] }
        let pending = try await redis.xpending(key, group: group(stream), start: first.id, end: last.id,
                                               count: max(claimed.count * 2, 16), consumer: consumer.rawValue)
        let counts = Dictionary(pending.map { ($0.id, $0.deliveryCount) }, uniquingKeysWith: max)
        var batch: [RawDelivery] = []
        for entry in claimed {
            // XAUTOCLAIM already counted this delivery.
            let count = counts[entry.id] ?? 1
            let receipt = DeliveryReceipt(stream: stream, id: BusMessageID(entry.id), consumer: consumer)
            if count > policy.maxDeliveries {
                let delivered = count - 1
                try await record(DeadLetter(id: receipt.id, body: Self.body(entry),
                                            reason: DeadLetter.exhaustedReason(deliveries: delivered),
                                            deliveries: delivered, at: wallClock()), in: stream, acknowledging: true)
            } else {
                batch.append(RawDelivery(receipt: receipt, body: Self.body(entry), deliveryCount: count))
            }
        }
        return batch
    }

    private func record(_ letter: DeadLetter, in stream: BusStream, acknowledging: Bool) async throws {
        let json = String(decoding: try JSONEncoder().encode(letter), as: UTF8.self)
        if acknowledging {
            try await redis.eval(RedisJobBusScripts.deadLetter, keys: [streamKey(stream), deadKey(stream)],
                                 arguments: [group(stream), letter.id.rawValue, json, policy.maxDeadLetters])
        } else {
            _ = try await redis.lpush(deadKey(stream), [json])
            try await redis.ltrim(deadKey(stream), 0, policy.maxDeadLetters - 1)
        }
    }

    private func ensureGroup(_ stream: BusStream) async throws {
        let key = streamKey(stream)
        guard !knownGroups.withLock({ $0.contains(key) }) else { return }
        // Start at 0: messages appended before the group existed are still delivered.
        _ = try await redis.xgroupCreate(key, group: group(stream), startID: "0", makeStream: true)
        knownGroups.withLock { _ = $0.insert(key) }
    }

    private static func body(_ entry: RedisStreamEntry) -> Data {
        entry["body"].map { Data($0.readableBytesView) } ?? Data()
    }

    /// Maps client errors to `JobBusError`; a lost group (Redis restarted without persistence)
    /// is forgotten so the next call recreates it.
    private func call<T>(_ operation: String, _ stream: BusStream, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CancellationError {
            throw error
        } catch let error as JobBusError {
            throw error
        } catch {
            if let redisError = error as? RedisError, redisError.serverErrorPrefix == "NOGROUP" {
                let key = streamKey(stream)
                knownGroups.withLock { _ = $0.remove(key) }
            }
            throw JobBusError(code: .unavailable, message: "\(operation) failed", underlying: error)
        }
    }
}
