import AnankorDoctor
import AnankorSettings
import AnankorTelemetry
import ArgumentParser
import Foundation
import LavalinkKit
import Logging
import Prometheus
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// What every operator-facing subcommand does first: read and validate the settings (one line on
/// stderr and exit code 78, EX_CONFIG, when something is wrong), then install logging with every
/// configured secret registered for redaction.
enum OperatorStartup {
    static func settings(for mode: AnankorSettings.RunMode) async throws -> AnankorSettings {
        do {
            let settings = try await AnankorSettings.load(environment: ProcessInfo.processInfo.environment)
            try settings.validate(for: mode)
            try settings.validateRegions(known: NodeRegion.all)
            return settings
        } catch {
            FileHandle.standardError.write(Data("anankor: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
    }

    /// For the long-running modes: the settings with the command-line overrides, telemetry, then the
    /// checks that would otherwise fail late and obscurely — a token Discord refuses (named by
    /// its key) and a port another process holds.
    static func serviceSettings(for mode: AnankorSettings.RunMode, options: OperationsOptions) async throws
        -> (settings: AnankorSettings, logger: Logger, registry: PrometheusCollectorRegistry)
    {
        var settings = try await self.settings(for: mode)
        options.apply(to: &settings)
        // Telemetry first: the token check below already talks to Discord, and metric handles
        // made before the metrics backend is bootstrapped would never reach /metrics.
        let (logger, registry) = bootstrapTelemetryWithMetrics(settings)
        let quiet = Logger(label: "anankor.startup", factory: { _ in SwiftLogNoOpLogHandler() })
        if let refused = await Doctor(settings: settings, logger: quiet).refusedToken(for: mode) {
            fail(refused)
        }
        let source = options.httpPort != nil ? "--http-port" : "ANANKOR_HTTP_PORT"
        let address = "\(settings.httpHost):\(settings.httpPort)"
        switch BindProbe.check(host: settings.httpHost, port: settings.httpPort) {
        case nil: break
        case .inUse:
            fail("\(address) is already in use (\(source)): stop the other process or choose another port")
        case .addressNotAvailable, .unresolvable:
            fail("\(settings.httpHost) is not an address of this host (ANANKOR_HTTP_HOST): use 0.0.0.0, 127.0.0.1 or one of its addresses")
        case .other(let code):
            fail("cannot listen on \(address) (\(source)): \(String(cString: strerror(code)))")
        }
        return (settings, logger, registry)
    }

    /// One line on stderr, exit status 78 (EX_CONFIG): what the operator has to change.
    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("anankor: \(line)\n".utf8))
        Foundation.exit(78)
    }

    static func bootstrapTelemetry(_ settings: AnankorSettings) -> Logger {
        bootstrapTelemetryWithMetrics(settings).logger
    }

    /// Also returns the Prometheus registry that `/metrics` exposes.
    static func bootstrapTelemetryWithMetrics(_ settings: AnankorSettings) -> (logger: Logger, registry: PrometheusCollectorRegistry) {
        let format: LogLineHandler.Format = switch settings.logFormat {
        case .json: .json
        case .plain: .plain
        case .automatic: Telemetry.defaultFormat(isTerminal: isatty(STDOUT_FILENO) == 1)
        }
        let registry = Telemetry.bootstrap(.init(
            format: format, level: Logger.Level(rawValue: settings.logLevel) ?? .info,
            redactor: SecretRedactor(secrets: settings.secrets)))
        return (Logger(label: "anankor"), registry)
    }

    /// OTLP/HTTP trace export when `OTLP_ENDPOINT` is set (nil otherwise: nothing is traced).
    static func tracing(_ settings: AnankorSettings, serviceName: String, logger: Logger) throws -> (any Service)? {
        do {
            return try TraceExport.bootstrap(endpoint: settings.otlpEndpoint, serviceName: serviceName, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("anankor: OTLP_ENDPOINT: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}
