import AnankorCore
import DynamoKit
import Foundation
import Logging

/// The distributed `Ledger`: one DynamoDB table (pk + sk, one GSI for per-user queries, a TTL
/// attribute on idempotency records). Every once-only rule is a conditional write. The layout is
/// in docs/data-model.md.
public struct DynamoLedger: Ledger {
    public static let defaultTableName = "anankor"
    /// The index for per-user queries (game participation by user).
    public static let userIndex = "gsi1"
    /// DynamoDB's TTL attribute: epoch seconds after which the item may be deleted.
    public static let ttlAttribute = "ttl"

    let client: DynamoClient
    public let tableName: String
    let logger: Logger

    public init(client: DynamoClient, tableName: String = DynamoLedger.defaultTableName, logger: Logger) {
        self.client = client
        self.tableName = tableName
        self.logger = logger
    }

    /// A ledger configured like DynamoKit (`AWS_*`, `DYNAMODB_ENDPOINT`) plus `DYNAMODB_TABLE`
    /// (default `anankor`). Throws `.invalidInput` naming a missing or malformed variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "anankor.ledger")
    ) throws(LedgerError) -> DynamoLedger {
        let configuration: DynamoConfiguration
        do {
            configuration = try DynamoConfiguration.fromEnvironment(environment)
        } catch {
            throw LedgerError(.invalidInput, "DynamoDB configuration: \(error)", underlying: error)
        }
        let table = environment["DYNAMODB_TABLE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultTableName
        guard (3...255).contains(table.count),
            table.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
        else {
            throw LedgerError(.invalidInput, "DYNAMODB_TABLE: 3...255 characters of a-z, A-Z, 0-9, _ - .")
        }
        return DynamoLedger(client: DynamoClient(configuration: configuration, logger: logger), tableName: table, logger: logger)
    }

    /// Creates the table when it is missing (with its index and TTL), waits until it is ACTIVE,
    /// and checks that an existing table has the expected keys. Safe to run from several
    /// processes at once.
    public func bootstrap(timeout: Duration = .seconds(120)) async throws(LedgerError) {
        let table = try await perform("prepare table \(tableName)") { () async throws(DynamoError) -> TableDescription in
            try await activeTable(timeout: timeout)
        }
        try checkSchema(table)
        try await perform("enable TTL on \(tableName)") { () async throws(DynamoError) in
            let ttl = try await dynamo().describeTimeToLive(tableName)
            if ttl.status == "DISABLED" {
                try await dynamo().updateTimeToLive(tableName: tableName, attributeName: Self.ttlAttribute, enabled: true)
            }
        }
    }

    /// The table once ACTIVE, created first when it does not exist.
    private func activeTable(timeout: Duration) async throws(DynamoError) -> TableDescription {
        do {
            let table = try await dynamo().describeTable(tableName)
            return table.isActive ? table : try await dynamo().waitUntilActive(tableName, timeout: timeout)
        } catch {
            guard error.code == .resourceNotFound else { throw error }
        }
        logger.info("creating the ledger table", metadata: ["dynamodb.table": "\(tableName)"])
        do {
            try await dynamo().createTable(Self.tableDefinition(tableName))
        } catch {
            // resourceInUse: another process is creating it at the same time; wait for it.
            guard error.code == .resourceInUse else { throw error }
        }
        return try await dynamo().waitUntilActive(tableName, timeout: timeout)
    }

    public static func tableDefinition(_ tableName: String) -> CreateTableInput {
        CreateTableInput(
            tableName: tableName,
            attributeDefinitions: [
                .init("pk", .string), .init("sk", .string), .init("gsi1pk", .string), .init("gsi1sk", .string),
            ],
            keySchema: [.init("pk", .hash), .init("sk", .range)],
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(name: userIndex, keySchema: [.init("gsi1pk", .hash), .init("gsi1sk", .range)])
            ])
    }

    private func checkSchema(_ table: TableDescription) throws(LedgerError) {
        let keys = table.keySchema.map { "\($0.name):\($0.keyType.rawValue)" }
        guard keys.contains("pk:HASH"), keys.contains("sk:RANGE"),
            table.globalSecondaryIndexes.contains(where: { $0.name == Self.userIndex })
        else {
            throw LedgerError(
                .unavailable,
                "table \(tableName) exists but is not a ledger table (needs pk/sk keys and index \(Self.userIndex)); "
                    + "set DYNAMODB_TABLE to another name")
        }
    }

    // MARK: - Shared helpers

    /// The client for one request, counted as one round trip of the calling ledger method
    /// (`anankor_store_round_trips_total{store="dynamodb"}`; a paged `queryAll` counts once per page).
    func dynamo(_ function: String = #function) -> DynamoClient {
        StoreRoundTrips.dynamodb.count(function)
        return client
    }

    /// `queryAll`, counting each page it requests as one round trip of the calling method.
    func queryAllPages(_ input: QueryInput, function: String = #function) async throws(DynamoError) -> [Item] {
        try await client.queryAll(input) { StoreRoundTrips.dynamodb.count(function) }
    }

    /// Runs a DynamoDB call, mapping its failure to `LedgerError.unavailable`.
    @discardableResult
    func perform<T>(_ what: String, _ body: () async throws(DynamoError) -> T) async throws(LedgerError) -> T {
        do {
            return try await body()
        } catch {
            throw LedgerError(.unavailable, "DynamoDB \(what) failed: \(error.message)", underlying: error)
        }
    }

    static func key(_ pk: String, _ sk: String) -> Item { ["pk": .s(pk), "sk": .s(sk)] }

    static func guildPK(_ guild: GuildID) -> String { "GUILD#\(guild)" }
    static func userPK(_ user: UserID) -> String { "USER#\(user)" }

    /// Fixed width so string order is time order (15 digits last until year 33658).
    static func paddedMillis(_ millis: Int64) -> String {
        let text = String(max(0, millis))
        return String(repeating: "0", count: max(0, 15 - text.count)) + text
    }

    static func gameSK(_ cursor: GameSessionCursor) -> String { "GAME#\(paddedMillis(cursor.endedAt))#\(cursor.id)" }

    static let encoder = AttributeValueEncoder()
    static let decoder = AttributeValueDecoder()

    static func encode<T: Encodable>(_ value: T, what: String) throws(LedgerError) -> AttributeValue {
        do {
            return try encoder.encodeValue(value)
        } catch {
            throw LedgerError(.invalidInput, "\(what) could not be encoded", underlying: error)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: AttributeValue?, what: String) throws(LedgerError) -> T {
        guard let value else { throw LedgerError(.corruptRecord, "stored \(what) is missing") }
        do {
            return try decoder.decode(type, from: value)
        } catch {
            throw LedgerError(.corruptRecord, "stored \(what) could not be read", underlying: error)
        }
    }
}

extension Dictionary where Key == String, Value == AttributeValue {
    func ledgerString(_ name: String) throws(LedgerError) -> String {
        guard let value = self[name]?.stringValue else {
            throw LedgerError(.corruptRecord, "ledger item lacks string attribute \(name)")
        }
        return value
    }

    func ledgerInt64(_ name: String) throws(LedgerError) -> Int64 {
        guard let value = self[name]?.int64Value else {
            throw LedgerError(.corruptRecord, "ledger item lacks number attribute \(name)")
        }
        return value
    }
}
