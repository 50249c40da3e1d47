import Foundation
import HTTPTypes
import Hummingbird

/// Query parameters decoded the way Spring does (`+` is a space).
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }

    subscript(_ key: String) -> String? { values[key] }
}

extension HTTPField.Name {
    static let lavalinkApiVersion = HTTPField.Name("Lavalink-Api-Version")!
    static let sessionResumed = HTTPField.Name("Session-Resumed")!
    static let userId = HTTPField.Name("User-Id")!
    static let clientName = HTTPField.Name("Client-Name")!
    static let sessionId = HTTPField.Name("Session-Id")!
}

/// Lavalink's REST conventions: the password check (missing → 401, wrong → 403), the
/// `Lavalink-Api-Version: 4` header, and `{timestamp, status, error, message, path}` error bodies.
struct LavalinkRESTMiddleware<Context: RequestContext>: RouterMiddleware {
    let password: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let trace = QueryParameters(request.uri.query)["trace"] == "true"
        var response: Response
        if path.hasPrefix("/_emulator/") || path == "/v4/websocket" {
            // The control API is open; the websocket route checks its own headers.
            response = try await respond(request, context, next, path: path, trace: trace)
        } else if let given = request.headers[.authorization] {
            response = given == password
                ? try await respond(request, context, next, path: path, trace: trace)
                : Self.errorResponse(status: 403, message: "Forbidden", path: path, trace: trace)
        } else {
            response = Self.errorResponse(status: 401, message: "Unauthorized", path: path, trace: trace)
        }
        response.headers[.lavalinkApiVersion] = "4"
        return response
    }

    private func respond(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response, path: String, trace: Bool
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as LavalinkHTTPError {
            return Self.errorResponse(status: error.status, message: error.message, path: path, trace: trace)
        } catch let error as HTTPError {
            return Self.errorResponse(status: Int(error.status.code), message: error.body ?? error.status.reasonPhrase,
                                      path: path, trace: trace)
        } catch {
            return Self.errorResponse(status: 500, message: "Internal emulator error", path: path, trace: trace)
        }
    }

    static func errorResponse(status: Int, message: String, path: String, trace: Bool) -> Response {
        let httpStatus = HTTPResponse.Status(code: status, reasonPhrase: reasonPhrases[status] ?? "Error")
        var members: [(String, JSONValue)] = [
            ("timestamp", .int(Int64(Date().timeIntervalSince1970 * 1000))),
            ("status", .int(status)),
            ("error", .string(httpStatus.reasonPhrase)),
        ]
        if trace { members.append(("trace", .string("emulator.LavalinkEmulator: \(message)\n"))) }
        members += [("message", .string(message)), ("path", .string(path))]
        return jsonResponse(.object(members), status: httpStatus)
    }
}

private let reasonPhrases = [
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    415: "Unsupported Media Type", 500: "Internal Server Error",
]

func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: value.text))
    )
}

func textResponse(_ text: String) -> Response {
    Response(status: .ok, headers: [.contentType: "text/plain;charset=UTF-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

extension Request {
    /// The body as JSON, at most 1 MiB (Lavalink bodies are small).
    mutating func jsonBody() async throws -> JSONValue {
        let buffer = try await collectBody(upTo: 1 << 20)
        do {
            return try JSONValue.parse(Data(buffer.readableBytesView))
        } catch let error as JSONParseError {
            throw LavalinkHTTPError.badRequest(error.description)
        }
    }
}
