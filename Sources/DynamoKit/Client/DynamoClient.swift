import AsyncHTTPClient
import Foundation
import Logging
import Tracing

/// A DynamoDB client for the JSON protocol (`DynamoDB_20120810`): encodes each operation,
/// retries throttling, 5xx and connection failures with exponential backoff and jitter, and turns
/// error bodies into `DynamoError`s.
public struct DynamoClient: Sendable {
    public let transport: any DynamoTransport
    public let retry: RetryPolicy
    let logger: Logger

    public init(configuration: DynamoConfiguration, httpClient: HTTPClient = .shared, logger: Logger) {
        self.init(
            transport: HTTPDynamoTransport(configuration: configuration, httpClient: httpClient),
            retry: configuration.retry, logger: logger)
    }

    public init(transport: any DynamoTransport, retry: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.transport = transport
        self.retry = retry
        self.logger = logger
    }

    /// Calls `operation` with `input` and decodes the response, retrying what is retryable.
    public func call<Input: Encodable, Output: Decodable>(
        _ operation: String, _ input: Input, as output: Output.Type = Output.self
    ) async throws(DynamoError) -> Output {
        let handles = DynamoCallMetrics.shared.handles(for: operation)
        // A client span only inside a traced operation; the HTTP client's own span is its child.
        let span = ServiceContext.current == nil ? nil : startSpan("dynamodb \(operation)", ofKind: .client)
        span?.attributes["db.system"] = "dynamodb"
        let started = ContinuousClock.now
        let result: Result<Output, DynamoError>
        if let span {
            result = await ServiceContext.withValue(span.context) { await attempt(operation, input, as: output) }
        } else {
            result = await attempt(operation, input, as: output)
        }
        handles.timer.record(duration: ContinuousClock.now - started)
        defer { span?.end() }
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            handles.errors.increment()
            span?.recordError(error)
            throw error
        }
    }

    /// The call with its retries as a value: the typed error passes through the span's context
    /// unchanged.
    private func attempt<Input: Encodable, Output: Decodable>(
        _ operation: String, _ input: Input, as output: Output.Type
    ) async -> Result<Output, DynamoError> {
        do {
            return .success(try await callWithRetries(operation, input, as: output))
        } catch {
            return .failure(error)
        }
    }

    private func callWithRetries<Input: Encodable, Output: Decodable>(
        _ operation: String, _ input: Input, as output: Output.Type
    ) async throws(DynamoError) -> Output {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(input))
        } catch {
            throw DynamoError(
                code: .validation, message: "request could not be encoded: \(error)", operation: operation,
                underlying: error)
        }
        var attempt = 0
        while true {
            attempt += 1
            let failure: DynamoError
            do {
                let response = try await transport.send(operation: operation, body: body)
                if (200..<300).contains(response.status) {
                    return try decode(output, from: response.body, operation: operation)
                }
                failure = DynamoError.decode(
                    status: response.status, body: response.body, operation: operation,
                    credentials: transport.credentials)
            } catch let error as DynamoError {
                failure = error
            } catch {
                failure = DynamoError(
                    code: .transport, message: transport.credentials.scrub("\(error)"), operation: operation,
                    underlying: error)
            }
            guard failure.isRetryable, attempt < retry.maxAttempts else {
                logger.debug(
                    "dynamodb call failed",
                    metadata: ["dynamodb.operation": "\(operation)", "error.code": "\(failure.code.rawValue)"])
                throw failure
            }
            logger.trace(
                "dynamodb call retried",
                metadata: [
                    "dynamodb.operation": "\(operation)", "attempt": "\(attempt)",
                    "error.code": "\(failure.code.rawValue)",
                ])
            try await backoff(beforeRetry: attempt, operation: operation)
        }
    }

    func backoff(beforeRetry attempt: Int, operation: String) async throws(DynamoError) {
        do {
            try await Task.sleep(for: retry.delay(beforeRetry: attempt))
        } catch {
            throw DynamoError(code: .transport, message: "cancelled while waiting to retry", operation: operation, underlying: error)
        }
    }

    private func decode<Output: Decodable>(
        _ type: Output.Type, from body: [UInt8], operation: String
    ) throws(DynamoError) -> Output {
        do {
            // Some operations answer with an empty body; treat it as `{}`.
            return try JSONDecoder().decode(type, from: body.isEmpty ? Data("{}".utf8) : Data(body))
        } catch {
            throw DynamoError(
                code: .malformedResponse, message: "response could not be decoded: \(error)",
                operation: operation, underlying: error)
        }
    }
}

/// For operations whose response carries nothing the caller needs.
public struct EmptyResponse: Decodable, Sendable {}
