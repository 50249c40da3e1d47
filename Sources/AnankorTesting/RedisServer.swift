import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` for tests and benchmarks: a free loopback port, its own data directory,
/// no RDB snapshots, and optional AOF so that `kill()` + `restart()` keep the data (fault tests).
///
/// The first start goes through `LocalServerProcess` (free port, readiness, log tail). A restart
/// must come back on the *same* port, which `LocalServerProcess` cannot pin, so `restart()` launches
/// the same command line again with the port fixed and waits for it the same way.
public final class RedisServer: Sendable {
    /// TLS files for a `rediss://` server. When set, the server listens with TLS only.
    public struct TLSFiles: Sendable {
        public var certificateFile: URL
        public var keyFile: URL
        public var caCertificateFile: URL

        public init(certificateFile: URL, keyFile: URL, caCertificateFile: URL) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.caCertificateFile = caCertificateFile
        }
    }

    public struct Options: Sendable {
        /// Turn on AOF (`appendfsync always`) so a SIGKILL + restart loses nothing acknowledged.
        public var appendOnly: Bool
        /// Where redis keeps its files; `nil` = a fresh temporary directory removed on deinit.
        public var dataDirectory: URL?
        /// `requirepass` for the `default` user.
        public var password: String?
        /// ACL rules, one user per entry, e.g. `"alice on >secret ~* &* +@all"`.
        public var aclUsers: [String]
        public var tls: TLSFiles?
        /// Further `--name value` arguments passed through unchanged.
        public var extraArguments: [String]

        public init(
            appendOnly: Bool = false,
            dataDirectory: URL? = nil,
            password: String? = nil,
            aclUsers: [String] = [],
            tls: TLSFiles? = nil,
            extraArguments: [String] = []
        ) {
            self.appendOnly = appendOnly
            self.dataDirectory = dataDirectory
            self.password = password
            self.aclUsers = aclUsers
            self.tls = tls
            self.extraArguments = extraArguments
        }
    }

    private enum Running: Sendable {
        case spawned(LocalServerProcess)
        case restarted(SpawnedProcess)
        case stopped
    }

    public let options: Options
    public let port: Int
    public let dataDirectory: URL
    private let ownsDataDirectory: Bool
    private let running: Mutex<Running>
    /// The absolute path of the `redis-server` that the first start found on `PATH`.
    private let executablePath: String

    /// `redis://127.0.0.1:port` (or `rediss://` with TLS), without credentials.
    public var url: String { "\(options.tls == nil ? "redis" : "rediss")://127.0.0.1:\(port)" }

    public init(options: Options = Options()) async throws {
        let directory: URL
        if let given = options.dataDirectory {
            directory = given
            ownsDataDirectory = false
        } else {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anankor-redis-\(UUID().uuidString.prefix(8))")
            ownsDataDirectory = true
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.options = options
        self.dataDirectory = directory
        let process = try await LocalServerProcess(
            name: "redis",
            executable: "redis-server",
            arguments: { port in Self.arguments(port: port, directory: directory, options: options) }
        )
        self.port = process.port
        // Reuse the path the first start resolved on PATH. It comes from argv[0], not /proc/…/exe:
        // redis-server is a symlink to redis-check-rdb, which picks its role from argv[0]. Redis
        // rewrites its title to "<argv0> <bind>:<port>", hence the cut at the first space.
        let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/cmdline"))) ?? Data()
        let argv0 = commandLine.split(whereSeparator: { $0 == 0 || $0 == 0x20 }).first
            .map { String(decoding: $0, as: UTF8.self) }
        self.executablePath = argv0.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
            ?? "/usr/bin/redis-server"
        self.running = Mutex(.spawned(process))
    }

    public var isRunning: Bool {
        running.withLock { state in
            switch state {
            case .spawned(let process): process.isRunning
            case .restarted(let process): process.isRunning
            case .stopped: false
            }
        }
    }

    /// The server's process id while it runs (benchmarks read its CPU time and memory).
    public var processIdentifier: Int32? {
        running.withLock { state in
            switch state {
            case .spawned(let process): process.processIdentifier
            case .restarted(let process): process.processIdentifier
            case .stopped: nil
            }
        }
    }

    /// SIGKILL: a crash without a clean shutdown. Waits until the process is gone.
    public func kill() { end(signal: SIGKILL, grace: .zero) }

    /// SIGTERM, wait for the exit, and SIGKILL after `grace` if the server is still there.
    public func stop(grace: Duration = .seconds(3)) { end(signal: SIGTERM, grace: grace) }

    private func end(signal: Int32, grace: Duration) {
        let state = running.withLock { state in
            defer { state = .stopped }
            return state
        }
        switch state {
        case .spawned(let process):
            signal == SIGKILL ? process.kill() : process.stop(grace: grace)
        case .restarted(let process):
            signal == SIGKILL ? process.killAndWait() : process.terminate(grace: grace)
        case .stopped: break
        }
    }

    /// Stops the server if it still runs (SIGTERM) and starts it again on the same port with the
    /// same data directory. Call `kill()` first to simulate a crash.
    public func restart(readyTimeout: Duration = .seconds(30)) async throws {
        stop()
        let logFile = dataDirectory.appendingPathComponent("restart.log")
        let process = try SpawnedProcess(executable: executablePath,
                                         arguments: Self.arguments(port: port, directory: dataDirectory, options: options),
                                         environment: ProcessInfo.processInfo.environment, logPath: logFile.path)
        running.withLock { $0 = .restarted(process) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: readyTimeout)
        while clock.now < deadline {
            if !process.isRunning {
                let output = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                throw LocalServerProcess.LaunchError(
                    description: "redis-server exited on restart (status \(process.terminationStatus)):\n\(output.suffix(2000))")
            }
            if FreePort.isAccepting(port: port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        stop()
        throw LocalServerProcess.LaunchError(description: "redis-server did not reopen port \(port) within \(readyTimeout)")
    }

    deinit {
        stop()
        if ownsDataDirectory { try? FileManager.default.removeItem(at: dataDirectory) }
    }

    static func arguments(port: Int, directory: URL, options: Options) -> [String] {
        var arguments = [
            "--bind", "127.0.0.1",
            "--dir", directory.path,
            "--save", "",
            "--daemonize", "no",
            "--protected-mode", "no",
            "--appendonly", options.appendOnly ? "yes" : "no",
        ]
        if options.appendOnly { arguments += ["--appendfsync", "always"] }
        if let tls = options.tls {
            arguments += [
                "--port", "0", "--tls-port", String(port),
                "--tls-cert-file", tls.certificateFile.path,
                "--tls-key-file", tls.keyFile.path,
                "--tls-ca-cert-file", tls.caCertificateFile.path,
                "--tls-auth-clients", "no",
            ]
        } else {
            arguments += ["--port", String(port)]
        }
        if let password = options.password { arguments += ["--requirepass", password] }
        // Redis keeps each argv element as one word, so the rule's words go in separately.
        for user in options.aclUsers { arguments += ["--user"] + user.split(separator: " ").map(String.init) }
        return arguments + options.extraArguments
    }
}
