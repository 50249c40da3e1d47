import Foundation
import Logging
import Testing

@testable import DynamoKit

@Suite struct RetryTests {
    let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: .microseconds(1), maxDelay: .microseconds(10))

    func client(_ transport: ScriptedTransport) -> DynamoClient {
        DynamoClient(transport: transport, retry: fastRetry, logger: Logger(label: "test"))
    }

    func put(_ index: Int) -> WriteRequest { .put(["pk": .s("item-\(index)"), "sk": .s("x")]) }

    @Test func batchWriteResendsOnlyUnprocessedItemsUntilNoneRemain() async throws {
        let leftover = #"{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"item-1"},"sk":{"S":"x"}}}}]}}"#
        let transport = ScriptedTransport([.json(leftover), .json(leftover), .json(#"{"UnprocessedItems":{}}"#)])
        try await client(transport).batchWrite(tableName: "t", [put(0), put(1), put(2)])
        let sent = transport.sent
        #expect(sent.map(\.operation) == ["BatchWriteItem", "BatchWriteItem", "BatchWriteItem"])
        let firstCount = ((sent[0].json?["RequestItems"] as? [String: Any])?["t"] as? [Any])?.count
        let retryCount = ((sent[1].json?["RequestItems"] as? [String: Any])?["t"] as? [Any])?.count
        #expect(firstCount == 3)
        #expect(retryCount == 1, "only the unprocessed item is sent again")
    }

    @Test func batchWriteSplitsIntoChunksOf25() async throws {
        let transport = ScriptedTransport(Array(repeating: .json("{}"), count: 3))
        try await client(transport).batchWrite(tableName: "t", (0..<60).map(put))
        let counts = transport.sent.map { (($0.json?["RequestItems"] as? [String: Any])?["t"] as? [Any])?.count ?? 0 }
        #expect(counts == [25, 25, 10])
    }

    @Test func batchWriteGivesUpWithATypedErrorWhenItemsStayUnprocessed() async throws {
        let leftover = #"{"UnprocessedItems":{"t":[{"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"S":"b"}}}}]}}"#
        let transport = ScriptedTransport(Array(repeating: .json(leftover), count: 4))
        let error = await #expect(throws: DynamoError.self) {
            try await client(transport).batchWrite(tableName: "t", [.delete(key: ["pk": .s("a"), "sk": .s("b")])])
        }
        #expect(error?.code == .unprocessedItems)
        #expect(transport.sent.count == 4)
    }

    @Test func throttlingAndServerErrorsAreRetriedThenSucceed() async throws {
        let transport = ScriptedTransport([
            .error("ProvisionedThroughputExceededException"), .error("InternalServerError", status: 500),
            .json(#"{"Item":{"pk":{"S":"a"}}}"#),
        ])
        let item = try await client(transport).getItem(GetItemInput(tableName: "t", key: ["pk": .s("a")]))
        #expect(item == ["pk": .s("a")])
        #expect(transport.sent.count == 3)
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        let transport = ScriptedTransport(Array(repeating: .error("ThrottlingException"), count: 10))
        let error = await #expect(throws: DynamoError.self) {
            try await client(transport).getItem(GetItemInput(tableName: "t", key: ["pk": .s("a")]))
        }
        #expect(error?.code == .throttled)
        #expect(transport.sent.count == 4)
    }

    @Test func conditionalFailuresAreNotRetried() async throws {
        let transport = ScriptedTransport([.error("ConditionalCheckFailedException", message: "The conditional request failed")])
        let error = await #expect(throws: DynamoError.self) {
            try await client(transport).putItem(PutItemInput(
                tableName: "t", item: ["pk": .s("a")], condition: "attribute_not_exists(pk)"))
        }
        #expect(error?.code == .conditionalCheckFailed)
        #expect(error?.message == "The conditional request failed")
        #expect(transport.sent.count == 1)
    }

    @Test func requestsOmitEmptyExpressionMapsAndCarryPlaceholders() async throws {
        let transport = ScriptedTransport([.json("{}"), .json("{}")])
        let dynamo = client(transport)
        try await dynamo.putItem(PutItemInput(tableName: "t", item: ["pk": .s("a")]))
        try await dynamo.updateItem(UpdateItemInput(
            tableName: "t", key: ["pk": .s("a")], update: "SET #n = :v",
            attributes: ExpressionAttributes(names: ["#n": "name"], values: [":v": .s("x")])))
        let put = try #require(transport.sent.first?.json)
        #expect(put["ExpressionAttributeNames"] == nil)
        #expect(put["ExpressionAttributeValues"] == nil)
        let update = try #require(transport.sent.last?.json)
        #expect((update["ExpressionAttributeNames"] as? [String: String]) == ["#n": "name"])
        #expect(update["UpdateExpression"] as? String == "SET #n = :v")
    }

    @Test func backoffStaysWithinTheExponentialCeiling() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100))
        for attempt in 1...8 {
            let ceiling = min(Duration.milliseconds(100), .milliseconds(10) * (1 << (attempt - 1)))
            for _ in 0..<20 {
                let delay = policy.delay(beforeRetry: attempt)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
    }
}
