import Foundation
import NIOCore
import NIOSSL

/// Where and how to connect. Built in code or from a `redis://` / `rediss://` URL.
///
/// `description` never shows the password.
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// ACL user; `nil` authenticates as `default` when a password is set.
    public var username: String?
    public var password: String?
    /// Database index selected with `SELECT` after connecting.
    public var database: Int
    /// TLS settings; set for `rediss://`.
    public var tls: TLSConfiguration?
    /// Host name checked against the server certificate (defaults to `host`).
    public var tlsServerName: String?
    /// Try `HELLO 3` first (falling back to RESP2 on servers without it) or stay on RESP2.
    public var protocolVersion: Int
    /// Sent with `HELLO ... SETNAME` / `CLIENT SETNAME`, visible in `CLIENT LIST`.
    public var clientName: String?
    /// Multiplexed (pipelined) connections shared by all non-blocking commands.
    public var connectionCount: Int
    /// Idle dedicated connections kept for blocking commands.
    public var maxIdleDedicatedConnections: Int
    public var connectTimeout: Duration
    /// How long a reply may take before the connection is declared dead (blocking commands get
    /// their block time on top).
    public var commandTimeout: Duration
    /// First wait after a failed connect before the next attempt; doubles up to `maxReconnectDelay`.
    /// Commands issued inside that window fail at once with `.connectionUnavailable`.
    public var initialReconnectDelay: Duration
    public var maxReconnectDelay: Duration
    public var limits: RESPLimits

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        tls: TLSConfiguration? = nil,
        protocolVersion: Int = 3,
        clientName: String? = nil,
        connectionCount: Int = 2,
        maxIdleDedicatedConnections: Int = 4,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(30),
        initialReconnectDelay: Duration = .milliseconds(50),
        maxReconnectDelay: Duration = .seconds(2),
        limits: RESPLimits = RESPLimits()
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.protocolVersion = protocolVersion
        self.clientName = clientName
        self.connectionCount = connectionCount
        self.maxIdleDedicatedConnections = maxIdleDedicatedConnections
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.initialReconnectDelay = initialReconnectDelay
        self.maxReconnectDelay = maxReconnectDelay
        self.limits = limits
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS, system trust roots).
    /// User and password may be percent-encoded.
    public init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw RedisError(.invalidConfiguration, "the Redis URL cannot be parsed (expected redis://host:port/db)")
        }
        self.init()
        switch scheme {
        case "redis": tls = nil
        case "rediss": tls = .makeClientConfiguration()
        default:
            throw RedisError(.invalidConfiguration, "the Redis URL scheme '\(scheme)' is neither redis nor rediss")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RedisError(.invalidConfiguration, "the Redis URL has no host")
        }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else {
                throw RedisError(.invalidConfiguration, "the Redis URL port \(port) is out of range")
            }
            self.port = port
        }
        if let user = components.user, !user.isEmpty { username = user }
        if let password = components.password, !password.isEmpty { self.password = password }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw RedisError(.invalidConfiguration, "the Redis URL path must be a database index, got '\(path)'")
            }
            self.database = database
        }
    }

    public var description: String {
        let credentials = switch (username, password) {
        case (nil, nil): ""
        case (let user?, nil): "\(user)@"
        case (let user, _?): "\(user ?? ""):***@"
        }
        return "\(tls == nil ? "redis" : "rediss")://\(credentials)\(host):\(port)/\(database)"
    }
}
