/// `S`, `N` or `B`: the types a key attribute can have.
public enum ScalarAttributeType: String, Sendable, Codable {
    case string = "S", number = "N", binary = "B"
}

public struct AttributeDefinition: Sendable, Codable, Hashable {
    public var name: String
    public var type: ScalarAttributeType

    public init(_ name: String, _ type: ScalarAttributeType) {
        self.name = name
        self.type = type
    }

    enum CodingKeys: String, CodingKey { case name = "AttributeName", type = "AttributeType" }
}

public struct KeySchemaElement: Sendable, Codable, Hashable {
    public enum KeyType: String, Sendable, Codable { case hash = "HASH", range = "RANGE" }
    public var name: String
    public var keyType: KeyType

    public init(_ name: String, _ keyType: KeyType) {
        self.name = name
        self.keyType = keyType
    }

    enum CodingKeys: String, CodingKey { case name = "AttributeName", keyType = "KeyType" }
}

public struct GlobalSecondaryIndex: Sendable, Encodable {
    public var name: String
    public var keySchema: [KeySchemaElement]

    public init(name: String, keySchema: [KeySchemaElement]) {
        self.name = name
        self.keySchema = keySchema
    }

    enum CodingKeys: String, CodingKey {
        case name = "IndexName", keySchema = "KeySchema", projection = "Projection"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(keySchema, forKey: .keySchema)
        // Every attribute is projected: index queries return whole items.
        try container.encode(["ProjectionType": "ALL"], forKey: .projection)
    }
}

/// An on-demand (`PAY_PER_REQUEST`) table.
public struct CreateTableInput: Sendable, Encodable {
    public var tableName: String
    public var attributeDefinitions: [AttributeDefinition]
    public var keySchema: [KeySchemaElement]
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]

    public init(
        tableName: String, attributeDefinitions: [AttributeDefinition], keySchema: [KeySchemaElement],
        globalSecondaryIndexes: [GlobalSecondaryIndex] = []
    ) {
        self.tableName = tableName
        self.attributeDefinitions = attributeDefinitions
        self.keySchema = keySchema
        self.globalSecondaryIndexes = globalSecondaryIndexes
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", attributeDefinitions = "AttributeDefinitions", keySchema = "KeySchema"
        case globalSecondaryIndexes = "GlobalSecondaryIndexes", billingMode = "BillingMode"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tableName, forKey: .tableName)
        try container.encode(attributeDefinitions, forKey: .attributeDefinitions)
        try container.encode(keySchema, forKey: .keySchema)
        if !globalSecondaryIndexes.isEmpty {
            try container.encode(globalSecondaryIndexes, forKey: .globalSecondaryIndexes)
        }
        try container.encode("PAY_PER_REQUEST", forKey: .billingMode)
    }
}

/// What `DescribeTable` reports that bootstrap code needs.
public struct TableDescription: Sendable, Decodable {
    public struct IndexDescription: Sendable, Decodable {
        public var name: String
        public var status: String?
        enum CodingKeys: String, CodingKey { case name = "IndexName", status = "IndexStatus" }
    }

    public var tableName: String
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, …
    public var status: String
    public var keySchema: [KeySchemaElement]
    public var globalSecondaryIndexes: [IndexDescription]

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", status = "TableStatus", keySchema = "KeySchema"
        case globalSecondaryIndexes = "GlobalSecondaryIndexes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tableName = try container.decode(String.self, forKey: .tableName)
        status = try container.decode(String.self, forKey: .status)
        keySchema = try container.decodeIfPresent([KeySchemaElement].self, forKey: .keySchema) ?? []
        globalSecondaryIndexes =
            try container.decodeIfPresent([IndexDescription].self, forKey: .globalSecondaryIndexes) ?? []
    }

    /// The table and every index are ACTIVE.
    public var isActive: Bool {
        status == "ACTIVE" && globalSecondaryIndexes.allSatisfy { ($0.status ?? "ACTIVE") == "ACTIVE" }
    }
}

