import Logging
import NIOCore
import Synchronization

/// The client's connections: a fixed number of shared, pipelined connections for ordinary commands
/// and a set of dedicated ones for blocking commands.
///
/// Connections are (re)made on demand by the command that finds its slot empty, so a restarted
/// server is picked up by the next command without any background task. Connect failures arm
/// `ReconnectBackoff`; until it allows the next attempt, commands fail at once.
final class RedisConnectionPool: Sendable {
    private enum Slot {
        case empty
        case connecting(EventLoopFuture<RedisConnection>)
        case ready(RedisConnection)
    }

    private struct State {
        var slots: [Slot]
        var next = 0
        var idleDedicated: [RedisConnection] = []
        var leasedDedicated: [ObjectIdentifier: RedisConnection] = [:]
        var backoff: ReconnectBackoff
        var closed = false
    }

    private enum Decision {
        case use(RedisConnection)
        case wait(EventLoopFuture<RedisConnection>)
        case connect(slot: Int, EventLoopPromise<RedisConnection>)
        case fail(RedisError)
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state: Mutex<State>

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.state = Mutex(State(
            slots: Array(repeating: .empty, count: max(1, configuration.connectionCount)),
            backoff: ReconnectBackoff(
                initial: TimeAmount(configuration.initialReconnectDelay),
                maximum: TimeAmount(configuration.maxReconnectDelay))))
    }

    /// A shared connection for non-blocking commands, round-robin over the slots.
    func sharedConnection() async throws -> RedisConnection {
        let decision = state.withLock { state -> Decision in
            if state.closed { return .fail(Self.closedError) }
            let index = state.next % state.slots.count
            state.next &+= 1
            switch state.slots[index] {
            case .ready(let connection) where connection.isOpen:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .ready, .empty:
                if let error = state.backoff.gate(now: .now()) {
                    // Inside the backoff window: any live connection still serves; else fail fast.
                    for case .ready(let connection) in state.slots where connection.isOpen { return .use(connection) }
                    return .fail(error)
                }
                let promise = eventLoopGroup.any().makePromise(of: RedisConnection.self)
                state.slots[index] = .connecting(promise.futureResult)
                return .connect(slot: index, promise)
            }
        }
        switch decision {
        case .use(let connection): return connection
        case .wait(let future): return try await future.get()
        case .fail(let error): throw error
        case .connect(let index, let promise):
            do {
                let connection = try await connect(onPush: nil, onClose: nil)
                let closed = state.withLock { state in
                    if !state.closed { state.slots[index] = .ready(connection) }
                    return state.closed
                }
                if closed {
                    connection.closeNow()
                    promise.fail(Self.closedError)
                    throw Self.closedError
                }
                promise.succeed(connection)
                return connection
            } catch {
                state.withLock { $0.slots[index] = .empty }
                promise.fail(error)
                throw error
            }
        }
    }

    /// Lends a connection used by nobody else for the duration of `body` (blocking commands).
    func withDedicatedConnection<Result>(_ body: (RedisConnection) async throws -> Result) async throws -> Result {
        let reused = try state.withLock { state throws(RedisError) -> RedisConnection? in
            if state.closed { throw Self.closedError }
            while let idle = state.idleDedicated.popLast() {
                if idle.isOpen {
                    state.leasedDedicated[ObjectIdentifier(idle)] = idle
                    return idle
                }
            }
            if let error = state.backoff.gate(now: .now()) { throw error }
            return nil
        }
        let connection: RedisConnection
        if let reused {
            connection = reused
        } else {
            connection = try await connect(onPush: nil, onClose: nil)
            let closed = state.withLock { state in
                if !state.closed { state.leasedDedicated[ObjectIdentifier(connection)] = connection }
                return state.closed
            }
            if closed {
                connection.closeNow()
                throw Self.closedError
            }
        }
        defer {
            let keep = state.withLock { state in
                state.leasedDedicated[ObjectIdentifier(connection)] = nil
                guard !state.closed, connection.isOpen,
                      state.idleDedicated.count < configuration.maxIdleDedicatedConnections else { return false }
                state.idleDedicated.append(connection)
                return true
            }
            if !keep { connection.closeNow() }
        }
        return try await body(connection)
    }

    /// A new connection outside the pool (subscriptions), under the same backoff.
    func connect(
        onPush: (@Sendable (RESPValue) -> Void)?,
        onClose: (@Sendable (RedisError) -> Void)?
    ) async throws -> RedisConnection {
        if let error = state.withLock({ $0.closed ? Self.closedError : $0.backoff.gate(now: .now()) }) { throw error }
        do {
            let connection = try await RedisConnection.connect(
                configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger,
                onPush: onPush, onClose: onClose)
            state.withLock { $0.backoff.succeeded() }
            return connection
        } catch let error as RedisError where error.code == .connectionUnavailable {
            state.withLock { $0.backoff.failed(error, now: .now()) }
            logger.warning("redis connect failed", metadata: [
                "redis.server": "\(configuration.host):\(configuration.port)", "error": "\(error)",
            ])
            throw error
        }
    }

    func close() async {
        let connections = state.withLock { state -> [RedisConnection] in
            state.closed = true
            var all = state.idleDedicated + Array(state.leasedDedicated.values)
            for case .ready(let connection) in state.slots { all.append(connection) }
            state.slots = state.slots.map { _ in .empty }
            state.idleDedicated = []
            state.leasedDedicated = [:]
            return all
        }
        for connection in connections { await connection.close() }
    }

    private static let closedError = RedisError(.clientClosed, "the Redis client was closed")
}
