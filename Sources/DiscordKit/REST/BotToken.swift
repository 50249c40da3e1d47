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

    /// The value of the `Authorization` header.
    var authorizationHeader: String { "Bot \(secret)" }
}
