import Foundation
import Synchronization
public import Prometheus

#if canImport(Glibc)
import Glibc
#endif

/// `process_*` metrics read from `/proc/self` at each scrape (Linux; elsewhere they stay 0) and
/// `anankor_build_info`. Handles are made once; a scrape costs a few small file reads.
public final class ProcessMetrics: Sendable {
    /// A counter, as Prometheus expects of `_total`: moved by what was used since the last read.
    private let cpu: Counter
    private let cpuCounted = Mutex<Double>(0)
    private let resident: Gauge
    private let virtual: Gauge
    private let openFDs: Gauge
    private let maxFDs: Gauge
    private let startTime: Gauge

    public init(registry: PrometheusCollectorRegistry, version: String) {
        cpu = registry.makeCounter(descriptor: .catalogued("process_cpu_seconds_total"))
        resident = registry.makeGauge(descriptor: .catalogued("process_resident_memory_bytes"))
        virtual = registry.makeGauge(descriptor: .catalogued("process_virtual_memory_bytes"))
        openFDs = registry.makeGauge(descriptor: .catalogued("process_open_fds"))
        maxFDs = registry.makeGauge(descriptor: .catalogued("process_max_fds"))
        startTime = registry.makeGauge(descriptor: .catalogued("process_start_time_seconds"))
        registry.makeGauge(descriptor: .catalogued("anankor_build_info"), labels: [("version", version)]).set(1.0)
        if let start = Self.startTimeSeconds() { startTime.set(start) }
        if let limit = Self.openFileLimit() { maxFDs.set(limit) }
        sample()
    }

    /// Reads the current figures; called before each exposition.
    public func sample() {
        if let stat = Self.stat() {
            let used = Double(stat.userTicks + stat.systemTicks) / Self.ticksPerSecond
            let increase = cpuCounted.withLock { counted -> Double in
                defer { counted = max(counted, used) }
                return max(0, used - counted)
            }
            if increase > 0 { cpu.increment(by: increase) }
            virtual.set(Double(stat.virtualBytes))
            resident.set(Double(stat.residentPages) * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The directory listing itself holds one descriptor while it is read.
            openFDs.set(Double(max(0, entries.count - 1)))
        }
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    struct Stat {
        var userTicks: Int64
        var systemTicks: Int64
        var startTicks: Int64
        var virtualBytes: Int64
        var residentPages: Int64
    }

    /// Fields of `/proc/self/stat` after the command name (which may contain spaces and parens).
    static func stat() -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) else { return nil }
        return parseStat(text)
    }

    static func parseStat(_ text: String) -> Stat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // After ") ": field 3 (state) is index 0, so field n is index n - 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Int64? {
            let index = number - 3
            return fields.indices.contains(index) ? Int64(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
            let resident = field(24)
        else { return nil }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual,
                    residentPages: resident)
    }

    /// The soft limit of `/proc/self/limits`' "Max open files" line.
    static func openFileLimit() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/limits", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") })
        else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Double($0) }
    }

    /// Boot time (`btime` of `/proc/stat`) plus the process's start in clock ticks after boot.
    static func startTimeSeconds() -> Double? {
        guard let stat = stat(),
            let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let boot = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return boot + Double(stat.startTicks) / ticksPerSecond
    }
}

extension MetricNameDescriptor {
    /// A metric registered directly with the registry, with its help text from the catalog.
    static func catalogued(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: MetricCatalog.help[name] ?? "")
    }
}
