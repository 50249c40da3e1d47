import NIOCore
import Synchronization

/// A message received on a subscription.
public struct RedisPubSubMessage: Sendable, Hashable {
    public var channel: String
    /// The pattern that matched, for `psubscribe`.
    public var pattern: String?
    public var payload: ByteBuffer
}

/// Messages of one SUBSCRIBE/PSUBSCRIBE, on a connection of its own.
///
/// Iterate it to receive messages. It ends with an error when the connection drops (subscribe
/// again after the outage; messages published meanwhile are lost, as pub/sub never stores them),
/// and ends normally after `close()`. Dropping every reference closes the connection too.
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisPubSubMessage

    private let connection: RedisConnection
    private let messages: AsyncThrowingStream<RedisPubSubMessage, any Error>
    private let inbox: SubscriptionInbox

    fileprivate init(
        connection: RedisConnection, messages: AsyncThrowingStream<RedisPubSubMessage, any Error>, inbox: SubscriptionInbox
    ) {
        self.connection = connection
        self.messages = messages
        self.inbox = inbox
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<RedisPubSubMessage, any Error>.AsyncIterator {
        messages.makeAsyncIterator()
    }

    /// Ends the subscription and closes its connection.
    public func close() async {
        inbox.markClosedByOwner()
        await connection.close()
    }

    deinit {
        inbox.markClosedByOwner()
        connection.closeNow()
    }
}

/// Collects push messages: confirmations until the subscription is in place, then messages.
private final class SubscriptionInbox: Sendable {
    private struct State {
        var awaitingConfirmations: Int
        var confirmed: EventLoopPromise<Void>?
        var closedByOwner = false
    }

    let continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation
    private let state: Mutex<State>

    init(expecting count: Int, confirmed: EventLoopPromise<Void>, continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation) {
        self.continuation = continuation
        self.state = Mutex(State(awaitingConfirmations: count, confirmed: confirmed))
    }

    func receive(_ value: RESPValue) {
        guard let parts = value.array, let kind = parts.first?.string else { return }
        switch (kind, parts.count) {
        case ("message", 3):
            guard let channel = parts[1].string, let payload = parts[2].bytes else { return }
            continuation.yield(RedisPubSubMessage(channel: channel, pattern: nil, payload: payload))
        case ("pmessage", 4):
            guard let pattern = parts[1].string, let channel = parts[2].string, let payload = parts[3].bytes else { return }
            continuation.yield(RedisPubSubMessage(channel: channel, pattern: pattern, payload: payload))
        case ("subscribe", _), ("psubscribe", _):
            let promise = state.withLock { state -> EventLoopPromise<Void>? in
                state.awaitingConfirmations -= 1
                guard state.awaitingConfirmations <= 0 else { return nil }
                defer { state.confirmed = nil }
                return state.confirmed
            }
            promise?.succeed()
        default:
            break
        }
    }

    func closed(_ error: RedisError) {
        let (promise, byOwner) = state.withLock { state in
            defer { state.confirmed = nil }
            return (state.confirmed, state.closedByOwner)
        }
        promise?.fail(error)
        if byOwner { continuation.finish() } else { continuation.finish(throwing: error) }
    }

    func markClosedByOwner() {
        state.withLock { $0.closedByOwner = true }
    }
}

extension RedisClient {
    /// `SUBSCRIBE`: returns once the server confirmed every channel, so anything published after
    /// this returns is delivered.
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        try await subscription(command: "SUBSCRIBE", names: channels)
    }

    /// `PSUBSCRIBE` with glob-style patterns.
    public func psubscribe(to patterns: [String]) async throws -> RedisSubscription {
        try await subscription(command: "PSUBSCRIBE", names: patterns)
    }

    private func subscription(command: String, names: [String]) async throws -> RedisSubscription {
        guard !names.isEmpty else {
            throw RedisError(.invalidConfiguration, "\(command) needs at least one channel or pattern")
        }
        let (messages, continuation) = AsyncThrowingStream<RedisPubSubMessage, any Error>.makeStream()
        let eventLoop = pool.eventLoopGroup.any()
        let confirmed = eventLoop.makePromise(of: Void.self)
        let inbox = SubscriptionInbox(expecting: names.count, confirmed: confirmed, continuation: continuation)
        let connection = try await pool.connect(onPush: inbox.receive, onClose: inbox.closed)
        continuation.onTermination = { termination in
            if case .cancelled = termination { connection.closeNow() }
        }
        connection.sendWithoutReply(RedisCommand(command, names))
        let timeout = eventLoop.scheduleTask(in: TimeAmount(configuration.commandTimeout)) {
            confirmed.fail(RedisError(.timeout, "\(command) was not confirmed within the command timeout"))
        }
        do {
            try await confirmed.futureResult.get()
            timeout.cancel()
        } catch {
            timeout.cancel()
            connection.closeNow()
            throw error
        }
        return RedisSubscription(connection: connection, messages: messages, inbox: inbox)
    }
}
