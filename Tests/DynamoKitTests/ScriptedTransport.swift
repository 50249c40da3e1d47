import Foundation
import Synchronization

@testable import DynamoKit

/// A transport that answers from a script and records every request, for retry logic that a
/// real server cannot be made to exercise on demand (unprocessed items, throttling).
final class ScriptedTransport: DynamoTransport {
    struct Sent: Sendable {
        var operation: String
        var body: [UInt8]
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    }

    private let state: Mutex<(responses: [DynamoHTTPResponse], sent: [Sent])>
    let credentials = AWSCredentials(accessKeyID: "stub-access", secretAccessKey: "stub-secret")

    init(_ responses: [DynamoHTTPResponse]) {
        state = Mutex((responses, []))
    }

    var sent: [Sent] { state.withLock { $0.sent } }

    func send(operation: String, body: [UInt8]) async throws -> DynamoHTTPResponse {
        try state.withLock { state in
            state.sent.append(Sent(operation: operation, body: body))
            guard !state.responses.isEmpty else { throw CancellationError() }
            return state.responses.removeFirst()
        }
    }
}

extension DynamoHTTPResponse {
    static func json(_ text: String, status: Int = 200) -> DynamoHTTPResponse {
        DynamoHTTPResponse(status: status, body: Array(text.utf8))
    }

    static func error(_ type: String, status: Int = 400, message: String = "scripted") -> DynamoHTTPResponse {
        .json(#"{"__type":"com.amazonaws.dynamodb.v20120810#\#(type)","message":"\#(message)"}"#, status: status)
    }
}
