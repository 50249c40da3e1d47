import Foundation

/// An AWS access key pair, optionally with a session token (temporary credentials).
///
/// Its `description` never shows any part of the keys, so credentials can sit in configuration
/// values that get logged or printed.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "AWSCredentials(redacted\(sessionToken == nil ? "" : ", with session token"))"
    }

    public var debugDescription: String { description }

    /// The secret strings, longest first, for scrubbing text that might echo them back.
    var secrets: [String] {
        [secretAccessKey, sessionToken ?? "", accessKeyID]
            .filter { $0.count >= 4 }
            .sorted { $0.count > $1.count }
    }

    /// Replaces every occurrence of a key or token in `text` with `<redacted>`.
    func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }
}
