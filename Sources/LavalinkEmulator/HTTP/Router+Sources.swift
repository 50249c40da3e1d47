import Hummingbird

extension Router where Context == BasicRequestContext {
    /// Control routes for node regions and failing sources (see docs/emulators/lavalink.md).
    func addSourceControlRoutes(emulator: LavalinkEmulator) {
        let group = self.group("/_emulator")

        group.get("/node") { _, _ in
            let failing = await emulator.failingSources()
            return jsonResponse([
                "region": .optional(await emulator.region()),
                "failingSources": .object(failing.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value.remaining))) }),
            ])
        }

        group.post("/region") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            guard let value = body["region"], value.stringValue != nil || value == .null else {
                throw LavalinkHTTPError.badRequest("body must be {\"region\": \"europe\"} or {\"region\": null}")
            }
            await emulator.setRegion(value.stringValue)
            return Response(status: .noContent)
        }

        group.post("/sources/fail") { request, _ in
            var request = request
            let body = try await request.jsonBody()
            guard let source = body["source"]?.stringValue, !source.isEmpty,
                let count = body["count"]?.int64Value, count >= 0
            else {
                throw LavalinkHTTPError.badRequest(
                    "body must be {\"source\": \"youtube\", \"count\": <n ≥ 0>, \"message\"?: \"…\", \"severity\"?: \"suspicious\"}")
            }
            var failure = SourceFailure(remaining: Int(min(count, 1_000_000)))
            if let message = body["message"]?.stringValue { failure.message = message }
            if let raw = body["severity"]?.stringValue {
                guard let severity = TrackException.Severity(rawValue: raw) else {
                    throw LavalinkHTTPError.badRequest("severity must be common, suspicious or fault")
                }
                failure.severity = severity
            }
            await emulator.failSource(source, failure)
            return Response(status: .noContent)
        }
    }
}
