import AnankorCore
import AnankorDistributed
import AnankorEmbedded
import AnankorTesting
import Foundation
import RedisKit
import AnankorTestSupport
import Testing

/// The two `Ledger` adapters the contract suite runs against.
enum LedgerAdapter: String, CaseIterable, CustomStringConvertible, Sendable {
    /// SQLite in a fresh temporary file.
    case sqlite
    /// DynamoDB on the suite's moto_server, in a fresh table.
    case dynamo

    var description: String { rawValue }

    /// Runs `body` with a fresh ledger and removes its files afterwards.
    func withLedger(_ body: (any Ledger) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anankor-ledger-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(try SQLiteLedger(path: directory.appendingPathComponent("ledger.sqlite").path))
        case .dynamo:
            var environment = try MotoServerTrait.server().environment
            environment["DYNAMODB_TABLE"] = "ledger-\(UUID().uuidString.prefix(8))"
            let ledger = try DynamoLedger.fromEnvironment(environment)
            try await ledger.bootstrap(timeout: .seconds(30))
            try await body(ledger)
        }
    }
}

/// Where idempotency claims can live: both ledgers, and Redis (distributed mode's interaction and
/// job claims). The idempotency contract runs on all three.
enum IdempotencyAdapter: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case dynamo
    case redis

    var description: String { rawValue }

    func withStore(_ body: (any IdempotencyStore) async throws -> Void) async throws {
        switch self {
        case .sqlite: try await LedgerAdapter.sqlite.withLedger(body)
        case .dynamo: try await LedgerAdapter.dynamo.withLedger(body)
        case .redis:
            let server = try await DisposableRedisServer()
            let client = try RedisClient(url: server.url)
            do {
                try await body(RedisIdempotencyStore(redis: client))
                await client.close()
            } catch {
                await client.close()
                throw error
            }
        }
    }
}

enum LedgerTime {
    /// A fixed instant; tests move time by passing later dates.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Int) -> Date { start.addingTimeInterval(TimeInterval(seconds)) }
}

/// The contract every `Ledger` adapter meets; the nested suites run each test on both adapters.
@Suite(.motoServer) struct LedgerContractTests {}
