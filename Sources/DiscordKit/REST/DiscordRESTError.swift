/// A failed REST call: Discord's JSON error (`code`, `message`, field `errors`), a rate limit that
/// outlasted the retries, a transport failure or an undecodable answer. The route is named by its
/// template (`POST /channels/:channel/messages`), so tokens in paths never show.
public struct DiscordRESTError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Discord answered with a non-2xx status and (usually) an error body.
        case http
        /// Still rate limited after the configured retries.
        case rateLimited
        /// The request never got an answer (connection, timeout).
        case transport
        /// The answer was not what the route promises.
        case decoding
        /// The request could not be built (e.g. an unencodable body).
        case invalidRequest
    }

    /// One leaf of Discord's `errors` object, flattened: `path` like `embeds.0.title`.
    public struct FieldError: Sendable, Hashable {
        public var path: String
        public var code: String
        public var message: String
    }

    public var kind: Kind
    public var route: String
    /// HTTP status, when there was an answer.
    public var status: Int?
    /// Discord's JSON error code (e.g. 50013 missing permissions), when given.
    public var code: Int?
    public var message: String
    public var fieldErrors: [FieldError]
    public var underlying: (any Error)?

    public init(kind: Kind, route: String, status: Int? = nil, code: Int? = nil, message: String,
                fieldErrors: [FieldError] = [], underlying: (any Error)? = nil) {
        self.kind = kind
        self.route = route
        self.status = status
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(route) failed"
        if let status { text += " with HTTP \(status)" }
        if let code { text += ", Discord code \(code)" }
        text += ": \(message)"
        if !fieldErrors.isEmpty {
            text += " (" + fieldErrors.map { "\($0.path): \($0.code) \($0.message)" }.joined(separator: "; ") + ")"
        }
        return text
    }

    // Codes worth naming at call sites.
    public static let unknownChannel = 10003
    public static let unknownGuild = 10004
    public static let unknownMember = 10007
    public static let unknownMessage = 10008
    public static let unknownInteraction = 10062
    public static let interactionAlreadyAcknowledged = 40060
    public static let missingAccess = 50001
    public static let missingPermissions = 50013
    public static let invalidFormBody = 50035
}

/// Discord's error body.
struct DiscordErrorBody: Decodable {
    var code: Int?
    var message: String?
    var errors: JSONValue?

    /// Walks `errors` down to its `_errors` leaves.
    var fieldErrors: [DiscordRESTError.FieldError] {
        var result: [DiscordRESTError.FieldError] = []
        func walk(_ value: JSONValue, path: [String], depth: Int) {
            guard depth < 32, case .object(let object) = value else { return }
            for key in object.keys.sorted() {
                guard let child = object[key] else { continue }
                if key == "_errors", case .array(let leaves) = child {
                    for leaf in leaves {
                        result.append(.init(path: path.joined(separator: "."),
                                            code: leaf["code"]?.stringValue ?? "",
                                            message: leaf["message"]?.stringValue ?? ""))
                    }
                } else {
                    walk(child, path: path + [key], depth: depth + 1)
                }
            }
        }
        if let errors { walk(errors, path: [], depth: 0) }
        return result
    }
}
