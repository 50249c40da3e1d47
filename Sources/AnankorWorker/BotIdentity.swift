import AnankorCore
import DiscordKit
import Foundation

/// Which worker a token plays as: the bot's user id.
enum BotIdentity {
    /// The user id encoded in the token (`BotToken.userID`), as a worker id.
    static func workerID(fromToken token: BotToken) -> WorkerID? {
        token.userID.map { WorkerID($0.rawValue) }
    }

    /// The user id from the token, or else from `GET /users/@me`.
    static func resolve(_ token: BotToken, rest: DiscordREST) async throws -> WorkerID {
        if let id = workerID(fromToken: token) { return id }
        return WorkerID(try await rest.getCurrentUser().id.rawValue)
    }
}
