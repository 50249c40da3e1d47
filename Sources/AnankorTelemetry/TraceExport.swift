public import Logging
import OTel
public import ServiceLifecycle
import Tracing

/// OTLP/HTTP export of traces when `OTLP_ENDPOINT` is set. When it is not, no tracer is
/// installed: spans are the no-op tracer's (no ids, no allocation worth measuring), envelopes
/// carry no trace context and nothing leaves the process.
public enum TraceExport {
    /// Installs the OTLP tracer as the process's instrument and returns the service that batches
    /// and exports spans; run it in the service group (first, so it is shut down last and flushes
    /// the spans of everything else). Nil when `endpoint` is nil.
    public static func bootstrap(endpoint: String?, serviceName: String, logger: Logger) throws -> (any Service)? {
        guard let endpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.`protocol` = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = tracesURL(endpoint)
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }

    /// `OTLP_ENDPOINT` is the collector's base URL (`http://collector:4318`), as for
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`; traces go to its `/v1/traces`. A URL that already names
    /// that path is kept.
    public static func tracesURL(_ endpoint: String) -> String {
        if endpoint.hasSuffix("/v1/traces") { return endpoint }
        return (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/v1/traces"
    }

    /// Adds `trace_id`, `span_id` (and `trace_flags`) of the current span to every log line (nothing when no span
    /// is active or tracing is off).
    public static let logMetadataProvider: Logger.MetadataProvider = OTel.makeLoggingMetadataProvider(
        configuration: .default)
}
