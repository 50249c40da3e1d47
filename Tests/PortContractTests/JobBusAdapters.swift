import AnankorCore
import AnankorEmbedded
import Foundation
import Testing

/// One bus adapter under contract.
struct JobBusAdapter: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable (JobBusPolicy) async throws -> JobBusFixture
    var testDescription: String { name }

    static let inProcess = JobBusAdapter(name: "in-process") { policy in
        JobBusFixture(bus: InProcessJobBus(policy: policy), keepAlive: ())
    }

    static var all: [JobBusAdapter] { [.inProcess] + distributedJobBusAdapters }
}

final class JobBusFixture: Sendable {
    let bus: any JobBus
    private let keepAlive: any Sendable

    func release() { withExtendedLifetime(keepAlive) {} }

    init(bus: any JobBus, keepAlive: any Sendable) {
        self.bus = bus
        self.keepAlive = keepAlive
    }
}

enum BusFixtures {
    static let worker = WorkerID(100)
    static let trace = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")

    /// Stable ids so a test can compare what it sent with what arrived.
    static func id(_ n: Int) -> EnvelopeID {
        EnvelopeID(UUID(uuidString: "00000000-0000-4000-8000-" + String(format: "%012d", n)) ?? UUID())
    }

    static func job(_ n: Int) -> JobEnvelope {
        JobEnvelope(id: id(n), body: .voiceConnect(VoiceConnectJob(session: Fixed.session(1, UInt64(n)))), trace: trace,
                    createdAt: Fixed.t0)
    }

    static func event(_ n: Int) -> EventEnvelope {
        EventEnvelope(id: id(n), body: .queueEmpty(QueueEmptyEvent(session: Fixed.session(1, UInt64(n)))), createdAt: Fixed.t0)
    }

    /// Receives until `count` deliveries arrived or `timeout` passed (polling, never a fixed sleep).
    static func collect<Body>(_ count: Int, timeout: Duration = .seconds(10),
                              _ receive: () async throws -> [Delivery<Body>]) async throws -> [Delivery<Body>] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var collected: [Delivery<Body>] = []
        while collected.count < count && clock.now < deadline {
            collected += try await receive()
        }
        return collected
    }
}
