import AnankorCore
import DiscordKit
import Foundation

/// Which worker a token plays as: the bot's user id.
enum BotIdentity {
    /// The user id encoded in a bot token. Discord bot tokens (and the emulator's) start with
    /// base64 of the bot's user id, up to the first `.`. Nil when the token is not shaped so.
    static func workerID(fromToken token: BotToken) -> WorkerID? {
        guard let head = token.secret.split(separator: ".", maxSplits: 1).first, !head.isEmpty, head.count <= 32
        else { return nil }
        var base64 = head.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
            let id = UInt64(text), id > 0
        else { return nil }
        return WorkerID(id)
    }

    /// The user id from the token, or else from `GET /users/@me`.
    static func resolve(_ token: BotToken, rest: DiscordREST) async throws -> WorkerID {
        if let id = workerID(fromToken: token) { return id }
        return WorkerID(try await rest.getCurrentUser().id.rawValue)
    }
}
