import Foundation

/// An HTTP request as the emulator's REST and control handlers see it.
struct APIRequest: Sendable {
    var method: String
    /// Path segments after the API version (`["channels", "1", "messages"]`).
    var segments: [String]
    var path: String
    var query: [String: String]
    var authorization: String?
    var body: JSON?
    var bodyBytes: Int
    /// Set when a body was sent but is not JSON.
    var bodyIsMalformed: Bool
}

struct APIResponse: Sendable {
    var status: Int
    var body: JSON?
    var headers: [(String, String)] = []
    /// A body that is not JSON (Cloudflare's ban page), sent without Discord's `Via` header.
    var cloudflareBody: String?

    static func json(_ body: JSON, status: Int = 200) -> APIResponse { .init(status: status, body: body) }
    static let noContent = APIResponse(status: 204, body: nil)

    static func error(_ error: DiscordEmulatorError) -> APIResponse {
        .init(status: error.code == .rejected ? error.httpStatus : 500, body: error.body)
    }
}

/// A matched REST route with its parameters.
struct RESTMatch: Sendable {
    let route: RESTRoute
    let parameters: [String: String]

    func id(_ name: String) throws(DiscordEmulatorError) -> UInt64 {
        guard let raw = parameters[name], let value = UInt64(raw) else {
            throw .invalidForm([([name], "NUMBER_TYPE_COERCE", "Value \"\(parameters[name] ?? "")\" is not snowflake.")])
        }
        return value
    }

    /// The bucket's major parameter value (channel, guild or webhook), per Discord's rules.
    var majorParameter: String {
        for key in ["channel_id", "guild_id", "webhook_id", "interaction_id"] {
            if let value = parameters[key] {
                if key == "webhook_id", let token = parameters["token"] { return value + "/" + token }
                return value
            }
        }
        return ""
    }
}

enum RESTAuth: Sendable {
    case none
    case bot
    /// Interaction webhooks and callbacks: authorized by the token in the path.
    case pathToken
}

struct RESTRoute: Sendable {
    let method: String
    let template: String
    let endpoint: RESTEndpoint
    let auth: RESTAuth
    let limit: Int
    let window: Duration
    /// Interaction callbacks and webhooks do not count against the global limit.
    var countsGlobally: Bool { auth == .bot }

    var segments: [String] { template.split(separator: "/").map(String.init) }

    /// Discord's bucket ids are opaque hashes; ours is a stable hash of the route.
    var bucketHash: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (method + " " + template).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    func match(method: String, segments path: [String]) -> [String: String]? {
        guard method == self.method else { return nil }
        let own = segments
        guard own.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, value) in zip(own, path) {
            if pattern.hasPrefix("{") {
                parameters[String(pattern.dropFirst().dropLast())] = value
            } else if pattern != value {
                return nil
            }
        }
        return parameters
    }
}

extension RESTAuth: Equatable {}
