import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Request context that keeps the channel, so a "drop connection" fault can cut TCP without a
/// close frame.
struct EmulatorRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}

/// One port serves the gateway (`/`), REST (`/api/v10/…`) and the control API (`/_emulator/…`).
enum HTTPSurface {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
    static let maxBodyBytes = 8 << 20

    static func router(state: EmulatorState) -> Router<EmulatorRequestContext> {
        let router = Router(context: EmulatorRequestContext.self)
        let gateway = GatewayEndpoint(state: state)
        router.ws("/") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            await gateway.handle(inbound: inbound, outbound: outbound, context: context)
        }
        PlaygroundRoutes.register(on: router)
        for method in methods {
            router.on("/api/**", method: method) { request, _ in
                try await rest(request, state: state)
            }
            router.on("/_emulator/**", method: method) { request, _ in
                try await control(request, state: state)
            }
        }
        return router
    }

    static func rest(_ request: Request, state: EmulatorState) async throws -> Response {
        var parsed = try await parse(request)
        // `/api/v10/...`, `/api/v9/...` or unversioned `/api/...`.
        var segments = Array(parsed.segments.dropFirst())
        if let first = segments.first, first.hasPrefix("v"), Int(first.dropFirst()) != nil {
            segments.removeFirst()
        }
        parsed.segments = segments
        parsed.path = "/" + segments.joined(separator: "/")
        if let delay = await state.responseDelay(path: parsed.path) {
            try await Task.sleep(for: delay)
        }
        return makeResponse(await state.handleREST(parsed))
    }

    static func control(_ request: Request, state: EmulatorState) async throws -> Response {
        let path = request.uri.path.split(separator: "/").map(String.init)
        if path.count >= 2, path[1] == "playground" {
            return try await PlaygroundRoutes.control(request, segments: Array(path.dropFirst(2)), state: state)
        }
        var parsed = try await parse(request)
        parsed.segments = Array(parsed.segments.dropFirst())
        parsed.path = "/" + parsed.segments.joined(separator: "/")
        return makeResponse(await state.handleControl(parsed))
    }

    static func parse(_ request: Request) async throws -> APIRequest {
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        let body: JSON? = bytes.isEmpty ? nil : JSON.parse(bytes)
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value)
        }
        let path = request.uri.path
        let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        return APIRequest(
            method: request.method.rawValue, segments: segments, path: path, query: query,
            authorization: request.headers[.authorization], body: body, bodyBytes: bytes.count,
            bodyIsMalformed: !bytes.isEmpty && body == nil
        )
    }

    static func makeResponse(_ response: APIResponse) -> Response {
        var fields = HTTPFields()
        if let page = response.cloudflareBody {
            // Cloudflare answers for Discord here: no JSON, no `Via` (how clients tell a ban apart).
            fields[.contentType] = "text/plain; charset=UTF-8"
            for (name, value) in response.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            return Response(status: .init(code: response.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        // Exactly this, without a charset: discord.py parses JSON only then.
        if response.body != nil { fields[.contentType] = "application/json" }
        // discord.py treats a 429 without `Via` as a Cloudflare ban; Discord sends it everywhere.
        for (name, value) in [("Via", "1.1 google")] + response.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let body = response.body.map { ResponseBody(byteBuffer: ByteBuffer(string: $0.encoded())) } ?? ResponseBody()
        return Response(status: .init(code: response.status), headers: fields, body: body)
    }
}
