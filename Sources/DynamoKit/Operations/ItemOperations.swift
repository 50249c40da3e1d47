/// `ReturnValues` of the write operations.
public enum ReturnValues: String, Sendable, Encodable {
    case none = "NONE"
    case allOld = "ALL_OLD"
    case updatedOld = "UPDATED_OLD"
    case allNew = "ALL_NEW"
    case updatedNew = "UPDATED_NEW"
}

/// `#name` and `:value` placeholders used by condition, update, key-condition and filter
/// expressions. Empty maps are left out of the request, as DynamoDB rejects them.
public struct ExpressionAttributes: Sendable {
    public var names: [String: String]
    public var values: Item

    public init(names: [String: String] = [:], values: Item = [:]) {
        self.names = names
        self.values = values
    }

    var encodedNames: [String: String]? { names.isEmpty ? nil : names }
    var encodedValues: Item? { values.isEmpty ? nil : values }
}

/// A request field name as DynamoDB spells it (`TableName`, `ConditionExpression`, …).
struct WireKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringLiteral value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer where K == WireKey {
    /// The fields every conditional write shares.
    mutating func encodeWrite(
        tableName: String, condition: String?, attributes: ExpressionAttributes, returnValues: ReturnValues?
    ) throws {
        try encode(tableName, forKey: "TableName")
        try encodeIfPresent(condition, forKey: "ConditionExpression")
        try encodeIfPresent(attributes.encodedNames, forKey: "ExpressionAttributeNames")
        try encodeIfPresent(attributes.encodedValues, forKey: "ExpressionAttributeValues")
        try encodeIfPresent(returnValues, forKey: "ReturnValues")
    }
}

public struct PutItemInput: Sendable, Encodable {
    public var tableName: String
    public var item: Item
    public var condition: String?
    public var attributes: ExpressionAttributes
    public var returnValues: ReturnValues?

    public init(
        tableName: String, item: Item, condition: String? = nil,
        attributes: ExpressionAttributes = .init(), returnValues: ReturnValues? = nil
    ) {
        self.tableName = tableName
        self.item = item
        self.condition = condition
        self.attributes = attributes
        self.returnValues = returnValues
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encodeWrite(tableName: tableName, condition: condition, attributes: attributes, returnValues: returnValues)
        try container.encode(item, forKey: "Item")
    }
}

public struct GetItemInput: Sendable, Encodable {
    public var tableName: String
    public var key: Item
    public var consistentRead: Bool

    public init(tableName: String, key: Item, consistentRead: Bool = true) {
        self.tableName = tableName
        self.key = key
        self.consistentRead = consistentRead
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", key = "Key", consistentRead = "ConsistentRead"
    }
}

public struct UpdateItemInput: Sendable, Encodable {
    public var tableName: String
    public var key: Item
    /// e.g. `SET #count = if_not_exists(#count, :zero) + :one`.
    public var update: String
    public var condition: String?
    public var attributes: ExpressionAttributes
    public var returnValues: ReturnValues?

    public init(
        tableName: String, key: Item, update: String, condition: String? = nil,
        attributes: ExpressionAttributes = .init(), returnValues: ReturnValues? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.update = update
        self.condition = condition
        self.attributes = attributes
        self.returnValues = returnValues
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encodeWrite(tableName: tableName, condition: condition, attributes: attributes, returnValues: returnValues)
        try container.encode(key, forKey: "Key")
        try container.encode(update, forKey: "UpdateExpression")
    }
}

public struct DeleteItemInput: Sendable, Encodable {
    public var tableName: String
    public var key: Item
    public var condition: String?
    public var attributes: ExpressionAttributes
    public var returnValues: ReturnValues?

    public init(
        tableName: String, key: Item, condition: String? = nil,
        attributes: ExpressionAttributes = .init(), returnValues: ReturnValues? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.condition = condition
        self.attributes = attributes
        self.returnValues = returnValues
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encodeWrite(tableName: tableName, condition: condition, attributes: attributes, returnValues: returnValues)
        try container.encode(key, forKey: "Key")
    }
}

/// The `Attributes` a write returned (with `ReturnValues`), or the `Item` a read found.
struct AttributesResponse: Decodable {
    var attributes: Item?
    var item: Item?

    enum CodingKeys: String, CodingKey {
        case attributes = "Attributes", item = "Item"
    }
}

extension DynamoClient {
    /// Writes an item. With `returnValues: .allOld`, returns the item it replaced.
    @discardableResult
    public func putItem(_ input: PutItemInput) async throws(DynamoError) -> Item? {
        try await call("PutItem", input, as: AttributesResponse.self).attributes
    }

    /// Reads one item by its full key; `nil` when there is none. Strongly consistent by default.
    public func getItem(_ input: GetItemInput) async throws(DynamoError) -> Item? {
        try await call("GetItem", input, as: AttributesResponse.self).item
    }

    /// Applies an update expression; returns the attributes `returnValues` asks for.
    @discardableResult
    public func updateItem(_ input: UpdateItemInput) async throws(DynamoError) -> Item? {
        try await call("UpdateItem", input, as: AttributesResponse.self).attributes
    }

    /// Deletes an item; with `returnValues: .allOld`, returns what was deleted.
    @discardableResult
    public func deleteItem(_ input: DeleteItemInput) async throws(DynamoError) -> Item? {
        try await call("DeleteItem", input, as: AttributesResponse.self).attributes
    }
}
