import AnankorTesting
import AsyncHTTPClient
import Foundation
import NIOCore

/// The benchmark's own failures (a contender that cannot start, a missing program).
typealias BenchmarkError = ChildProcessError

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

    /// Every label set of one metric with its value (labels as written: `name="value"` pairs
    /// without commas or quotes inside, as Anankor's bounded label values are).
    static func series(_ name: String, in exposition: String) -> [(labels: [String: String], value: Double)] {
        var result: [(labels: [String: String], value: Double)] = []
        for line in exposition.split(separator: "\n") where line.hasPrefix(name) {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let key = line[..<space]
            guard key == name || key.hasPrefix(name + "{") else { continue }
            var labels: [String: String] = [:]
            for pair in key.dropFirst(name.count).trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            result.append((labels, value))
        }
        return result
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
