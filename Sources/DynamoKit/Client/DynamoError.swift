import Foundation

/// A failed DynamoDB call: what kind of failure, DynamoDB's own message, and which operation.
/// Messages are scrubbed of credentials before they are stored here.
public struct DynamoError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A `ConditionExpression` evaluated to false (the once-only write lost).
        case conditionalCheckFailed
        /// The request was malformed (bad expression, wrong key schema, empty set, …).
        case validation
        /// The table or index does not exist (yet).
        case resourceNotFound
        /// The table is being created, updated or already exists.
        case resourceInUse
        /// Throughput exceeded or request rate too high; retried with backoff before surfacing.
        case throttled
        /// A `TransactWriteItems` call was cancelled; see `cancellationReasons`.
        case transactionCanceled
        /// Another transaction touched one of the items at the same time.
        case transactionConflict
        /// Credentials were rejected or the signature did not match.
        case accessDenied
        /// DynamoDB answered with a 5xx; retried before surfacing.
        case serverError
        /// The connection failed or timed out; retried before surfacing.
        case transport
        /// Items were still unprocessed after every `BatchWriteItem` retry.
        case unprocessedItems
        /// The response could not be decoded.
        case malformedResponse
        /// A wait (table becoming ACTIVE) ran out of time.
        case timeout
        /// Any other DynamoDB error type; see `awsType`.
        case other
    }

    /// Why one item of a cancelled transaction failed (`None` when it did not).
    public struct CancellationReason: Sendable, Hashable, Decodable {
        public var code: String
        public var message: String?

        enum CodingKeys: String, CodingKey {
            case code = "Code"
            case message = "Message"
        }

        public init(code: String, message: String? = nil) {
            self.code = code
            self.message = message
        }
    }

    public var code: Code
    public var message: String
    /// The operation name (`PutItem`, `Query`, …).
    public var operation: String
    /// DynamoDB's error type without the namespace (`ConditionalCheckFailedException`).
    public var awsType: String?
    public var statusCode: Int?
    public var cancellationReasons: [CancellationReason]
    public var underlying: (any Error)?

    public init(
        code: Code, message: String, operation: String, awsType: String? = nil,
        statusCode: Int? = nil, cancellationReasons: [CancellationReason] = [],
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.operation = operation
        self.awsType = awsType
        self.statusCode = statusCode
        self.cancellationReasons = cancellationReasons
        self.underlying = underlying
    }

    public var description: String {
        var text = "DynamoDB \(operation) failed (\(code.rawValue)"
        if let awsType { text += ", \(awsType)" }
        if let statusCode { text += ", HTTP \(statusCode)" }
        text += "): \(message)"
        if !cancellationReasons.isEmpty {
            text += " [reasons: \(cancellationReasons.map(\.code).joined(separator: ", "))]"
        }
        return text
    }

    /// Whether trying again later may succeed.
    public var isRetryable: Bool {
        switch code {
        case .throttled, .serverError, .transport: true
        default: false
        }
    }
}

extension DynamoError {
    /// Builds the error for a non-2xx response from its JSON body (`__type`, `message`).
    static func decode(
        status: Int, body: [UInt8], operation: String, credentials: AWSCredentials
    ) -> DynamoError {
        struct Body: Decodable {
            var type: String?
            var message: String?
            var upperMessage: String?
            var cancellationReasons: [CancellationReason]?

            enum CodingKeys: String, CodingKey {
                case type = "__type"
                case message
                case upperMessage = "Message"
                case cancellationReasons = "CancellationReasons"
            }
        }
        let parsed = try? JSONDecoder().decode(Body.self, from: Data(body))
        // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" → the part after '#'.
        let awsType = parsed?.type.map { type in
            type.split(separator: "#").last.map(String.init) ?? type
        }
        let rawMessage =
            parsed?.message ?? parsed?.upperMessage
            ?? String(decoding: body.prefix(300), as: UTF8.self)
        let message = String(credentials.scrub(rawMessage).prefix(1000))
        return DynamoError(
            code: code(awsType: awsType, status: status), message: message.isEmpty ? "HTTP \(status)" : message,
            operation: operation, awsType: awsType, statusCode: status,
            cancellationReasons: parsed?.cancellationReasons ?? [])
    }

    static func code(awsType: String?, status: Int) -> Code {
        switch awsType {
        case "ConditionalCheckFailedException": return .conditionalCheckFailed
        case "ValidationException", "SerializationException": return .validation
        case "ResourceNotFoundException": return .resourceNotFound
        case "ResourceInUseException": return .resourceInUse
        case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
            "LimitExceededException":
            return .throttled
        case "TransactionCanceledException": return .transactionCanceled
        case "TransactionConflictException", "TransactionInProgressException": return .transactionConflict
        case "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException",
            "MissingAuthenticationTokenException", "ExpiredTokenException", "IncompleteSignatureException":
            return .accessDenied
        case "InternalServerError", "ServiceUnavailable", "InternalFailure": return .serverError
        default:
            return status >= 500 ? .serverError : .other
        }
    }
}
