import Logging
import NIOCore
import NIOPosix
import NIOSSL

extension RedisConnection {
    /// Opens a connection and runs the handshake: `HELLO 3` with AUTH and SETNAME (falling back to
    /// RESP2 `AUTH` when the server lacks HELLO), then `SELECT` when a database index is set.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = RedisClient.silentLogger
    ) async throws -> RedisConnection {
        try await connect(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger, onPush: nil, onClose: nil)
    }

    static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        onPush: (@Sendable (RESPValue) -> Void)?,
        onClose: (@Sendable (RedisError) -> Void)?
    ) async throws -> RedisConnection {
        let sslContext: NIOSSLContext?
        do {
            sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        } catch {
            throw RedisError(.invalidConfiguration, "the TLS configuration cannot be used", underlying: error)
        }
        let serverName = configuration.tlsServerName ?? configuration.host
        let isSubscriber = onPush != nil
        let limits = configuration.limits
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    if let sslContext {
                        // IP literals carry no SNI; hostname checks still run against the address.
                        let sni = serverName.first(where: { $0.isLetter }) == nil || serverName.contains(":") ? nil : serverName
                        try handlers.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: sni))
                    }
                    try handlers.addHandler(ByteToMessageHandler(RESPDecoder(limits: limits)))
                    try handlers.addHandler(RedisChannelHandler(
                        isSubscriber: isSubscriber, logger: logger, onPush: onPush, onClose: onClose))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError(
                .connectionUnavailable,
                "cannot connect to \(configuration.host):\(configuration.port)", underlying: error)
        }
        do {
            let version = try await handshake(channel: channel, configuration: configuration)
            logger.debug("redis connected", metadata: [
                "redis.server": "\(configuration.host):\(configuration.port)", "redis.protocol": "\(version)",
            ])
            return RedisConnection(channel: channel, protocolVersion: version, commandTimeout: configuration.commandTimeout)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func handshake(channel: any Channel, configuration: RedisConfiguration) async throws -> Int {
        let connection = RedisConnection(channel: channel, protocolVersion: 2, commandTimeout: configuration.commandTimeout)
        var version = 2
        var authenticated = configuration.password == nil
        if configuration.protocolVersion >= 3 {
            var arguments: [any RedisArgument] = ["3"]
            if let password = configuration.password {
                arguments += ["AUTH", configuration.username ?? "default", password]
            }
            if let name = configuration.clientName { arguments += ["SETNAME", name] }
            do {
                _ = try await connection.send(RedisCommand("HELLO", arguments))
                version = 3
                authenticated = true
            } catch let error as RedisError where error.code == .server {
                // Servers before 6.0 do not know HELLO; NOPROTO means no RESP3. Both keep RESP2.
                // Anything else (WRONGPASS, NOAUTH) is an authentication failure.
                let prefix = error.serverErrorPrefix ?? ""
                let unknown = prefix == "NOPROTO" || (prefix == "ERR" && (error.serverMessage ?? "").contains("unknown command"))
                guard unknown else { throw authenticationError(configuration, error) }
            }
        }
        if !authenticated, let password = configuration.password {
            let arguments: [any RedisArgument] = configuration.username.map { [$0, password] } ?? [password]
            do {
                _ = try await connection.send(RedisCommand("AUTH", arguments))
            } catch let error as RedisError where error.code == .server {
                throw authenticationError(configuration, error)
            }
        }
        if version == 2, let name = configuration.clientName {
            _ = try await connection.send(RedisCommand("CLIENT", "SETNAME", name))
        }
        if configuration.database != 0 {
            _ = try await connection.send(RedisCommand("SELECT", configuration.database))
        }
        return version
    }

    private static func authenticationError(_ configuration: RedisConfiguration, _ error: RedisError) -> RedisError {
        // The server's text names neither the password nor the user; keep only its error kind.
        RedisError(
            .authenticationFailed,
            "authentication as '\(configuration.username ?? "default")' was rejected (\(error.serverErrorPrefix ?? "error"))")
    }
}
