import AsyncHTTPClient
import Foundation
import NIOCore
import Tracing
import NIOFoundationCompat

/// Where a node lives and how to authenticate. The password is redacted whenever printed.
public struct NodeEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var secure: Bool
    public var password: LavalinkPassword

    public init(host: String, port: Int, secure: Bool = false, password: String) {
        self.host = host
        self.port = port
        self.secure = secure
        self.password = LavalinkPassword(password)
    }

    var httpBase: String { "\(secure ? "https" : "http")://\(host):\(port)" }
    var websocketURL: String { "\(secure ? "wss" : "ws")://\(host):\(port)/v4/websocket" }
    public var description: String { httpBase }
}

/// The REST half of one Lavalink node. Stateless apart from the endpoint; cheap to copy.
public struct LavalinkREST: Sendable {
    public let endpoint: NodeEndpoint
    /// Used in error messages only.
    public let nodeName: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    /// Bounds what a misbehaving node can make us buffer.
    let maxResponseBytes = 16 * 1024 * 1024

    public init(endpoint: NodeEndpoint, nodeName: String, httpClient: HTTPClient = LavalinkREST.sharedHTTPClient, timeout: Duration = .seconds(10)) {
        self.endpoint = endpoint
        self.nodeName = nodeName
        self.httpClient = httpClient
        self.timeout = TimeAmount(timeout)
    }

    // MARK: Server

    /// `GET /version`: the plain-text server version, e.g. `4.2.2`.
    public func version() async throws -> String {
        let buffer = try await send(.GET, "/version")
        return String(buffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func info() async throws -> NodeInfo { try await decode(try await send(.GET, "/v4/info")) }

    public func stats() async throws -> NodeStats { try await decode(try await send(.GET, "/v4/stats")) }

    /// Fails with `.unsupportedVersion` on a server older than 4.2 (no end-to-end encrypted voice).
    @discardableResult
    public func checkVersion() async throws -> NodeInfo.Version {
        try await checkedInfo().version
    }

    /// `/v4/info`, failing with `.unsupportedVersion` on a server older than 4.2.
    public func checkedInfo() async throws -> NodeInfo {
        let info = try await info()
        let version = info.version
        let minimum = LavalinkAPI.minimumServerVersion
        guard (version.major, version.minor) >= (minimum.major, minimum.minor) else {
            throw LavalinkError(
                .unsupportedVersion,
                "Lavalink \(version.semver) is too old: Discord's end-to-end encrypted voice (DAVE) needs Lavalink 4.2 or newer. Upgrade the node.",
                node: nodeName
            )
        }
        return info
    }

    // MARK: Tracks

    public func loadTracks(_ identifier: String) async throws -> LoadResult {
        try await decode(try await send(.GET, "/v4/loadtracks", query: ["identifier": identifier]))
    }

    public func decodeTrack(_ encoded: String) async throws -> Track {
        try await decode(try await send(.GET, "/v4/decodetrack", query: ["encodedTrack": encoded]))
    }

    public func decodeTracks(_ encoded: [String]) async throws -> [Track] {
        guard !encoded.isEmpty else { return [] }
        return try await decode(try await send(.POST, "/v4/decodetracks", body: encoded))
    }

    // MARK: Sessions and players

    public func updateSession(_ sessionId: String, _ configuration: SessionConfiguration) async throws -> SessionConfiguration {
        try await decode(try await send(.PATCH, "/v4/sessions/\(pathSegment(sessionId))", body: configuration))
    }

    public func players(sessionId: String) async throws -> [Player] {
        try await decode(try await send(.GET, "/v4/sessions/\(pathSegment(sessionId))/players"))
    }

    /// The player, or nil when the node has none for the guild (HTTP 404).
    public func player(sessionId: String, guildId: String) async throws -> Player? {
        do {
            return try await decode(try await send(.GET, playerPath(sessionId, guildId)))
        } catch let error as LavalinkError where error.status == 404 && error.serverBody?.message != "Session not found" {
            return nil
        }
    }

    /// Creates or updates the player. With `noReplace`, a new track does not replace a playing one
    /// (the other fields still apply).
    @discardableResult
    public func updatePlayer(sessionId: String, guildId: String, _ update: PlayerUpdate, noReplace: Bool = false) async throws -> Player {
        let query = noReplace ? ["noReplace": "true"] : [:]
        return try await decode(try await send(.PATCH, playerPath(sessionId, guildId), query: query, body: update))
    }

    public func destroyPlayer(sessionId: String, guildId: String) async throws {
        _ = try await send(.DELETE, playerPath(sessionId, guildId))
    }

    // MARK: Transport

    enum RequestMethod: String { case GET, POST, PUT, PATCH, DELETE }

    func playerPath(_ sessionId: String, _ guildId: String) -> String {
        "/v4/sessions/\(pathSegment(sessionId))/players/\(pathSegment(guildId))"
    }

    func pathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? ""
    }

    func send(_ method: RequestMethod, _ path: String, query: [String: String] = [:]) async throws -> ByteBuffer {
        try await send(method, path, query: query, bodyData: nil)
    }

    func send(_ method: RequestMethod, _ path: String, query: [String: String] = [:], body: some Encodable) async throws -> ByteBuffer {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw LavalinkError(.invalidRequest, "could not encode the request body for \(path)", node: nodeName, underlying: error)
        }
        return try await send(method, path, query: query, bodyData: ByteBuffer(data: data))
    }

