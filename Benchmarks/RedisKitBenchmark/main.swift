// RedisKit beside redis-benchmark on the same freshly spawned redis-server.
// Run: swift run -c release RedisKitBenchmark [requests]
// Prints figures only; it asserts nothing.
import AnankorTesting
import Foundation
import RedisKit

let requests = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let depths = [1, 16, 64]

/// Operations per second of `operation` run `count` times in batches of `depth` (1 = one command
/// in flight at a time, awaited before the next).
func measure(_ connection: RedisConnection, _ name: String, count: Int, depth: Int) async throws -> Double {
    let command = name == "SET" ? RedisCommand("SET", "key:__rand_int__", "xxx") : RedisCommand("GET", "key:__rand_int__")
    let clock = ContinuousClock()
    let start = clock.now
    if depth == 1 {
        for _ in 0..<count { _ = try await connection.send(command) }
    } else {
        let batch = Array(repeating: command, count: depth)
        for _ in 0..<(count / depth) { _ = try await connection.pipeline(batch) }
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(count - count % depth) / seconds
}

/// redis-benchmark's figures (requests per second) for SET and GET at one pipeline depth.
func redisBenchmark(port: Int, count: Int, depth: Int) throws -> [String: Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "redis-benchmark", "-h", "127.0.0.1", "-p", String(port), "-t", "set,get",
        "-P", String(depth), "-c", "1", "-n", String(count), "-d", "3", "--csv",
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var result: [String: Double] = [:]
    // CSV lines: "SET","123456.78",…
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        if fields.count >= 2, let rps = Double(fields[1]) { result[fields[0]] = rps }
    }
    return result
}

let server = try await RedisServer()
let connection = try await RedisConnection.connect(configuration: RedisConfiguration(port: server.port))
print("redis-server \(server.url), \(requests) requests per row (unpipelined rows use \(requests / 5)), 1 connection\n")
print("| Command | Pipeline depth | RedisKit ops/s | redis-benchmark ops/s | RedisKit / redis-benchmark |")
print("|---|---:|---:|---:|---:|")
for depth in depths {
    let count = depth == 1 ? requests / 5 : requests
    _ = try await measure(connection, "SET", count: min(count, 2_000), depth: depth)  // warm-up
    let reference = (try? redisBenchmark(port: server.port, count: count, depth: depth)) ?? [:]
    for name in ["SET", "GET"] {
        let ours = try await measure(connection, name, count: count, depth: depth)
        let theirs = reference[name]
        let ratio = theirs.map { String(format: "%.2f", ours / $0) } ?? "n/a"
        let theirsText = theirs.map { String(format: "%.0f", $0) } ?? "n/a (redis-benchmark missing?)"
        print("| \(name) | \(depth) | \(String(format: "%.0f", ours)) | \(theirsText) | \(ratio) |")
    }
}
await connection.close()
server.stop()
