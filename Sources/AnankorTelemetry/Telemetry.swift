public import Logging
import Metrics
public import Prometheus

/// Process-wide bootstrap of logging and metrics. swift-log and swift-metrics allow one
/// bootstrap per process, so only the executable calls this; libraries take a `Logger` and use
/// the global metrics factory.
public enum Telemetry {
    /// The version `anankor_build_info` reports.
    public static let version = "0.1.0"

    public struct Options: Sendable {
        public var format: LogLineHandler.Format
        public var level: Logger.Level
        public var redactor: SecretRedactor

        public init(format: LogLineHandler.Format, level: Logger.Level = .info, redactor: SecretRedactor) {
            self.format = format
            self.level = level
            self.redactor = redactor
        }
    }

    /// Installs the log handler (lines carry `trace_id`/`span_id` inside a traced operation) and
    /// the Prometheus metrics factory; returns the registry that `/metrics` exposes.
    public static func bootstrap(_ options: Options) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap({ label, provider in
            LogLineHandler(label: label, format: options.format, level: options.level, redactor: options.redactor,
                           metadataProvider: provider)
        }, metadataProvider: TraceExport.logMetadataProvider)
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// From 1 ms (a Redis call) to 10 s (a slow interaction past Discord's 3 s), so the
    /// interaction p99 alert at 2 s falls between buckets it can resolve.
    public static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(1500), .seconds(2), .milliseconds(2500), .seconds(3), .seconds(5), .seconds(10),
    ]

    /// JSON when stdout is not a terminal (a container, a file, a collector), plain otherwise.
    public static func defaultFormat(isTerminal: Bool) -> LogLineHandler.Format {
        isTerminal ? .plain : .json
    }
}
