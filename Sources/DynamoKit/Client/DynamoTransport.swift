import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A raw DynamoDB response.
public struct DynamoHTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Sends one JSON-protocol request and returns the raw response. The HTTP transport signs and
/// posts; tests can substitute a stub to script responses (unprocessed items, throttling).
public protocol DynamoTransport: Sendable {
    /// - Parameters:
    ///   - operation: the operation name, e.g. `PutItem` (sent as `X-Amz-Target`).
    ///   - body: the JSON request body.
    func send(operation: String, body: [UInt8]) async throws -> DynamoHTTPResponse

    /// Secrets the transport holds, so the client can scrub them from error messages.
    var credentials: AWSCredentials { get }
}

/// Posts SigV4-signed requests to a DynamoDB endpoint with AsyncHTTPClient.
public struct HTTPDynamoTransport: DynamoTransport {
    public let configuration: DynamoConfiguration
    private let httpClient: HTTPClient
    private let signer: SigV4Signer
    private let now: @Sendable () -> Date

    /// The largest response accepted (DynamoDB pages are at most 1 MB of items plus framing).
    static let maxResponseBytes = 16 << 20

    public init(
        configuration: DynamoConfiguration, httpClient: HTTPClient = .shared,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "dynamodb")
        self.now = now
    }

    public var credentials: AWSCredentials { configuration.credentials }

    public func send(operation: String, body: [UInt8]) async throws -> DynamoHTTPResponse {
        let headers: [(name: String, value: String)] = [
            ("Host", configuration.endpoint.hostHeader),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "\(DynamoAPI.targetPrefix).\(operation)"),
        ]
        let signature = signer.sign(SigV4Request(method: "POST", path: "/", headers: headers, body: body), date: now())
        var request = HTTPClientRequest(url: configuration.endpoint.url)
        request.method = .POST
        for (name, value) in headers + signature.headersToAdd {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeout = configuration.requestTimeout.components
        let response = try await httpClient.execute(
            request, timeout: .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000))
        let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
        return DynamoHTTPResponse(status: Int(response.status.code), body: Array(buffer.readableBytesView))
    }
}
