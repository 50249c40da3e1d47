import Logging
import NIOCore
import NIOPosix

/// The entry point: a pool of pipelined connections plus dedicated connections for blocking
/// commands and subscriptions, reconnecting on demand with backoff.
///
/// Behaviour during an outage: commands in flight on a dropped connection fail with
/// `.connectionClosed`; new commands try one reconnect and, while the server stays unreachable,
/// fail immediately with `.connectionUnavailable` until the backoff allows the next attempt.
/// Once the server is back, the next command reconnects; nothing needs restarting.
public final class RedisClient: RedisCommandSender {
    public let configuration: RedisConfiguration
    let pool: RedisConnectionPool
    let logger: Logger

    /// A logger that drops everything (the default when none is passed).
    public static let silentLogger = Logger(label: "redis", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = RedisClient.silentLogger
    ) {
        self.configuration = configuration
        self.logger = logger
        self.pool = RedisConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// `RedisClient(url: "redis://:secret@127.0.0.1:6379/2")`.
    public convenience init(
        url: String,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = RedisClient.silentLogger
    ) throws(RedisError) {
        self.init(configuration: try RedisConfiguration(url: url), eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Non-blocking commands share the pooled connections (pipelined with every other caller);
    /// blocking ones (`RedisCommand.blocking`) get a dedicated connection for their duration.
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        try await RedisCallMetrics.shared.measure(command.name) {
            if command.blocking != .none {
                return try await pool.withDedicatedConnection { try await $0.send(command) }
            }
            return try await pool.sharedConnection().send(command)
        }
    }

    /// Sends all commands on one connection with a single flush; one result per command, in order.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        try await RedisCallMetrics.shared.measure("PIPELINE") { try await pool.sharedConnection().pipeline(commands) }
    }

    /// Runs `body` with a connection nobody else uses meanwhile (e.g. a loop of blocking reads).
    /// The connection returns to the pool afterwards if it is still healthy.
    public func withDedicatedConnection<Result>(
        _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        try await pool.withDedicatedConnection(body)
    }

    /// Closes every connection; later commands fail with `.clientClosed`.
    public func close() async {
        await pool.close()
    }
}
