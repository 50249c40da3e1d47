/// An error from the emulator: either a request Discord would reject (with Discord's JSON error
/// code and HTTP status) or a failure of the emulator itself.
public struct DiscordEmulatorError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// Discord would answer this HTTP status with this JSON error code.
        case rejected
        /// The emulator could not bind its port or start.
        case startFailed
        /// A world file could not be read or is malformed.
        case invalidWorld
        /// The emulator has not been started.
        case notRunning
    }

    public let code: Code
    public let message: String
    /// HTTP status Discord would send (for `.rejected`).
    public let httpStatus: Int
    /// Discord's JSON error code, e.g. 50013 (0 when not applicable).
    public let discordCode: Int
    /// Discord's nested `errors` object for 50035.
    public let fieldErrors: EmulatorJSON?
    public let underlying: (any Error & Sendable)?

    init(
        code: Code, message: String, httpStatus: Int = 500, discordCode: Int = 0, fieldErrors: JSON? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.discordCode = discordCode
        self.fieldErrors = fieldErrors
        self.underlying = underlying
    }

    public var description: String {
        switch code {
        case .rejected: "Discord would reject this (\(httpStatus), code \(discordCode)): \(message)"
        default: "\(message)\(underlying.map { " (\($0))" } ?? "")"
        }
    }

    /// Discord's JSON error body.
    var body: JSON {
        var json: JSON = ["code": .int(Int64(discordCode)), "message": .string(message)]
        if let fieldErrors { json["errors"] = fieldErrors }
        return json
    }
}

/// Discord's errors by name, with the status and wording Discord uses.
extension DiscordEmulatorError {
    static func discord(_ status: Int, _ code: Int, _ message: String, errors: JSON? = nil) -> Self {
        .init(code: .rejected, message: message, httpStatus: status, discordCode: code, fieldErrors: errors)
    }

    static let unauthorized = discord(401, 0, "401: Unauthorized")
    static let unknownChannel = discord(404, 10003, "Unknown Channel")
    static let unknownGuild = discord(404, 10004, "Unknown Guild")
    static let unknownMember = discord(404, 10007, "Unknown Member")
    static let unknownMessage = discord(404, 10008, "Unknown Message")
    static let unknownRole = discord(404, 10011, "Unknown Role")
    static let unknownUser = discord(404, 10013, "Unknown User")
    static let unknownWebhook = discord(404, 10015, "Unknown Webhook")
    static let unknownApplication = discord(404, 10002, "Unknown Application")
    static let unknownInteraction = discord(404, 10062, "Unknown interaction")
    static let unknownCommand = discord(404, 10063, "Unknown application command")
    static let missingAccess = discord(403, 50001, "Missing Access")
    static let missingPermissions = discord(403, 50013, "Missing Permissions")
    static let invalidWebhookToken = discord(401, 50027, "Invalid Webhook Token")
    static let alreadyAcknowledged = discord(400, 40060, "Interaction has already been acknowledged.")
    static let notConnectedToVoice = discord(400, 40032, "Target user is not connected to voice.")
    static let notFound = discord(404, 0, "404: Not Found")
    static let methodNotAllowed = discord(405, 0, "405: Method Not Allowed")

    /// 50035 with Discord's nested `_errors` shape: `path` like `["data", "content"]`.
    static func invalidForm(_ problems: [(path: [String], code: String, message: String)]) -> Self {
        var errors: JSON = .object([:])
        for problem in problems {
            errors = inserting(problem, at: problem.path[...], into: errors)
        }
        return discord(400, 50035, "Invalid Form Body", errors: errors)
    }

    private static func inserting(
        _ problem: (path: [String], code: String, message: String), at path: ArraySlice<String>, into json: JSON
    ) -> JSON {
        var object = json.objectValue ?? [:]
        guard let head = path.first else {
            var existing = object["_errors"]?.arrayValue ?? []
            existing.append(["code": .string(problem.code), "message": .string(problem.message)])
            object["_errors"] = .array(existing)
            return .object(object)
        }
        object[head] = inserting(problem, at: path.dropFirst(), into: object[head] ?? .object([:]))
        return .object(object)
    }
}
