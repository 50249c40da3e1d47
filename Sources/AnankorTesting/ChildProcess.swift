import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one process used while the workload ran: CPU time (user + system) and memory.
public struct ProcessUsage: Sendable, Codable {
    public var name: String
    public var cpuSeconds: Double
    /// The peak resident set size over the process's life (VmHWM).
    public var peakRSSBytes: Int

    public init(name: String, cpuSeconds: Double, peakRSSBytes: Int) {
        self.name = name
        self.cpuSeconds = cpuSeconds
        self.peakRSSBytes = peakRSSBytes
    }
}

/// Reads a process's CPU time and memory from /proc (Linux).
public enum ProcessProbe {
    public struct Sample: Sendable {
        public var cpuSeconds: Double
        public var rssBytes: Int
        public var peakRSSBytes: Int
    }

    public static func sample(pid: Int32) -> Sample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0) * 1024
        }
        return Sample(cpuSeconds: (user + system) / ticks, rssBytes: kilobytes("VmRSS"), peakRSSBytes: kilobytes("VmHWM"))
    }

    public static var selfPID: Int32 { getpid() }
}

/// A child process that failed to start, exited early, or did not get ready in time.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A program a benchmark or the chaos suite starts (an `anankor` process, an emulator, the null
/// bot, the Python peer), with its output in a log file; it is readable for readiness lines and
/// shown when it fails.
public final class ChildProcess: Sendable {
    public let name: String
    public let logFile: URL
    private let process: SpawnedProcess

    public init(name: String, executable: String, arguments: [String], environment: [String: String]) throws {
        self.name = name
        logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("anankor-bench-\(name)-\(UUID().uuidString.prefix(8)).log")
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        do {
            process = try SpawnedProcess(executable: executable, arguments: arguments, environment: merged,
                                         logPath: logFile.path)
        } catch {
            throw ChildProcessError("could not start \(name) (\(executable)): \(error)")
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func output() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public func tail(_ lines: Int = 15) -> String {
        output().split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Waits until the output contains `line`; fails with the output's tail when the process ends
    /// or the time runs out.
    public func waitForOutput(_ line: String, timeout: Duration) async throws {
        try await waitUntil("'\(line)' in its output", timeout: timeout) { self.output().contains(line) }
    }

    public func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            guard process.isRunning else {
                throw ChildProcessError("\(name) exited (status \(process.terminationStatus)) before \(what):\n\(tail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildProcessError("\(name): no \(what) within \(timeout):\n\(tail())")
    }

    public func usage() -> ProcessUsage? {
        ProcessProbe.sample(pid: pid).map { ProcessUsage(name: name, cpuSeconds: $0.cpuSeconds, peakRSSBytes: $0.peakRSSBytes) }
    }

    /// SIGTERM, then SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        if await !process.exited(within: grace) { process.killAndWait() }
        // Kept on request, to read after a failing run.
        if ProcessInfo.processInfo.environment["ANANKOR_KEEP_CHILD_LOGS"] == nil {
            try? FileManager.default.removeItem(at: logFile)
        }
    }

    /// SIGKILL: a crash with no clean shutdown. Returns once the process is gone; the log stays
    /// readable until `stop()`.
    public func crash() async {
        process.signal(SIGKILL)
        _ = await process.exited(within: .seconds(30))  // the kernel ends a SIGKILLed process at once
    }

    /// SIGTERM without waiting: the process shuts down gracefully on its own time.
    public func terminate() {
        guard process.isRunning else { return }
        process.terminate()
    }

    /// The process's exit, waited for at most `timeout`; true when it has exited.
    public func waitForExit(timeout: Duration) async -> Bool {
        await process.exited(within: timeout)
    }
}

