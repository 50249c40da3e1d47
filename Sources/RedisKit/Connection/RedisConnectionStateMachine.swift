import DequeModule
import NIOCore

/// The sans-IO core of one connection: which reply belongs to which request, push messages,
/// timeouts and closing. The channel handler feeds it events and performs the actions it returns.
///
/// Replies come back in the order requests were written (RESP pipelining), so pending requests
/// are a FIFO. `Request` is the caller's handle (a promise in production, an id in tests).
struct RedisConnectionStateMachine<Request> {
    enum WriteAction {
        /// Write the command; `armTimer` asks for a deadline check at that time.
        case write(armTimer: NIODeadline?)
        /// Fail the request, the connection is gone.
        case fail(Request, RedisError)
    }

    enum ReadAction {
        case succeed(Request, RESPValue)
        case failWithServerError(Request, RESPValue)
        case push(RESPValue)
        /// Close the channel and fail every listed request with the error.
        case close(RedisError, failing: [Request])
    }

    enum TimerAction {
        case none
        case rearm(NIODeadline)
        case close(RedisError, failing: [Request])
    }

    private struct Pending {
        var request: Request
        var deadline: NIODeadline?
    }

    private enum State {
        case open
        case closed(RedisError)
    }

    private var state: State = .open
    private var pending: Deque<Pending> = []
    private var armedDeadline: NIODeadline?
    /// A subscriber connection (RESP2) receives pub/sub messages as ordinary arrays.
    private let isSubscriber: Bool

    init(isSubscriber: Bool = false) {
        self.isSubscriber = isSubscriber
    }

    var pendingCount: Int { pending.count }

    /// A request is about to be written. `request == nil` means no reply is expected (SUBSCRIBE on a
    /// subscriber connection, whose confirmations arrive as push messages).
    mutating func write(_ request: Request?, deadline: NIODeadline?) -> WriteAction {
        if case .closed(let error) = state {
            guard let request else { return .write(armTimer: nil) }
            return .fail(request, error)
        }
        guard let request else { return .write(armTimer: nil) }
        pending.append(Pending(request: request, deadline: deadline))
        // One timer at a time, set for the earliest deadline; later deadlines wait for it to fire.
        guard let deadline, armedDeadline.map({ deadline < $0 }) ?? true else { return .write(armTimer: nil) }
        armedDeadline = deadline
        return .write(armTimer: deadline)
    }

    mutating func read(_ value: RESPValue) -> ReadAction {
        if case .push = value { return .push(value) }
        if isSubscriber, Self.isPubSubArray(value) { return .push(value) }
        guard case .open = state else { return .push(value) }
        guard let first = pending.popFirst() else {
            return closeAll(RedisError(.protocolViolation, "the server sent a \(value.typeName) that no request asked for"))
        }
        return value.isError ? .failWithServerError(first.request, value) : .succeed(first.request, value)
    }

    /// The deadline timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        armedDeadline = nil
        guard case .open = state else { return .none }
        let deadlines = pending.lazy.compactMap(\.deadline)
        if deadlines.contains(where: { $0 <= now }) {
            // Replies are ordered, so a late one cannot be skipped: the connection is unusable.
            let error = RedisError(.timeout, "no reply within the command timeout; the connection was closed")
            if case .close(_, let failing) = closeAll(error) { return .close(error, failing: failing) }
            return .none
        }
        guard let next = deadlines.min() else { return .none }
        armedDeadline = next
        return .rearm(next)
    }

    /// The channel closed or failed: every request still waiting fails.
    mutating func closed(_ error: RedisError) -> [Request] {
        if case .closed = state { return [] }
        return closeAll(error).failing
    }

    private mutating func closeAll(_ error: RedisError) -> ReadAction {
        let all = pending.map(\.request)
        pending.removeAll()
        state = .closed(error)
        return .close(error, failing: all)
    }

    private static func isPubSubArray(_ value: RESPValue) -> Bool {
        guard case .array(let elements) = value, case .bulkString(let kind)? = elements.first else { return false }
        switch String(buffer: kind) {
        case "message", "pmessage", "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "pong": return true
        default: return false
        }
    }
}

extension RedisConnectionStateMachine.ReadAction {
    fileprivate var failing: [Request] {
        if case .close(_, let failing) = self { return failing }
        return []
    }
}