private struct TableNameInput: Encodable {
    var tableName: String
    enum CodingKeys: String, CodingKey { case tableName = "TableName" }
}

private struct TableResponse: Decodable {
    var table: TableDescription?
    var tableDescription: TableDescription?
    enum CodingKeys: String, CodingKey { case table = "Table", tableDescription = "TableDescription" }
}

private struct TimeToLiveInput: Encodable {
    var tableName: String
    var attributeName: String
    var enabled: Bool

    enum CodingKeys: String, CodingKey { case tableName = "TableName", specification = "TimeToLiveSpecification" }
    enum SpecificationKeys: String, CodingKey { case attributeName = "AttributeName", enabled = "Enabled" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tableName, forKey: .tableName)
        var specification = container.nestedContainer(keyedBy: SpecificationKeys.self, forKey: .specification)
        try specification.encode(attributeName, forKey: .attributeName)
        try specification.encode(enabled, forKey: .enabled)
    }
}

/// The TTL state of a table.
public struct TimeToLiveDescription: Sendable, Decodable {
    /// `ENABLED`, `DISABLED`, `ENABLING`, `DISABLING`.
    public var status: String
    public var attributeName: String?
    enum CodingKeys: String, CodingKey { case status = "TimeToLiveStatus", attributeName = "AttributeName" }
}

private struct TimeToLiveResponse: Decodable {
    var description: TimeToLiveDescription?
    enum CodingKeys: String, CodingKey { case description = "TimeToLiveDescription" }
}

extension DynamoClient {
    @discardableResult
    public func createTable(_ input: CreateTableInput) async throws(DynamoError) -> TableDescription? {
        try await call("CreateTable", input, as: TableResponse.self).tableDescription
    }

    /// The table's description; throws `.resourceNotFound` when it does not exist.
    public func describeTable(_ tableName: String) async throws(DynamoError) -> TableDescription {
        guard let table = try await call("DescribeTable", TableNameInput(tableName: tableName), as: TableResponse.self).table
        else {
            throw DynamoError(code: .malformedResponse, message: "DescribeTable returned no Table", operation: "DescribeTable")
        }
        return table
    }

    public func deleteTable(_ tableName: String) async throws(DynamoError) {
        _ = try await call("DeleteTable", TableNameInput(tableName: tableName), as: EmptyResponse.self)
    }

    /// Turns expiry on `attributeName` (a Number of epoch seconds) on or off.
    public func updateTimeToLive(tableName: String, attributeName: String, enabled: Bool) async throws(DynamoError) {
        _ = try await call(
            "UpdateTimeToLive",
            TimeToLiveInput(tableName: tableName, attributeName: attributeName, enabled: enabled),
            as: EmptyResponse.self)
    }

    public func describeTimeToLive(_ tableName: String) async throws(DynamoError) -> TimeToLiveDescription {
        let response = try await call("DescribeTimeToLive", TableNameInput(tableName: tableName), as: TimeToLiveResponse.self)
        return response.description ?? TimeToLiveDescription(status: "DISABLED", attributeName: nil)
    }

    /// Polls `DescribeTable` until the table and its indexes are ACTIVE, or throws `.timeout`.
    @discardableResult
    public func waitUntilActive(
        _ tableName: String, timeout: Duration = .seconds(120), pollInterval: Duration = .milliseconds(200)
    ) async throws(DynamoError) -> TableDescription {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let table = try await describeTable(tableName)
            if table.isActive { return table }
            guard clock.now < deadline else {
                throw DynamoError(
                    code: .timeout, message: "table \(tableName) still \(table.status) after \(timeout)",
                    operation: "DescribeTable")
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw DynamoError(code: .timeout, message: "cancelled while waiting for \(tableName)", operation: "DescribeTable")
            }
        }
    }
}
