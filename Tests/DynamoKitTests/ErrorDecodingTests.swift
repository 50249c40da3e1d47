import Foundation
import Testing

@testable import DynamoKit

@Suite struct ErrorDecodingTests {
    let credentials = AWSCredentials(
        accessKeyID: "AKIAREALLOOKINGKEY", secretAccessKey: "secret/KEY+material", sessionToken: "session-token-abc")

    @Test(arguments: [
        ("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400, DynamoError.Code.conditionalCheckFailed),
        ("com.amazon.coral.validate#ValidationException", 400, .validation),
        ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400, .resourceNotFound),
        ("com.amazonaws.dynamodb.v20120810#ResourceInUseException", 400, .resourceInUse),
        ("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400, .throttled),
        ("com.amazon.coral.availability#ThrottlingException", 400, .throttled),
        ("com.amazonaws.dynamodb.v20120810#TransactionConflictException", 400, .transactionConflict),
        ("com.amazon.coral.service#UnrecognizedClientException", 400, .accessDenied),
        ("com.amazonaws.dynamodb.v20120810#InternalServerError", 500, .serverError),
        ("com.amazonaws.dynamodb.v20120810#SomethingNew", 400, .other),
        ("", 503, .serverError),
    ])
    func mapsDynamoErrorTypes(_ type: String, _ status: Int, _ code: DynamoError.Code) {
        let body = #"{"__type":"\#(type)","message":"what went wrong"}"#
        let error = DynamoError.decode(status: status, body: Array(body.utf8), operation: "PutItem", credentials: credentials)
        #expect(error.code == code)
        #expect(error.message == "what went wrong")
        #expect(error.statusCode == status)
        #expect(error.description.contains("PutItem"))
    }

    @Test func transactionCancellationCarriesReasons() {
        let body = #"""
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
             "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
             "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}
            """#
        let error = DynamoError.decode(status: 400, body: Array(body.utf8), operation: "TransactWriteItems", credentials: credentials)
        #expect(error.code == .transactionCanceled)
        #expect(error.cancellationReasons.map(\.code) == ["None", "ConditionalCheckFailed"])
        #expect(error.message.hasPrefix("Transaction cancelled"))
    }

    @Test func messagesNeverEchoCredentials() {
        let body = ##"{"__type":"#InvalidSignatureException","message":"Check AKIAREALLOOKINGKEY with secret/KEY+material and token session-token-abc"}"##
        let error = DynamoError.decode(status: 400, body: Array(body.utf8), operation: "GetItem", credentials: credentials)
        for text in [error.message, error.description] {
            #expect(!text.contains("AKIAREALLOOKINGKEY"))
            #expect(!text.contains("secret/KEY+material"))
            #expect(!text.contains("session-token-abc"))
        }
        #expect(error.code == .accessDenied)
    }

    @Test func nonJSONBodiesStillProduceAnError() {
        let error = DynamoError.decode(status: 502, body: Array("<html>bad gateway</html>".utf8), operation: "Query", credentials: credentials)
        #expect(error.code == .serverError)
        #expect(error.isRetryable)
        #expect(error.message.contains("bad gateway"))
    }
}
