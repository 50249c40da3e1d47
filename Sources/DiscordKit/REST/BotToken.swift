import Foundation

/// A bot token. Its description is redacted so it can never leak through logs or errors.
public struct BotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The raw token, without the `Bot ` prefix. Only read this to put it on the wire.
    public let secret: String

    public init(_ secret: String) {
        // Accept a token pasted with its header prefix.
        self.secret = secret.hasPrefix("Bot ") ? String(secret.dropFirst(4)) : secret
    }

    public var description: String { "BotToken(redacted)" }
    public var debugDescription: String { description }

    /// The bot's user id, read from the token: Discord bot tokens start with base64 of the user id
    /// up to the first `.`. Nil for a token not shaped so (ask `GET /users/@me` then).
    public var userID: Snowflake<User>? {
        guard let head = secret.split(separator: ".", maxSplits: 1).first, !head.isEmpty, head.count <= 32
        else { return nil }
        var base64 = head.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
            let id = UInt64(text), id > 0
        else { return nil }
        return Snowflake(id)
    }

    /// The value of the `Authorization` header.
    var authorizationHeader: String { "Bot \(secret)" }
}
