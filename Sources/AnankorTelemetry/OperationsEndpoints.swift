public import Hummingbird
public import Logging
public import Prometheus

/// One thing `/ready` waits for: the gateway is up, a store answers, a Lavalink node is connected.
public struct ReadinessCheck: Sendable {
    public var name: String
    public var probe: @Sendable () async -> Bool

    public init(_ name: String, probe: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.probe = probe
    }
}

/// Something `/ready` reports without failing on it: a working process that runs degraded (a
/// Lavalink source avoided on a node). Each line is shown under `name` in the body.
public struct ReadinessNote: Sendable {
    public var name: String
    public var lines: @Sendable () async -> [String]

    public init(_ name: String, lines: @escaping @Sendable () async -> [String]) {
        self.name = name
        self.lines = lines
    }
}

/// The operator's endpoints (DESIGN §8): `/health` answers while the process runs, `/ready`
/// only when every readiness check passes (503 with the failing checks otherwise, so an
/// orchestrator holds traffic), `/metrics` is the Prometheus text exposition.
public enum OperationsEndpoints {
    public static func router(
        registry: PrometheusCollectorRegistry, checks: [ReadinessCheck], notes: [ReadinessNote] = [],
        version: String = Telemetry.version
    ) -> Router<BasicRequestContext> {
        let router = Router()
        let process = ProcessMetrics(registry: registry, version: version)
        // One handle per check, made once; each scrape records what the checks say now, so an
        // alert (Redis down) needs nothing but Prometheus.
        let readiness = checks.map { ($0, registry.makeGauge(descriptor: .catalogued("anankor_ready"), labels: [("check", $0.name)])) }
        router.get("/health") { _, _ in
            jsonResponse(.ok, "{\"status\":\"alive\"}")
        }
        router.get("/ready") { _, _ in
            var failing: [String] = []
            for check in checks where await !check.probe() { failing.append(check.name) }
            var extra = ""
            for note in notes {
                let lines = await note.lines().map(JSONText.quoted).joined(separator: ",")
                extra += ",\(JSONText.quoted(note.name)):[\(lines)]"
            }
            if failing.isEmpty { return jsonResponse(.ok, "{\"ready\":true\(extra)}") }
            let names = failing.map(JSONText.quoted).joined(separator: ",")
            return jsonResponse(.serviceUnavailable, "{\"ready\":false,\"failing\":[\(names)]\(extra)}")
        }
        router.get("/metrics") { _, _ in
            process.sample()
            for (check, gauge) in readiness { gauge.set(await probe(check) ? 1.0 : 0.0) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: MetricCatalog.withHelp(
                    String(decoding: registry.emitToBuffer(), as: UTF8.self))))
            )
        }
        return router
    }

    /// A check that does not answer within 2 s counts as failing (a scrape must not hang).
    static func probe(_ check: ReadinessCheck) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await check.probe() }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// The endpoints as a service to run beside the bot services.
    public static func application(
        host: String, port: Int, registry: PrometheusCollectorRegistry, checks: [ReadinessCheck],
        notes: [ReadinessNote] = [], logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(registry: registry, checks: checks, notes: notes),
            configuration: .init(address: .hostname(host, port: port), serverName: "anankor"),
            logger: logger
        )
    }

    private static func jsonResponse(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
