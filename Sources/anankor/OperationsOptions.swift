import AnankorSettings
import ArgumentParser

/// `--http-port` and `--http-host` of `run`, `master` and `worker`: the same rules as
/// ANANKOR_HTTP_PORT and ANANKOR_HTTP_HOST, which they override.
struct OperationsOptions: ParsableArguments {
    @Option(help: "Port of /health, /ready and /metrics, 0–65535 (overrides ANANKOR_HTTP_PORT).")
    var httpPort: Int?

    @Option(help: "Address /health, /ready and /metrics listen on (overrides ANANKOR_HTTP_HOST).")
    var httpHost: String?

    func validate() throws {
        if let httpPort, !(0...65535).contains(httpPort) {
            throw ValidationError("--http-port has the value \(httpPort), expected a whole number from 0 to 65535")
        }
        if let httpHost, !AnankorSettings.isBindAddress(httpHost) {
            throw ValidationError("--http-host has the value \"\(httpHost)\", expected an IP address or host name")
        }
    }

    func apply(to settings: inout AnankorSettings) {
        if let httpPort { settings.httpPort = httpPort }
        if let httpHost { settings.httpHost = httpHost }
    }
}
