import Testing
@testable import DiscordKit
import Foundation
import NIOCore
import Synchronization

/// A transport that answers from a closure and records what it was sent.
final class FakeTransport: RESTTransport, Sendable {
    struct Sent: Sendable {
        let request: RESTRequest
        let at: Duration
    }

    private let sent = Mutex<[Sent]>([])
    private let inFlight = Mutex(0)
    let maxInFlight = Mutex(0)
    let time: DiscordTimeSource
    let respond: @Sendable (RESTRequest, Duration) async throws -> RESTResponse

    init(time: DiscordTimeSource = .continuous,
         respond: @escaping @Sendable (RESTRequest, Duration) async throws -> RESTResponse) {
        self.time = time
        self.respond = respond
    }

    var requests: [Sent] { sent.withLock { $0 } }

    func execute(_ request: RESTRequest, timeout: Duration) async throws -> RESTResponse {
        let now = time.now()
        sent.withLock { $0.append(Sent(request: request, at: now)) }
        let current = inFlight.withLock { value -> Int in
            value += 1
            return value
        }
        maxInFlight.withLock { $0 = max($0, current) }
        defer { inFlight.withLock { $0 -= 1 } }
        return try await respond(request, now)
    }
}

func jsonResponse(_ status: Int, _ json: String, headers: [(String, String)] = []) -> RESTResponse {
    RESTResponse(status: status, headers: [("Content-Type", "application/json")] + headers,
                 body: ByteBuffer(string: json))
}

func bodyJSON(_ request: RESTRequest) throws -> JSONValue {
    let body = try #require(request.body)
    return try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
}

