import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
import Tracing

/// Discord REST v10: authenticated, rate limited, typed calls (see `DiscordREST+*.swift`).
public struct DiscordREST: Sendable {
    public struct Configuration: Sendable {
        /// `https://discord.com/api/v10`, or an emulator's.
        public var baseURL: String
        /// Sent as `DiscordBot (url, version)`.
        public var userAgentURL: String
        public var userAgentVersion: String
        public var requestTimeout: Duration
        /// How often a 429 or (for idempotent calls) a 502–504 is retried before failing.
        public var maxRetries: Int
        public var globalLimitPerSecond: Int

        public init(baseURL: String = "https://discord.com/api/v\(DiscordAPI.version)",
                    userAgentURL: String = DiscordAPI.libraryURL, userAgentVersion: String = DiscordAPI.libraryVersion,
                    requestTimeout: Duration = .seconds(15), maxRetries: Int = 3, globalLimitPerSecond: Int = 50) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.userAgentURL = userAgentURL
            self.userAgentVersion = userAgentVersion
            self.requestTimeout = requestTimeout
            self.maxRetries = maxRetries
            self.globalLimitPerSecond = globalLimitPerSecond
        }
    }

    public let configuration: Configuration
    public let rateLimiter: RESTRateLimiter
    private let token: BotToken
    private let transport: any RESTTransport
    private let time: DiscordTimeSource
    private let logger: Logger

    public init(token: BotToken, configuration: Configuration = .init(), transport: any RESTTransport = HTTPClientTransport(),
                time: DiscordTimeSource = .continuous, logger: Logger = Logger(label: "discordkit.rest")) {
        self.token = token
        self.configuration = configuration
        self.transport = transport
        self.time = time
        self.logger = logger
        self.rateLimiter = RESTRateLimiter(time: time, globalLimitPerSecond: configuration.globalLimitPerSecond)
    }

    // MARK: Sending

    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()

    func request<Response: Decodable>(_ route: RESTRoute, body: some Encodable) async throws -> Response {
        try decodeAnswer(route, try await send(route, body: try encode(route, body)))
    }

    func request<Response: Decodable>(_ route: RESTRoute) async throws -> Response {
        try decodeAnswer(route, try await send(route, body: nil))
    }

    func requestNoContent(_ route: RESTRoute, body: some Encodable) async throws {
        _ = try await send(route, body: try encode(route, body))
    }

    func requestNoContent(_ route: RESTRoute) async throws {
        _ = try await send(route, body: nil)
    }

    private func encode(_ route: RESTRoute, _ body: some Encodable) throws -> ByteBuffer {
        do {
            return ByteBuffer(data: try Self.encoder.encode(body))
        } catch {
            throw DiscordRESTError(kind: .invalidRequest, route: route.template, message: "the body did not encode",
                                   underlying: error)
        }
    }

    private func decodeAnswer<Response: Decodable>(_ route: RESTRoute, _ response: RESTResponse) throws -> Response {
        do {
            return try Self.decoder.decode(Response.self, from: response.body)
        } catch {
            throw DiscordRESTError(kind: .decoding, route: route.template, status: response.status,
                                   message: "the answer did not decode as \(Response.self)", underlying: error)
        }
    }

    /// Sends with rate limiting and retries; throws `DiscordRESTError` for any non-2xx answer.
    func send(_ route: RESTRoute, body: ByteBuffer?) async throws -> RESTResponse {
        // A client span only inside a traced operation (an interaction, a job).
        guard ServiceContext.current != nil else { return try await exchange(route, body: body) }
        return try await withSpan("discord \(route.template)", ofKind: .client) { span in
            span.attributes["http.request.method"] = route.verb.rawValue
            let response = try await exchange(route, body: body)
            span.attributes["http.response.status_code"] = response.status
            return response
        }
    }

    private func exchange(_ route: RESTRoute, body: ByteBuffer?) async throws -> RESTResponse {
        let request = makeRequest(route, body: body)
        var attempt = 0
        while true {
            let ticket = try await rateLimiter.acquire(route)
            let response: RESTResponse
            let sent = time.now()
            do {
                response = try await transport.execute(request, timeout: configuration.requestTimeout)
                let now = time.now()
                RESTMetrics.shared.record(route, status: response.status, scope: response.header("X-RateLimit-Scope"),
                                          duration: now - sent, now: now)
            } catch {
                await rateLimiter.cancel(ticket)
                if error is CancellationError { throw error }
                throw DiscordRESTError(kind: .transport, route: route.template,
                                       message: "no answer from Discord (\(type(of: error)))", underlying: error)
            }
            let retryAfter = await rateLimiter.complete(ticket, route: route, response: response)
            if RESTRateLimiter.isEdgeBan(response) {
                // Retrying would only prolong the ban: say what happened, at once.
                let seconds = Int((retryAfter ?? .zero).secondsValue.rounded(.up))
                throw DiscordRESTError(
                    kind: .rateLimited, route: route.template, status: 429,
                    message: "Discord refuses this address for too many invalid requests (401/403/429); "
                        + "retry after \(seconds) s")
            }
            if response.status == 429 {
                attempt += 1
                logger.debug("rate limited", metadata: [
                    "route": "\(route.template)", "retry_after_ms": "\((retryAfter ?? .zero).secondsValue * 1000)",
                ])
                if attempt > configuration.maxRetries { throw Self.error(route, response, kind: .rateLimited) }
                continue
            }
            if (502...504).contains(response.status), route.verb != .post, route.verb != .patch,
               attempt < configuration.maxRetries
            {
                attempt += 1
                try await time.sleep(.milliseconds(500 * attempt))
                continue
            }
            guard (200..<300).contains(response.status) else { throw Self.error(route, response, kind: .http) }
            return response
        }
    }

    private func makeRequest(_ route: RESTRoute, body: ByteBuffer?) -> RESTRequest {
        var url = configuration.baseURL + route.path
        if !route.query.isEmpty {
            url += "?" + route.query.map { "\($0)=\($1)" }.joined(separator: "&")
        }
        var headers: [(String, String)] = [
            ("User-Agent", "DiscordBot (\(configuration.userAgentURL), \(configuration.userAgentVersion))"),
        ]
        if route.authenticated { headers.append(("Authorization", token.authorizationHeader)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return RESTRequest(verb: route.verb, url: url, headers: headers, body: body, route: route)
    }

    static func error(_ route: RESTRoute, _ response: RESTResponse, kind: DiscordRESTError.Kind) -> DiscordRESTError {
        let body = try? decoder.decode(DiscordErrorBody.self, from: response.body)
        return DiscordRESTError(kind: kind, route: route.template, status: response.status, code: body?.code,
                                message: body?.message ?? "HTTP \(response.status)",
                                fieldErrors: body?.fieldErrors ?? [])
    }
}
