/// What a handler decided about one delivery.
public enum HandlingOutcome: Sendable, Hashable {
    /// Done: acknowledge.
    case done
    /// Not now: leave it pending so it is redelivered after the reclaim idle time.
    case retryLater
    /// Never processable: dead-letter with this reason.
    case reject(String)
}

extension JobBus {
    /// Receives and handles `stream` until the task is cancelled. A handler that throws leaves the
    /// message pending (redelivered later, and dead-lettered after `policy.maxDeliveries`).
    /// Bus errors (an outage) are reported to `onBusError`, then receiving resumes after `backoff`.
    public func consume<Body: EnvelopeBody>(
        _ stream: BusStream, as consumer: ConsumerName, decoding body: Body.Type = Body.self, batch: Int = 16,
        backoff: Duration = .seconds(1), onBusError: @Sendable (any Error) async -> Void = { _ in },
        handler: (Delivery<Body>) async throws -> HandlingOutcome
    ) async {
        while !Task.isCancelled {
            let deliveries: [Delivery<Body>]
            do {
                deliveries = try await receiveDecoded(from: stream, as: consumer, limit: batch, waitingUpTo: .seconds(5))
            } catch {
                if Task.isCancelled { return }
                await onBusError(error)
                try? await Task.sleep(for: backoff)
                continue
            }
            for delivery in deliveries {
                do {
                    switch try await handler(delivery) {
                    case .done: try await acknowledge(delivery.receipt)
                    case .retryLater: break
                    case .reject(let reason): try await deadLetter(delivery.raw, reason: reason)
                    }
                } catch {
                    await onBusError(error)
                }
            }
        }
    }
}
