import DiscordKit
import LavalinkKit

/// Why a job did not complete.
enum JobFailure: Error, Sendable, Hashable {
    /// Discord or Lavalink refused it, or the payload cannot be carried out (missing permission,
    /// unknown channel, not in voice): report `jobFailed` and acknowledge; retrying cannot help.
    case refused(String)
    /// A passing failure (connection, 5xx, rate limit, gateway reconnecting): leave the job
    /// pending so it is delivered again.
    case transient(String)

    var reason: String {
        switch self {
        case .refused(let reason), .transient(let reason): reason
        }
    }

    /// Sorts any error a job step throws into refused or transient.
    static func classify(_ error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            return failure
        case let discord as DiscordRESTError:
            return classify(discord)
        case let lavalink as LavalinkError:
            return classify(lavalink)
        case let gateway as GatewayError:
            return gateway.code == .notConnected ? .transient(gateway.description) : .refused(gateway.description)
        case is CancellationError:
            return .transient("cancelled")
        default:
            // Nothing we know how to retry: report it rather than redeliver it until it is
            // dead-lettered.
            return .refused("unexpected error: \(String(describing: error).prefix(200))")
        }
    }

    /// The prefix of a refusal for lack of a Discord permission (50013), which masters tell members about.
    static let missingPermissionPrefix = "missing permission: "

    var isMissingPermission: Bool {
        if case .refused(let reason) = self { return reason.contains(Self.missingPermissionPrefix) }
        return false
    }

    private static func classify(_ error: DiscordRESTError) -> JobFailure {
        if error.code == 50013 { return .refused(missingPermissionPrefix + error.description) }
        switch error.kind {
        case .http:
            if let status = error.status, status >= 500 { return .transient(error.description) }
            return .refused(error.description)
        case .rateLimited, .transport:
            return .transient(error.description)
        case .decoding, .invalidRequest:
            return .refused(error.description)
        }
    }

    private static func classify(_ error: LavalinkError) -> JobFailure {
        switch error.code {
        case .transport, .notConnected:
            return .transient(error.description)
        case .server:
            if let status = error.status, status >= 500 { return .transient(error.description) }
            return .refused(error.description)
        case .noNodeAvailable:
            return .refused("no Lavalink node is available")
        default:
            return .refused(error.description)
        }
    }
}
