import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The websocket route's request context; it keeps the connection's channel so a refused
/// handshake can be answered with Lavalink's status.
struct LavalinkWebSocketRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}

/// Hummingbird answers every refused websocket upgrade with a bare `400 Bad Request`. Lavalink
/// answers a bad password with `401 Unauthorized` (also with an empty body), and clients act on
/// the difference (wavelink raises AuthorizationFailedException only on 401). This handler,
/// put at the socket end of a refused connection's pipeline, rewrites that status line.
final class UnauthorizedUpgradeStatus: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let refused = Array("HTTP/1.1 400 Bad Request\r\n".utf8)
    private static let unauthorized = "HTTP/1.1 401 Unauthorized\r\n"

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        if buffer.readableBytesView.starts(with: Self.refused) {
            buffer.moveReaderIndex(forwardBy: Self.refused.count)
            var rewritten = context.channel.allocator.buffer(capacity: buffer.readableBytes + Self.refused.count)
            rewritten.writeString(Self.unauthorized)
            rewritten.writeBuffer(&buffer)
            context.write(wrapOutboundOut(rewritten), promise: promise)
        } else {
            context.write(data, promise: promise)
        }
    }

    /// Arranges for the refusal on `channel` to go out as 401.
    static func install(on channel: any Channel) async {
        try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(UnauthorizedUpgradeStatus(), position: .first)
        }.get()
    }
}
