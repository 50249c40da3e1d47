/// The code enum of one port's errors.
public protocol PortErrorCode: RawRepresentable<String>, Sendable, Hashable {
    /// The port's name as operators read it in messages (`job bus`, `state store`).
    static var port: String { get }
}

/// A failed port operation: a code to branch on, a message an operator can act on, and the
/// underlying error (never containing secrets).
public struct PortError<Code: PortErrorCode>: Error, Sendable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "\(Code.port) \(code.rawValue): \(message)" + (underlying.map { " (\($0))" } ?? "")
    }
}
