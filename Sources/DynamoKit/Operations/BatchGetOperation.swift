/// The keys of one table in a `BatchGetItem` call (also how DynamoDB hands back unprocessed ones).
struct BatchGetKeys: Codable {
    var keys: [Item]
    var consistentRead: Bool?
    enum CodingKeys: String, CodingKey { case keys = "Keys", consistentRead = "ConsistentRead" }
}

struct BatchGetItemInput: Encodable {
    var requestItems: [String: BatchGetKeys]
    enum CodingKeys: String, CodingKey { case requestItems = "RequestItems" }
}

struct BatchGetItemOutput: Decodable {
    var responses: [String: [Item]]?
    var unprocessedKeys: [String: BatchGetKeys]?
    enum CodingKeys: String, CodingKey { case responses = "Responses", unprocessedKeys = "UnprocessedKeys" }
}

extension DynamoClient {
    /// The most keys DynamoDB accepts in one `BatchGetItem` call.
    public static let batchGetLimit = 100

    /// Reads up to 100 items of `tableName` by key in one request: several items for one round
    /// trip. Keys DynamoDB leaves unprocessed are asked for again with backoff; throws
    /// `.unprocessedItems` if some are still left after `retry.maxAttempts` calls. Returns the
    /// items found, in no particular order (a key with no item has none).
    public func batchGetItems(tableName: String, keys: [Item], consistentRead: Bool = true) async throws(DynamoError)
        -> [Item]
    {
        guard keys.count <= Self.batchGetLimit else {
            throw DynamoError(code: .validation, message: "at most \(Self.batchGetLimit) keys per BatchGetItem, got \(keys.count)",
                              operation: "BatchGetItem")
        }
        guard !keys.isEmpty else { return [] }
        var pending = [tableName: BatchGetKeys(keys: keys, consistentRead: consistentRead)]
        var found: [Item] = []
        var attempt = 0
        while true {
            attempt += 1
            let output = try await call("BatchGetItem", BatchGetItemInput(requestItems: pending), as: BatchGetItemOutput.self)
            found += output.responses?[tableName] ?? []
            let unprocessed = (output.unprocessedKeys ?? [:]).filter { !$0.value.keys.isEmpty }
            if unprocessed.isEmpty { return found }
            guard attempt < retry.maxAttempts else {
                let count = unprocessed.values.reduce(0) { $0 + $1.keys.count }
                throw DynamoError(code: .unprocessedItems, message: "\(count) key(s) still unprocessed after \(attempt) attempts",
                                  operation: "BatchGetItem")
            }
            pending = unprocessed
            try await backoff(beforeRetry: attempt, operation: "BatchGetItem")
        }
    }
}