    private func send(_ method: RequestMethod, _ path: String, query: [String: String], bodyData: ByteBuffer?) async throws -> ByteBuffer {
        // A client span only inside a traced operation: background calls (stats, resume) would
        // each start a trace of their own and drown the ones that matter.
        guard ServiceContext.current != nil else {
            return try await exchange(method, path, query: query, bodyData: bodyData)
        }
        return try await withSpan("lavalink \(method.rawValue) \(Self.template(path))", ofKind: .client) { span in
            span.attributes["lavalink.node"] = nodeName
            span.attributes["http.request.method"] = method.rawValue
            return try await exchange(method, path, query: query, bodyData: bodyData)
        }
    }

    /// The path with session and guild ids replaced, so span names stay few.
    static func template(_ path: String) -> String {
        var previous = ""
        return path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            defer { previous = String(segment) }
            return previous == "sessions" || previous == "players" ? "{id}" : String(segment)
        }.joined(separator: "/")
    }

    private func exchange(_ method: RequestMethod, _ path: String, query: [String: String], bodyData: ByteBuffer?) async throws -> ByteBuffer {
        var url = endpoint.httpBase + path
        if !query.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+?#")
            url += "?" + query.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        switch method {
        case .GET: request.method = .GET
        case .POST: request.method = .POST
        case .PUT: request.method = .PUT
        case .PATCH: request.method = .PATCH
        case .DELETE: request.method = .DELETE
        }
        request.headers.add(name: "Authorization", value: endpoint.password.value)
        if let bodyData {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(bodyData)
        }
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: maxResponseBytes)
        } catch let error as HTTPClientError where error == .getConnectionFromPoolTimeout {
            throw LavalinkError(.clientBusy, "\(method) \(path) waited too long for a connection to the node",
                                node: nodeName, underlying: error)
        } catch {
            throw LavalinkError(.transport, "\(method) \(path) failed", node: nodeName, underlying: error)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = try? JSONDecoder().decode(LavalinkErrorBody.self, from: buffer)
            let code: LavalinkError.Code = (status == 401 || status == 403) ? .unauthorized : .server
            let message = code == .unauthorized
                ? "the node refused the password (check the configured Lavalink password)"
                : body.map { "\(method) \(path): \($0.message)" } ?? "\(method) \(path) answered \(status)"
            throw LavalinkError(code, message, node: nodeName, status: status, serverBody: body)
        }
        return buffer
    }

    func decode<T: Decodable>(_ buffer: ByteBuffer) async throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: buffer)
        } catch {
            throw LavalinkError(.decoding, "unexpected \(T.self) payload", node: nodeName, underlying: error)
        }
    }
}
