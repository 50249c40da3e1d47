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

/// The operator's endpoints (DESIGN §8): `/health` answers while the process runs, `/ready`
/// only when every readiness check passes (503 with the failing checks otherwise, so an
/// orchestrator holds traffic), `/metrics` is the Prometheus text exposition.
public enum OperationsEndpoints {
    public static func router(
        registry: PrometheusCollectorRegistry, checks: [ReadinessCheck]
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in
            jsonResponse(.ok, "{\"status\":\"alive\"}")
        }
        router.get("/ready") { _, _ in
            var failing: [String] = []
            for check in checks where await !check.probe() { failing.append(check.name) }
            if failing.isEmpty { return jsonResponse(.ok, "{\"ready\":true}") }
            let names = failing.map(JSONText.quoted).joined(separator: ",")
            return jsonResponse(.serviceUnavailable, "{\"ready\":false,\"failing\":[\(names)]}")
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        return router
    }

    /// The endpoints as a service to run beside the bot services.
    public static func application(
        host: String, port: Int, registry: PrometheusCollectorRegistry, checks: [ReadinessCheck],
        logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(registry: registry, checks: checks),
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
