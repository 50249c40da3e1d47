public import NIOCore
import AsyncHTTPClient

/// A request as the transport sends it. Its description names the route template only: the URL
/// may hold an interaction token and the headers the bot token.
public struct RESTRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "RESTRequest(\(route.template))" }
    public var debugDescription: String { description }

    public var verb: HTTPVerb
    public var url: String
    public var headers: [(String, String)]
    public var body: ByteBuffer?
    public var route: RESTRoute

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// An answer as the transport returns it.
public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: ByteBuffer

    public init(status: Int, headers: [(String, String)] = [], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Sends one HTTP request. The default runs on AsyncHTTPClient; tests substitute their own.
public protocol RESTTransport: Sendable {
    func execute(_ request: RESTRequest, timeout: Duration) async throws -> RESTResponse
}

/// The AsyncHTTPClient transport.
public struct HTTPClientTransport: RESTTransport {
    let client: HTTPClient
    /// Bodies larger than this are refused (a hostile or broken server cannot exhaust memory).
    let maxResponseSize: Int

    public init(client: HTTPClient = .shared, maxResponseSize: Int = 8 << 20) {
        self.client = client
        self.maxResponseSize = maxResponseSize
    }

    public func execute(_ request: RESTRequest, timeout: Duration) async throws -> RESTResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .init(rawValue: request.verb.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(timeout.secondsValue * 1e9)))
        let body = try await response.body.collect(upTo: maxResponseSize)
        return RESTResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                            body: body)
    }
}

