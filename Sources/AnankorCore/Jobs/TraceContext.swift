/// W3C trace context carried inside every job and event so one trace spans interaction, job,
/// worker and Lavalink call. Only the header strings travel; tracing libraries parse them.
public struct TraceContext: Sendable, Hashable, Codable {
    /// `version-traceid-parentid-flags`, e.g. `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
    public let traceparent: String
    public let tracestate: String?

    /// Returns nil when `traceparent` is not a well-formed W3C header (wrong field sizes, non-hex,
    /// all-zero ids, or version ff).
    public init?(traceparent: String, tracestate: String? = nil) {
        let fields = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count >= 4,
            fields[0].count == 2, fields[1].count == 32, fields[2].count == 16, fields[3].count == 2,
            fields.allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
            fields[0].lowercased() != "ff",
            fields[1].contains(where: { $0 != "0" }), fields[2].contains(where: { $0 != "0" })
        else { return nil }
        // Version 00 has exactly four fields; later versions may append more.
        if fields[0] == "00" && fields.count != 4 { return nil }
        self.traceparent = traceparent.lowercased()
        self.tracestate = tracestate.flatMap { $0.count <= 512 ? $0 : nil }
    }
}
