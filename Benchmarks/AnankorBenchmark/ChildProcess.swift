import AnankorTesting
import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// What one process used while the workload ran: CPU time (user + system) and memory.
struct ProcessUsage: Sendable, Codable {
    var name: String
    var cpuSeconds: Double
    /// The peak resident set size over the process's life (VmHWM).
    var peakRSSBytes: Int
}

/// Reads a process's CPU time and memory from /proc (Linux).
enum ProcessProbe {
    struct Sample: Sendable {
        var cpuSeconds: Double
        var rssBytes: Int
        var peakRSSBytes: Int
    }

    static func sample(pid: Int32) -> Sample? {
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

    static var selfPID: Int32 { getpid() }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A program the benchmark starts (an `anankor` process, the null bot, the Python peer), with
/// its output in a log file; it is readable for readiness lines and shown when it fails.
final class ChildProcess: Sendable {
    let name: String
    let logFile: URL
    private let process: Process

    init(name: String, executable: String, arguments: [String], environment: [String: String]) throws {
        self.name = name
        logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("anankor-bench-\(name)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = handle
        process.standardError = handle
        Process.unblockTerminationSignals()
        do {
            try process.run()
        } catch {
            throw BenchmarkError("could not start \(name) (\(executable)): \(error)")
        }
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func output() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func tail(_ lines: Int = 15) -> String {
        output().split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Waits until the output contains `line`; fails with the output's tail when the process ends
    /// or the time runs out.
    func waitForOutput(_ line: String, timeout: Duration) async throws {
        try await waitUntil("'\(line)' in its output", timeout: timeout) { self.output().contains(line) }
    }

    func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            guard process.isRunning else {
                throw BenchmarkError("\(name) exited (status \(process.terminationStatus)) before \(what):\n\(tail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("\(name): no \(what) within \(timeout):\n\(tail())")
    }

    func usage() -> ProcessUsage? {
        ProcessProbe.sample(pid: pid).map { ProcessUsage(name: name, cpuSeconds: $0.cpuSeconds, peakRSSBytes: $0.peakRSSBytes) }
    }

    /// SIGTERM, then SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }
}

/// Plain HTTP GETs to the processes' operations endpoints.
enum OperationsProbe {
    static func status(_ url: String) async -> Int? {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    static func body(_ url: String) async -> String? {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let buffer = try await response.body.collect(upTo: 16 << 20)
            return String(buffer: buffer)
        } catch {
            return nil
        }
    }

    /// One metric's value from a Prometheus text exposition (the sum over its label sets).
    static func metric(_ name: String, in exposition: String) -> Double? {
        var total: Double?
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name), let space = line.lastIndex(of: " ") else { continue }
            let key = line[..<space]
            guard key == name || key.hasPrefix(name + "{") else { continue }
            if let value = Double(line[line.index(after: space)...]) { total = (total ?? 0) + value }
        }
        return total
    }
}
