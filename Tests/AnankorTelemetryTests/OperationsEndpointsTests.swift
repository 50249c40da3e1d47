import Hummingbird
import HummingbirdTesting
import Prometheus
import Synchronization
import Testing

@testable import AnankorTelemetry

@Suite("Operator endpoints")
struct OperationsEndpointsTests {
    @Test func readyReportsFailingChecksUntilTheyPass() async throws {
        let registry = PrometheusCollectorRegistry()
        let gatewayUp = Atomic<Bool>(false)
        let checks = [
            ReadinessCheck("gateway") { gatewayUp.load(ordering: .relaxed) },
            ReadinessCheck("state-store") { true },
        ]
        let app = Application(router: OperationsEndpoints.router(registry: registry, checks: checks))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "{\"ready\":false,\"failing\":[\"gateway\"]}")
            }
            gatewayUp.store(true, ordering: .relaxed)
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func metricsExposeRegisteredSeries() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "anankor", metricName: "commands", unitName: "total", helpText: "Commands by name and outcome"),
            labels: [("command", "play"), ("outcome", "ok")]
        ).increment(by: Int64(3))
        let app = Application(router: OperationsEndpoints.router(registry: registry, checks: []))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("anankor_commands_total{command=\"play\",outcome=\"ok\"} 3"))
            }
        }
    }
}
