/// Removes secrets from text before it leaves the process (logs, error replies, metrics labels).
///
/// Two layers: the exact values the process was configured with (bot tokens, Lavalink passwords,
/// AWS keys, Redis passwords) are replaced wherever they appear, and text shaped like a Discord
/// bot token or an `Authorization` value is replaced even when nobody registered it, so a token
/// pasted into a command option or echoed by a peer does not leak either.
public struct SecretRedactor: Sendable {
    public static let placeholder = "[redacted]"

    /// Shorter values are not registered: replacing every "abc" in every line would garble logs
    /// and such values are not secrets worth the name.
    public static let minimumSecretLength = 6

    private var secrets: [String]

    public init(secrets: some Sequence<String> = []) {
        self.secrets = []
        for secret in secrets { register(secret) }
    }

    public mutating func register(_ secret: String) {
        guard secret.count >= Self.minimumSecretLength, !secrets.contains(secret) else { return }
        secrets.append(secret)
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort { $0.count > $1.count }
    }

    /// Metadata keys whose values are dropped whatever they contain.
    public static func isSensitiveKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return sensitiveKeyParts.contains { lower.contains($0) } && !lower.hasSuffix(".id") && !lower.hasSuffix("_id")
    }

    private static let sensitiveKeyParts = [
        "token", "password", "secret", "authorization", "credential", "access_key", "accesskey",
    ]

    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.placeholder)
        }
        return Self.redactTokenShapes(result)
    }

    // MARK: Shapes

    /// Discord bot tokens are three base64url segments joined by dots: the bot's id (≥ 18 chars),
    /// a timestamp (≥ 6) and an HMAC (≥ 27). `Bot <x>` and `Bearer <x>` are credentials too.
    static func redactTokenShapes(_ text: String) -> String {
        guard text.contains(".") || text.contains("Bot ") || text.contains("Bearer ") else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var word = ""
        var previousWord = ""
        func flush(_ terminator: Character?) {
            if !word.isEmpty {
                if looksLikeDiscordToken(word) || previousWord == "Bot" || previousWord == "Bearer" {
                    output += placeholder
                } else {
                    output += word
                }
                previousWord = word
                word = ""
            }
            if let terminator { output.append(terminator) }
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "." || character == "_" || character == "-" {
                word.append(character)
            } else {
                flush(character)
            }
        }
        flush(nil)
        return output
    }

    static func looksLikeDiscordToken(_ word: String) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        let isBase64URL = { (part: Substring) in
            part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
        return parts[0].count >= 18 && parts[1].count >= 5 && parts[2].count >= 20 && parts.allSatisfy(isBase64URL)
    }
}
