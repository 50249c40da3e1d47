import AnankorCore
import AnankorTelemetry
import Foundation
import Logging

/// Publishes worker events on the bus. A failed publish is retried a few times (an event the
/// master never sees, a `trackEnd`, would stall a queue), then logged.
struct EventPublisher: Sendable {
    let bus: any JobBus
    let now: @Sendable () -> Date
    let logger: Logger

    private static let attempts = 3

    func publish(_ event: WorkerEvent) async {
        // Inside a job's span the event continues its trace (the master's handling is its child).
        let envelope = EventEnvelope(body: event, trace: .current(), createdAt: now())
        for attempt in 1...Self.attempts {
            do {
                try await bus.publish(envelope)
                logger.trace("published", metadata: ["event.kind": "\(event.kind)"])
                return
            } catch {
                if attempt == Self.attempts || Task.isCancelled {
                    logger.warning("could not publish an event", metadata: [
                        "event.kind": "\(event.kind)", "error": "\(error)",
                    ])
                    return
                }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}
