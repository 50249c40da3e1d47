import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A server program (redis-server, moto_server, …) that a test suite starts on a free loopback
/// port and stops afterwards. Tests never depend on a server started by hand.
public final class LocalServerProcess: Sendable {
    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    public let name: String
    public let port: Int
    private let process: SpawnedProcess
    private let logFile: URL

    /// Starts `executable` with `arguments(port)` and waits until the port accepts connections.
    /// - Parameters:
    ///   - executable: a program name looked up on `PATH`, or an absolute path.
    ///   - readyTimeout: how long to wait for the port to open.
    public init(
        name: String,
        executable: String,
        arguments: (Int) -> [String],
        environment: [String: String] = [:],
        workingDirectory: URL? = nil,
        readyTimeout: Duration = .seconds(30)
    ) async throws {
        guard let path = Self.locate(executable) else {
            throw LaunchError(description: "\(executable) is not installed; run scripts/test, which installs it")
        }
        let port = try FreePort.allocate()
        let logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("anankor-\(name)-\(port)-\(UUID().uuidString.prefix(8)).log")
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(executable: path, arguments: arguments(port), environment: env,
                                         workingDirectory: workingDirectory?.path, logPath: logFile.path)
        } catch {
            throw LaunchError(description: "\(name): \(error)")
        }
        self.name = name
        self.port = port
        self.process = process
        self.logFile = logFile

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: readyTimeout)
        while clock.now < deadline {
            if !process.isRunning {
                throw LaunchError(description: "\(name) exited at start (status \(process.terminationStatus)):\n\(tail())")
            }
            if FreePort.isAccepting(port: port) {
                // Something accepts; make sure it is ours and not a server that exited at once
                // because another process holds the port.
                try await Task.sleep(for: .milliseconds(100))
                if process.isRunning { return }
                throw LaunchError(description: "\(name) exited right after start (status \(process.terminationStatus)):\n\(tail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw LaunchError(description: "\(name) did not open port \(port) within \(readyTimeout):\n\(tail())")
    }

    /// The last lines the server printed, for failure messages.
    public func tail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    public var isRunning: Bool { process.isRunning }

    /// The process id, for fault tests that kill the server abruptly.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends SIGKILL (a crash, no clean shutdown) and waits for the process to end.
    public func kill() { process.killAndWait() }

    /// Terminates the server (SIGTERM), and kills it (SIGKILL) when it has not exited within
    /// `grace`.
    public func stop(grace: Duration = .seconds(3)) { process.terminate(grace: grace) }

    deinit {
        stop()
        // Kept on request, to read after a failing test (as `ChildProcess` does).
        if ProcessInfo.processInfo.environment["ANANKOR_KEEP_CHILD_LOGS"] == nil {
            try? FileManager.default.removeItem(at: logFile)
        }
    }

    /// Whether `executable` is on `PATH` (or, given as an absolute path, exists).
    public static func isInstalled(_ executable: String) -> Bool { locate(executable) != nil }

    private static func locate(_ executable: String) -> String? {
        if executable.hasPrefix("/") {
            return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        // Debian installs daemons such as redis-server under /usr/sbin, often not on a test PATH.
        for directory in ["/usr/sbin", "/usr/local/sbin", "/sbin"] {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Free loopback TCP ports for test servers.
public enum FreePort {
    /// Every port handed out in this process. A server that is killed and restarted on its port
    /// (the Redis fault tests) leaves that port free for a moment; the kernel may offer it again,
    /// and a second server would then "start" on a port the first one is about to take back.
    private static let handedOut = Mutex<Set<Int>>([])

    /// A port the kernel says is free and that this process has not handed out before.
    public static func allocate() throws -> Int {
        for _ in 0..<64 {
            let port = try askKernel()
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
        throw LocalServerProcess.LaunchError(description: "no unused free port found after 64 tries")
    }

    /// Asks the kernel for a free port by binding port 0 on 127.0.0.1 and closing the socket.
    private static func askKernel() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalServerProcess.LaunchError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw LocalServerProcess.LaunchError(description: "bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw LocalServerProcess.LaunchError(description: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isAccepting(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
