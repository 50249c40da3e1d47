/// One put or delete in a `BatchWriteItem` call.
public enum WriteRequest: Sendable, Hashable, Codable {
    case put(Item)
    case delete(key: Item)

    private enum CodingKeys: String, CodingKey {
        case put = "PutRequest", delete = "DeleteRequest"
    }

    private struct PutBody: Codable {
        var item: Item
        enum CodingKeys: String, CodingKey { case item = "Item" }
    }

    private struct DeleteBody: Codable {
        var key: Item
        enum CodingKeys: String, CodingKey { case key = "Key" }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .put(let item): try container.encode(PutBody(item: item), forKey: .put)
        case .delete(let key): try container.encode(DeleteBody(key: key), forKey: .delete)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let put = try container.decodeIfPresent(PutBody.self, forKey: .put) {
            self = .put(put.item)
        } else {
            self = .delete(key: try container.decode(DeleteBody.self, forKey: .delete).key)
        }
    }
}

struct BatchWriteItemInput: Encodable {
    var requestItems: [String: [WriteRequest]]
    enum CodingKeys: String, CodingKey { case requestItems = "RequestItems" }
}

struct BatchWriteItemOutput: Decodable {
    var unprocessedItems: [String: [WriteRequest]]?
    enum CodingKeys: String, CodingKey { case unprocessedItems = "UnprocessedItems" }
}

/// One action of a `TransactWriteItems` call. All succeed or none do.
public enum TransactWriteItem: Sendable, Encodable {
    case put(tableName: String, item: Item, condition: String? = nil, attributes: ExpressionAttributes = .init())
    case update(
        tableName: String, key: Item, update: String, condition: String? = nil,
        attributes: ExpressionAttributes = .init())
    case delete(tableName: String, key: Item, condition: String? = nil, attributes: ExpressionAttributes = .init())
    case conditionCheck(tableName: String, key: Item, condition: String, attributes: ExpressionAttributes = .init())

    private enum Action: String, CodingKey {
        case put = "Put", update = "Update", delete = "Delete", conditionCheck = "ConditionCheck"
    }

    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: Action.self)
        func fields(
            _ action: Action, tableName: String, condition: String?, attributes: ExpressionAttributes
        ) throws -> KeyedEncodingContainer<WireKey> {
            var inner = outer.nestedContainer(keyedBy: WireKey.self, forKey: action)
            try inner.encodeWrite(tableName: tableName, condition: condition, attributes: attributes, returnValues: nil)
            return inner
        }
        switch self {
        case .put(let table, let item, let condition, let attributes):
            var inner = try fields(.put, tableName: table, condition: condition, attributes: attributes)
            try inner.encode(item, forKey: "Item")
        case .update(let table, let key, let update, let condition, let attributes):
            var inner = try fields(.update, tableName: table, condition: condition, attributes: attributes)
            try inner.encode(key, forKey: "Key")
            try inner.encode(update, forKey: "UpdateExpression")
        case .delete(let table, let key, let condition, let attributes):
            var inner = try fields(.delete, tableName: table, condition: condition, attributes: attributes)
            try inner.encode(key, forKey: "Key")
        case .conditionCheck(let table, let key, let condition, let attributes):
            var inner = try fields(.conditionCheck, tableName: table, condition: condition, attributes: attributes)
            try inner.encode(key, forKey: "Key")
        }
    }
}

struct TransactWriteItemsInput: Encodable {
    var transactItems: [TransactWriteItem]
    var clientRequestToken: String?
    enum CodingKeys: String, CodingKey {
        case transactItems = "TransactItems", clientRequestToken = "ClientRequestToken"
    }
}

extension DynamoClient {
    /// The most requests DynamoDB accepts in one `BatchWriteItem` call.
    public static let batchWriteLimit = 25

    /// Writes `requests` to `tableName` in calls of at most 25, resending `UnprocessedItems` with
    /// backoff until none remain. Throws `.unprocessedItems` if some are still left after
    /// `retry.maxAttempts` calls for one chunk.
    public func batchWrite(tableName: String, _ requests: [WriteRequest]) async throws(DynamoError) {
        var start = 0
        while start < requests.count {
            let end = min(start + Self.batchWriteLimit, requests.count)
            try await batchWriteChunk(tableName: tableName, Array(requests[start..<end]))
            start = end
        }
    }

    private func batchWriteChunk(tableName: String, _ chunk: [WriteRequest]) async throws(DynamoError) {
        var pending = [tableName: chunk]
        var attempt = 0
        while true {
            attempt += 1
            let output = try await call(
                "BatchWriteItem", BatchWriteItemInput(requestItems: pending), as: BatchWriteItemOutput.self)
            let unprocessed = (output.unprocessedItems ?? [:]).filter { !$0.value.isEmpty }
            if unprocessed.isEmpty { return }
            guard attempt < retry.maxAttempts else {
                let count = unprocessed.values.reduce(0) { $0 + $1.count }
                throw DynamoError(
                    code: .unprocessedItems,
                    message: "\(count) item(s) still unprocessed after \(attempt) attempts",
                    operation: "BatchWriteItem")
            }
            logger.trace(
                "dynamodb batch write has unprocessed items",
                metadata: ["attempt": "\(attempt)", "dynamodb.unprocessed": "\(unprocessed.values.reduce(0) { $0 + $1.count })"])
            pending = unprocessed
            try await backoff(beforeRetry: attempt, operation: "BatchWriteItem")
        }
    }

    /// Applies up to 100 actions atomically. A failed condition throws `.transactionCanceled`
    /// with one reason per action (`None`, `ConditionalCheckFailed`, …) in order.
    public func transactWrite(_ items: [TransactWriteItem], clientRequestToken: String? = nil) async throws(DynamoError) {
        _ = try await call(
            "TransactWriteItems",
            TransactWriteItemsInput(transactItems: items, clientRequestToken: clientRequestToken),
            as: EmptyResponse.self)
    }
}
