import Logging
import NIOCore

/// What the connection writes into the channel: an encoded command and where its reply goes.
struct RedisRequest {
    var bytes: ByteBuffer
    var commandName: String
    /// `nil` when no reply is expected (subscription commands on a subscriber connection).
    var promise: EventLoopPromise<RESPValue>?
    var deadline: NIODeadline?
}

/// Runs `RedisConnectionStateMachine` on the channel's event loop: writes requests, routes
/// decoded replies to their promises and push messages to `onPush`, enforces deadlines.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var promise: EventLoopPromise<RESPValue>
        var commandName: String
    }

    private var stateMachine: RedisConnectionStateMachine<Waiting>
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private let onClose: (@Sendable (RedisError) -> Void)?
    private var timer: Scheduled<Void>?
    /// Why the handler closed the channel itself, reported to `onClose` once it is inactive.
    private var closeReason: RedisError?
    private var context: ChannelHandlerContext?
    private let logger: Logger

    init(
        isSubscriber: Bool,
        logger: Logger,
        onPush: (@Sendable (RESPValue) -> Void)? = nil,
        onClose: (@Sendable (RedisError) -> Void)? = nil
    ) {
        self.stateMachine = RedisConnectionStateMachine(isSubscriber: isSubscriber)
        self.logger = logger
        self.onPush = onPush
        self.onClose = onClose
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        timer?.cancel()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let waiting = request.promise.map { Waiting(promise: $0, commandName: request.commandName) }
        switch stateMachine.write(waiting, deadline: request.deadline) {
        case .write(let armTimer):
            if logger.logLevel <= .trace {
                logger.trace("redis command", metadata: ["redis.command": "\(request.commandName)"])
            }
            if let armTimer { arm(at: armTimer, context: context) }
            context.write(wrapOutboundOut(request.bytes), promise: promise)
        case .fail(let waiting, let error):
            waiting.promise.fail(error)
            promise?.fail(error)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        switch stateMachine.read(value) {
        case .succeed(let waiting, let value):
            waiting.promise.succeed(value)
        case .failWithServerError(let waiting, let value):
            waiting.promise.fail(RedisError.server(value.errorMessage ?? "", command: waiting.commandName))
        case .push(let value):
            onPush?(value)
        case .close(let error, let failing):
            fail(failing, error)
            closeChannel(context: context, error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError: RedisError
        if let parseError = error as? RESPParseError {
            redisError = RedisError(.protocolViolation, "the server sent invalid RESP; the connection was closed", underlying: parseError)
        } else if let already = error as? RedisError {
            redisError = already
        } else {
            redisError = RedisError(.connectionClosed, "the connection failed", underlying: error)
        }
        fail(stateMachine.closed(redisError), redisError)
        closeChannel(context: context, redisError)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = closeReason ?? RedisError(.connectionClosed, "the connection to the server was closed")
        fail(stateMachine.closed(error), error)
        timer?.cancel()
        onClose?(error)
        context.fireChannelInactive()
    }

    private func fail(_ waiting: [Waiting], _ error: RedisError) {
        for item in waiting { item.promise.fail(error) }
    }

    private func closeChannel(context: ChannelHandlerContext, _ error: RedisError) {
        timer?.cancel()
        timer = nil
        if closeReason == nil { closeReason = error }
        context.close(promise: nil)
    }

    private func arm(at deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        guard let context else { return }
        switch stateMachine.timerFired(now: .now()) {
        case .none: break
        case .rearm(let deadline): arm(at: deadline, context: context)
        case .close(let error, let failing):
            fail(failing, error)
            closeChannel(context: context, error)
        }
    }
}
