import AnankorTesting
import Foundation
import Logging
import AnankorTestSupport
import Testing

@testable import DynamoKit

/// Every operation against moto's DynamoDB server, through the real HTTP transport and signer.
@Suite(.motoServer) struct MotoOperationTests {
    func makeClient() throws -> DynamoClient {
        let server = try MotoServerTrait.server()
        let configuration = try DynamoConfiguration.fromEnvironment(server.environment)
        return DynamoClient(configuration: configuration, logger: Logger(label: "dynamokit.test"))
    }

    /// A fresh table per test: pk/sk strings and a `byUser` index on gsi1pk/gsi1sk.
    func makeTable(_ dynamo: DynamoClient) async throws -> String {
        let name = "t-\(UUID().uuidString.prefix(8))"
        try await dynamo.createTable(CreateTableInput(
            tableName: name,
            attributeDefinitions: [
                .init("pk", .string), .init("sk", .string), .init("gsi1pk", .string), .init("gsi1sk", .string),
            ],
            keySchema: [.init("pk", .hash), .init("sk", .range)],
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(name: "byUser", keySchema: [.init("gsi1pk", .hash), .init("gsi1sk", .range)])
            ]))
        try await dynamo.waitUntilActive(name, timeout: .seconds(30))
        return name
    }

    @Test func createsDescribesAndEnablesTimeToLive() async throws {
        let dynamo = try makeClient()
        let table = try await makeTable(dynamo)
        let description = try await dynamo.describeTable(table)
        #expect(description.isActive)
        #expect(description.keySchema.map(\.name) == ["pk", "sk"])
        #expect(description.globalSecondaryIndexes.map(\.name) == ["byUser"])
        try await dynamo.updateTimeToLive(tableName: table, attributeName: "expiresAt", enabled: true)
        let ttl = try await dynamo.describeTimeToLive(table)
        #expect(ttl.status == "ENABLED")
        #expect(ttl.attributeName == "expiresAt")
        let again = await #expect(throws: DynamoError.self) { try await makeTableNamed(dynamo, table) }
        #expect(again?.code == .resourceInUse)
    }

    private func makeTableNamed(_ dynamo: DynamoClient, _ name: String) async throws {
        try await dynamo.createTable(CreateTableInput(
            tableName: name, attributeDefinitions: [.init("pk", .string)], keySchema: [.init("pk", .hash)]))
    }

    @Test func missingTableIsResourceNotFound() async throws {
        let error = await #expect(throws: DynamoError.self) { try await makeClient().describeTable("no-such-table") }
        #expect(error?.code == .resourceNotFound)
        #expect(error?.message.isEmpty == false)
    }

    @Test func putGetUpdateDeleteWithConditions() async throws {
        let dynamo = try makeClient()
        let table = try await makeTable(dynamo)
        let key: Item = ["pk": "USER#1", "sk": "PROFILE"]
        try await dynamo.putItem(PutItemInput(
            tableName: table, item: key.merging(["visits": 1, "name": "Ada"]) { $1 },
            condition: "attribute_not_exists(pk)"))

        let duplicate = await #expect(throws: DynamoError.self) {
            try await dynamo.putItem(PutItemInput(
                tableName: table, item: key, condition: "attribute_not_exists(pk)"))
        }
        #expect(duplicate?.code == .conditionalCheckFailed)

        let updated = try await dynamo.updateItem(UpdateItemInput(
            tableName: table, key: key, update: "SET #v = #v + :one, #n = :name", condition: "#v = :expected",
            attributes: ExpressionAttributes(
                names: ["#v": "visits", "#n": "name"], values: [":one": 1, ":expected": 1, ":name": "Grace"]),
            returnValues: .allNew))
        #expect(updated?["visits"] == .n("2"))
        #expect(updated?["name"] == .s("Grace"))

        let read = try await dynamo.getItem(GetItemInput(tableName: table, key: key))
        #expect(read?["visits"]?.intValue == 2)

        let stale = await #expect(throws: DynamoError.self) {
            try await dynamo.deleteItem(DeleteItemInput(
                tableName: table, key: key, condition: "visits = :one", attributes: .init(values: [":one": 1])))
        }
        #expect(stale?.code == .conditionalCheckFailed)
        let deleted = try await dynamo.deleteItem(DeleteItemInput(tableName: table, key: key, returnValues: .allOld))
        #expect(deleted?["name"] == .s("Grace"))
        #expect(try await dynamo.getItem(GetItemInput(tableName: table, key: key)) == nil)
    }

    @Test func queryPaginatesInBothDirectionsAndOnTheIndex() async throws {
        let dynamo = try makeClient()
        let table = try await makeTable(dynamo)
        let items: [WriteRequest] = (0..<7).map { index in
            .put([
                "pk": "GUILD#1", "sk": .s("GAME#\(index)"), "gsi1pk": .s("USER#\(index % 2)"),
                "gsi1sk": .s("GAME#\(index)"), "n": .number(index),
            ])
        }
        try await dynamo.batchWrite(tableName: table, items)

        var page = QueryInput(
            tableName: table, keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
            attributes: .init(values: [":pk": "GUILD#1", ":prefix": "GAME#"]), limit: 3, scanIndexForward: false)
        var seen: [Int] = []
        var pages = 0
        repeat {
            let output = try await dynamo.query(page)
            seen += output.items.compactMap { $0["n"]?.intValue }
            page.exclusiveStartKey = output.lastEvaluatedKey
            pages += 1
        } while page.exclusiveStartKey != nil && pages < 10
        #expect(seen == [6, 5, 4, 3, 2, 1, 0])
        #expect(pages >= 3)

        let user = try await dynamo.queryAll(QueryInput(
            tableName: table, indexName: "byUser", keyCondition: "gsi1pk = :u",
            attributes: .init(values: [":u": "USER#1"]), limit: 1))
        #expect(user.compactMap { $0["n"]?.intValue } == [1, 3, 5])
    }

    @Test func batchWriteDeletesAndTransactionsCancelWithReasons() async throws {
        let dynamo = try makeClient()
        let table = try await makeTable(dynamo)
        let puts: [WriteRequest] = (0..<30).map { .put(["pk": "P", "sk": .s(String(format: "%03d", $0))]) }
        try await dynamo.batchWrite(tableName: table, puts)
        let all = QueryInput(tableName: table, keyCondition: "pk = :p", attributes: .init(values: [":p": "P"]))
        #expect(try await dynamo.queryAll(all).count == 30)
        try await dynamo.batchWrite(tableName: table, (0..<30).map { .delete(key: ["pk": "P", "sk": .s(String(format: "%03d", $0))]) })
        #expect(try await dynamo.queryAll(all).isEmpty)

        try await dynamo.transactWrite([
            .put(tableName: table, item: ["pk": "A", "sk": "1", "v": 1], condition: "attribute_not_exists(pk)"),
            .put(tableName: table, item: ["pk": "B", "sk": "1", "v": 1]),
        ])
        let cancelled = await #expect(throws: DynamoError.self) {
            try await dynamo.transactWrite([
                .update(
                    tableName: table, key: ["pk": "B", "sk": "1"], update: "SET v = :two",
                    attributes: .init(values: [":two": 2])),
                .put(tableName: table, item: ["pk": "A", "sk": "1", "v": 9], condition: "attribute_not_exists(pk)"),
            ])
        }
        #expect(cancelled?.code == .transactionCanceled)
        #expect(cancelled?.cancellationReasons.map(\.code) == ["None", "ConditionalCheckFailed"])
        let untouched = try await dynamo.getItem(GetItemInput(tableName: table, key: ["pk": "B", "sk": "1"]))
        #expect(untouched?["v"] == .n("1"), "a cancelled transaction changes nothing")
    }

    @Test func itemWithoutItsSortKeyIsAValidationError() async throws {
        let dynamo = try makeClient()
        let table = try await makeTable(dynamo)
        let error = await #expect(throws: DynamoError.self) {
            try await dynamo.putItem(PutItemInput(tableName: table, item: ["pk": "only-the-partition-key"]))
        }
        #expect(error?.code == .validation)
        #expect(error?.message.isEmpty == false)
    }
}
