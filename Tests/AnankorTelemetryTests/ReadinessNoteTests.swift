import Hummingbird
import HummingbirdTesting
import Prometheus
import Synchronization
import Testing

@testable import AnankorTelemetry

@Suite("Operator endpoints: what /ready reports without failing on it")
struct ReadinessNoteTests {
    @Test func openSourceBreakersAreListedWhetherOrNotTheProcessIsReady() async throws {
        let gatewayUp = Atomic<Bool>(true)
        let open = Mutex<[String]>([])
        let app = Application(router: OperationsEndpoints.router(
            registry: PrometheusCollectorRegistry(),
            checks: [ReadinessCheck("gateway") { gatewayUp.load(ordering: .relaxed) }],
            notes: [ReadinessNote("lavalink_search_source_breakers") { open.withLock { $0 } }]))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{\"ready\":true,\"lavalink_search_source_breakers\":[]}")
            }
            open.withLock { $0 = ["lavalink-eu:2333 youtube open, probe in 28 s (opening 1)"] }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok, "a degraded source does not make the process unready")
                #expect(String(buffer: response.body)
                    == "{\"ready\":true,\"lavalink_search_source_breakers\":[\"lavalink-eu:2333 youtube open, probe in 28 s (opening 1)\"]}")
            }
            gatewayUp.store(false, ordering: .relaxed)
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).hasPrefix("{\"ready\":false,\"failing\":[\"gateway\"],\"lavalink_search_source_breakers\":[\""))
            }
        }
    }
}
