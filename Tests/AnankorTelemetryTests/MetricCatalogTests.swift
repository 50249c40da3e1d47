import AnankorCore
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import AnankorTelemetry

@Suite("Metric help, process metrics and trace export settings")
struct MetricCatalogTests {
    @Test func everyFamilyGetsOneHelpLineBeforeItsType() {
        let exposition = """
            # TYPE anankor_commands_total counter
            anankor_commands_total{command="play",outcome="ok"} 3
            # HELP own_metric Its own help.
            # TYPE own_metric gauge
            own_metric 1
            # TYPE mystery_total counter
            mystery_total 2

            """
        let lines = MetricCatalog.withHelp(exposition).split(separator: "\n").map(String.init)
        #expect(lines == [
            "# HELP anankor_commands_total \(MetricCatalog.help["anankor_commands_total"]!)",
            "# TYPE anankor_commands_total counter",
            "anankor_commands_total{command=\"play\",outcome=\"ok\"} 3",
            "# HELP own_metric Its own help.",
            "# TYPE own_metric gauge",
            "own_metric 1",
            "# HELP mystery_total Undocumented metric (missing from MetricCatalog).",
            "# TYPE mystery_total counter",
            "mystery_total 2",
        ])
    }

    @Test func metricsEndpointServesProcessBuildAndReadinessFigures() async throws {
        let registry = PrometheusCollectorRegistry()
        let checks = [ReadinessCheck("redis") { false }, ReadinessCheck("gateway") { true }]
        let app = Application(router: OperationsEndpoints.router(registry: registry, checks: checks, version: "9.9.9"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("anankor_build_info{version=\"9.9.9\"} 1"))
                #expect(text.contains("anankor_ready{check=\"redis\"} 0"))
                #expect(text.contains("anankor_ready{check=\"gateway\"} 1"))
                let value = { (name: String) in
                    text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
                }
                // This test process has a start time in the past, some memory and open files.
                #expect((value("process_start_time_seconds") ?? 0) > 1_600_000_000)
                #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
                #expect((value("process_open_fds") ?? 0) >= 3)
                #expect(!text.contains("Undocumented metric"))
            }
        }
    }

    @Test func statParsingSkipsACommandNameWithSpacesAndParens() throws {
        let line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 50 0 0 20 0 8 0 12345 "
            + "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let stat = try #require(ProcessMetrics.parseStat(line))
        #expect(stat.userTicks == 150)
        #expect(stat.systemTicks == 50)
        #expect(stat.startTicks == 12345)
        #expect(stat.virtualBytes == 104_857_600)
        #expect(stat.residentPages == 2560)
    }

    @Test func otlpEndpointIsTheCollectorBaseURL() {
        #expect(TraceExport.tracesURL("http://collector:4318") == "http://collector:4318/v1/traces")
        #expect(TraceExport.tracesURL("http://collector:4318/") == "http://collector:4318/v1/traces")
        #expect(TraceExport.tracesURL("https://otel.example/v1/traces") == "https://otel.example/v1/traces")
    }

    @Test func untracedWorkCarriesNoTraceContext() {
        // No tracer is bootstrapped in tests: nothing is injected into envelopes.
        #expect(TraceContext.current() == nil)
    }
}
