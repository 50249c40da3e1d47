/// A configured secret (bot token, password, AWS key). It prints as `[redacted]` in every
/// description, so interpolating settings into a log line or an error cannot leak it; code that
/// needs the value asks for `exposedValue` by name.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let exposedValue: String

    public init(_ value: String) { self.exposedValue = value }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
}
