import AnankorCore
import AnankorDistributed
import AnankorEmbedded
import AnankorTesting
import Foundation
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

enum LedgerTime {
    /// A fixed instant; tests move time by passing later dates.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Int) -> Date { start.addingTimeInterval(TimeInterval(seconds)) }
}

/// The contract every `Ledger` adapter meets; the nested suites run each test on both adapters.
@Suite(.motoServer) struct LedgerContractTests {}
