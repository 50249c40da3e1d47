import AnankorCore
import AnankorTelemetry
import Foundation
import Logging
import Synchronization

/// Publishes worker events on the bus, in order, without losing them to a bus outage: an event
/// that cannot be published waits in a backlog (bounded) with everything after it, and the
/// backlog is delivered, oldest first, as soon as the bus answers again — by the next `publish`
/// or by `deliverBacklog()`, which the holder calls on every heartbeat and a spare on every
/// round. An event the master never sees (a `trackEnd`) would otherwise stall a queue.
///
/// One publisher per process: the backlog outlives a hold that ended because the store was
/// unreachable, and the next hold delivers it.
final class EventPublisher: Sendable {
    let bus: any JobBus
    let now: @Sendable () -> Date
    let logger: Logger
    /// Events kept while the bus is unreachable. When full, position reports go first (the next
    /// one supersedes them), then the oldest events.
    let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var backlog: [EventEnvelope] = []
        /// One delivery at a time, so the order holds.
        var delivering = false
        var failing = false
        var dropped = 0
    }

    init(bus: any JobBus, now: @escaping @Sendable () -> Date, logger: Logger, capacity: Int = 10_000) {
        self.bus = bus
        self.now = now
        self.logger = logger
        self.capacity = max(1, capacity)
    }

    /// Events waiting for the bus.
    var backlogCount: Int { state.withLock { $0.backlog.count } }

    /// Queues the event behind any backlog and delivers what it can now; never waits for an
    /// outage to end.
    func publish(_ event: WorkerEvent) async {
        // Inside a job's span the event continues its trace (the master's handling is its child).
        let envelope = EventEnvelope(body: event, trace: .current(), createdAt: now())
        let dropped = state.withLock { state -> Int in
            state.backlog.append(envelope)
            guard state.backlog.count > capacity else { return 0 }
            let index = state.backlog.firstIndex { $0.kind == PlayerUpdateEvent.kind } ?? 0
            state.backlog.remove(at: index)
            state.dropped += 1
            return state.dropped
        }
        if dropped == 1 || (dropped > 0 && dropped % 1000 == 0) {
            logger.warning("event backlog full: dropping the oldest events", metadata: ["dropped": "\(dropped)"])
        }
        await deliverBacklog()
    }

    /// Publishes the backlog in order until it is empty or the bus fails (the rest waits for the
    /// next call). Returns at once when another call is delivering.
    func deliverBacklog() async {
        let start = state.withLock { state -> Bool in
            guard !state.delivering, !state.backlog.isEmpty else { return false }
            state.delivering = true
            return true
        }
        guard start else { return }
        while true {
            // Taking the next one and ending the delivery happen under one lock, so an event
            // appended meanwhile is either taken here or starts a delivery of its own.
            guard let next = state.withLock({ state -> EventEnvelope? in
                if let first = state.backlog.first { return first }
                state.delivering = false
                return nil
            }) else { return }
            do {
                try await bus.publish(next)
                let (recovered, waiting) = state.withLock { state -> (Bool, Int) in
                    if state.backlog.first?.id == next.id { state.backlog.removeFirst() }
                    defer { state.failing = false }
                    return (state.failing, state.backlog.count)
                }
                if recovered {
                    logger.notice("the bus answers again: delivering the events kept meanwhile",
                                  metadata: ["events.waiting": "\(waiting + 1)"])
                }
                logger.trace("published", metadata: ["event.kind": "\(next.kind)"])
            } catch {
                let first = state.withLock { state -> Bool in
                    state.delivering = false
                    defer { state.failing = true }
                    return !state.failing
                }
                if first {
                    logger.warning("could not publish events; keeping them until the bus answers", metadata: [
                        "event.kind": "\(next.kind)", "error": "\(error)",
                    ])
                }
                return
            }
        }
    }
}
