/// Lavalink's JSON error body (`{timestamp, status, error, message, path, trace?}`).
public struct LavalinkErrorBody: Sendable, Hashable, Codable {
    public var timestamp: Int64
    public var status: Int
    public var error: String
    public var message: String
    public var path: String
    public var trace: String?
}

/// Every failure LavalinkKit reports. Descriptions never contain the node password or voice tokens.
public struct LavalinkError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The node answered with an error status (body in `serverBody` when it sent one).
        public static let server = Code("server")
        /// 401/403: the node refused the password.
        public static let unauthorized = Code("unauthorized")
        /// The node could not be reached or the connection broke.
        public static let transport = Code("transport")
        /// The request never left: every connection to the node stayed in use for longer than
        /// a request may wait for one (this client's own load; nothing is known of the node).
        public static let clientBusy = Code("clientBusy")
        /// The node sent something this client could not decode.
        public static let decoding = Code("decoding")
        /// The node runs a Lavalink older than 4.2.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// The node has no websocket session yet (no `ready` received).
        public static let notConnected = Code("notConnected")
        /// No node in the pool can take a player right now.
        public static let noNodeAvailable = Code("noNodeAvailable")
        /// The caller asked for something invalid (checked before any request).
        public static let invalidRequest = Code("invalidRequest")
        /// The node does not run the plugin the call needs (`plugin` says which); the feature is
        /// unavailable there, retrying cannot help.
        public static let pluginMissing = Code("pluginMissing")
    }

    public var code: Code
    public var message: String
    /// The node this concerns, by its configured name.
    public var node: String?
    /// HTTP status, when the node answered.
    public var status: Int?
    public var serverBody: LavalinkErrorBody?
    public var underlying: (any Error & Sendable)?
    /// For `.pluginMissing`: the plugin the node lacks.
    public var plugin: LavalinkPlugin?

    public init(
        _ code: Code, _ message: String, node: String? = nil, status: Int? = nil,
        serverBody: LavalinkErrorBody? = nil, underlying: (any Error & Sendable)? = nil, plugin: LavalinkPlugin? = nil
    ) {
        self.plugin = plugin
        self.code = code
        self.message = message
        self.node = node
        self.status = status
        self.serverBody = serverBody
        self.underlying = underlying
    }

    public var description: String {
        var text = "Lavalink \(code)"
        if let node { text += " (node \(node))" }
        if let status { text += " HTTP \(status)" }
        text += ": \(message)"
        if let underlying { text += " [\(String(describing: underlying))]" }
        return text
    }
}

/// The node password. Wrapped so that printing a configuration never reveals it.
public struct LavalinkPassword: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
