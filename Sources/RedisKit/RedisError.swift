import NIOCore

/// Everything RedisKit throws. Messages name commands but never arguments or passwords.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionUnavailable, connectionClosed, timeout, server, unexpectedReply
            case protocolViolation, authenticationFailed, invalidConfiguration, clientClosed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No connection could be made (server down, refused, or inside the reconnect backoff).
        /// Raised immediately instead of waiting for the server to come back.
        public static let connectionUnavailable = Code(.connectionUnavailable)
        /// The connection dropped while the command was in flight; it may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No reply within the configured command timeout; the connection was closed.
        public static let timeout = Code(.timeout)
        /// The server replied with an error (`serverErrorPrefix` says which, e.g. `WRONGTYPE`).
        public static let server = Code(.server)
        /// The reply had a shape the typed helper does not expect.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The server sent bytes that are not valid RESP; the connection was closed.
        public static let protocolViolation = Code(.protocolViolation)
        /// AUTH/HELLO was rejected.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The URL or configuration cannot be used.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The client was closed by its owner.
        public static let clientClosed = Code(.clientClosed)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// For `.server` errors: the first word of the server's message (`NOSCRIPT`, `BUSYGROUP`, `ERR`).
    public var serverErrorPrefix: Substring? {
        guard code == .server else { return nil }
        return serverMessage?.prefix(while: { $0 != " " })
    }

    /// For `.server` errors: the server's message as sent.
    public private(set) var serverMessage: String?

    static func server(_ text: String, command: String) -> RedisError {
        var error = RedisError(.server, "\(command) failed: \(text)")
        error.serverMessage = text
        return error
    }

    static func unexpected(_ value: RESPValue, command: String, expected: String) -> RedisError {
        RedisError(.unexpectedReply, "\(command) replied with \(value.typeName), expected \(expected)")
    }

    public var description: String {
        if let underlying { return "RedisError(\(code)): \(message) (\(underlying))" }
        return "RedisError(\(code)): \(message)"
    }
}
