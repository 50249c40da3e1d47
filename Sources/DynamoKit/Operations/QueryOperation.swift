public struct QueryInput: Sendable, Encodable {
    public var tableName: String
    public var indexName: String?
    /// e.g. `#pk = :pk AND begins_with(#sk, :prefix)`.
    public var keyCondition: String
    public var filter: String?
    public var attributes: ExpressionAttributes
    /// At most this many items are *evaluated* per page (before the filter).
    public var limit: Int?
    /// `false` reads the sort key descending (most recent first for time-ordered keys).
    public var scanIndexForward: Bool
    /// The `lastEvaluatedKey` of the previous page.
    public var exclusiveStartKey: Item?
    /// Not allowed on global secondary indexes.
    public var consistentRead: Bool?

    public init(
        tableName: String, indexName: String? = nil, keyCondition: String, filter: String? = nil,
        attributes: ExpressionAttributes = .init(), limit: Int? = nil, scanIndexForward: Bool = true,
        exclusiveStartKey: Item? = nil, consistentRead: Bool? = nil
    ) {
        self.tableName = tableName
        self.indexName = indexName
        self.keyCondition = keyCondition
        self.filter = filter
        self.attributes = attributes
        self.limit = limit
        self.scanIndexForward = scanIndexForward
        self.exclusiveStartKey = exclusiveStartKey
        self.consistentRead = consistentRead
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", indexName = "IndexName", keyCondition = "KeyConditionExpression"
        case filter = "FilterExpression", names = "ExpressionAttributeNames"
        case values = "ExpressionAttributeValues", limit = "Limit", scanIndexForward = "ScanIndexForward"
        case exclusiveStartKey = "ExclusiveStartKey", consistentRead = "ConsistentRead"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tableName, forKey: .tableName)
        try container.encodeIfPresent(indexName, forKey: .indexName)
        try container.encode(keyCondition, forKey: .keyCondition)
        try container.encodeIfPresent(filter, forKey: .filter)
        try container.encodeIfPresent(attributes.encodedNames, forKey: .names)
        try container.encodeIfPresent(attributes.encodedValues, forKey: .values)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encode(scanIndexForward, forKey: .scanIndexForward)
        try container.encodeIfPresent(exclusiveStartKey, forKey: .exclusiveStartKey)
        try container.encodeIfPresent(consistentRead, forKey: .consistentRead)
    }
}

public struct QueryOutput: Sendable, Decodable {
    public var items: [Item]
    /// Present when more items may follow; pass it as `exclusiveStartKey` for the next page.
    public var lastEvaluatedKey: Item?

    enum CodingKeys: String, CodingKey {
        case items = "Items", lastEvaluatedKey = "LastEvaluatedKey"
    }

    public init(items: [Item], lastEvaluatedKey: Item?) {
        self.items = items
        self.lastEvaluatedKey = lastEvaluatedKey
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
        lastEvaluatedKey = try container.decodeIfPresent(Item.self, forKey: .lastEvaluatedKey)
    }
}

extension DynamoClient {
    /// One page of a query.
    public func query(_ input: QueryInput) async throws(DynamoError) -> QueryOutput {
        try await call("Query", input, as: QueryOutput.self)
    }

    /// Every page of a query, following `LastEvaluatedKey` until DynamoDB stops returning one;
    /// `beforeEachPage` runs before each request (a caller counting its requests).
    public func queryAll(_ input: QueryInput, beforeEachPage: () -> Void = {}) async throws(DynamoError) -> [Item] {
        var page = input
        var items: [Item] = []
        while true {
            beforeEachPage()
            let output = try await query(page)
            items += output.items
            guard let next = output.lastEvaluatedKey, !next.isEmpty else { return items }
            // A server that hands back the key it was given would otherwise loop forever.
            guard next != page.exclusiveStartKey else {
                throw DynamoError(
                    code: .malformedResponse, message: "Query returned the same LastEvaluatedKey twice",
                    operation: "Query")
            }
            page.exclusiveStartKey = next
        }
    }
}
