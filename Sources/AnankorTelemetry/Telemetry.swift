public import Logging
import Metrics
public import Prometheus

/// Process-wide bootstrap of logging and metrics. swift-log and swift-metrics allow one
/// bootstrap per process, so only the executable calls this; libraries take a `Logger` and use
/// the global metrics factory.
public enum Telemetry {
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

    /// Installs the log handler and the Prometheus metrics factory; returns the registry that
    /// `/metrics` exposes.
    public static func bootstrap(_ options: Options) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            LogLineHandler(label: label, format: options.format, level: options.level, redactor: options.redactor)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// JSON when stdout is not a terminal (a container, a file, a collector), plain otherwise.
    public static func defaultFormat(isTerminal: Bool) -> LogLineHandler.Format {
        isTerminal ? .plain : .json
    }
}
