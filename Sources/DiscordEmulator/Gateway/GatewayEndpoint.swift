import CompressNIO
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// The gateway websocket: one reader (client payloads → the state actor) and one writer (the
/// connection's outbound queue → frames, deflated into one zlib stream under `zlib-stream`).
struct GatewayEndpoint: Sendable {
    let state: EmulatorState

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<EmulatorRequestContext>
    ) async {
        let query = context.request.uri.queryParameters
        let compression = TransportCompression(query["compress"].map { String($0) })
        let (queue, continuation) = AsyncStream.makeStream(of: GatewayOutbound.self)
        let connectionID = await state.openConnection(continuation, compression: compression.name)
        if let version = query["v"].map({ String($0) }), version != "10", version != "9" {
            await state.close(connectionID, code: GatewayCloseCode.invalidAPIVersion, reason: "Invalid API version.")
        } else if let encoding = query["encoding"].map({ String($0) }), encoding != "json" {
            await state.close(connectionID, code: GatewayCloseCode.decodeError, reason: "Only JSON encoding is emulated.")
        }
        let channel = context.requestContext.channel
        let state = self.state
        let clientClose = await ClientCloseObserver.install(on: channel)
        // A quarter of the timeout: a zombie is closed within 1.25 × the timeout, and thousands of
        // idle connections (scale runs) do not wake the state actor every second.
        let zombieCheck = state.configuration.effectiveZombieTimeout / 4
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Self.write(queue, to: outbound, channel: channel, compression: compression)
                }
                group.addTask {
                    // Never returns normally: the close it causes ends the writer, which ends the group.
                    while true {
                        try await Task.sleep(for: zombieCheck)
                        _ = await state.closeIfZombie(connectionID)
                    }
                }
                group.addTask {
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    while let message = try await messages.next() {
                        switch message {
                        case .text(let text): await state.receive(Array(text.utf8), from: connectionID)
                        case .binary(let buffer): await state.receive(Array(buffer.readableBytesView), from: connectionID)
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
                // The reader waits on the socket and does not see task cancellation: when the
                // writer ends (a close, a drop, or the server shutting down) the channel must be
                // closed, or the reader — and with it the server's shutdown — never finishes.
                try? await channel.close()
            }
        } catch {
            // The peer went away mid-write; the session simply becomes resumable.
        }
        await state.connectionEnded(connectionID, clientCloseCode: clientClose.code)
    }

    private static func write(
        _ queue: AsyncStream<GatewayOutbound>, to outbound: WebSocketOutboundWriter, channel: any Channel,
        compression: TransportCompression
    ) async throws {
        let zlib = compression == .zlibStream ? try ZlibCompressor(algorithm: .zlib) : nil
        let zstd = compression == .zstdStream ? ZstdStreamCompressor() : nil
        for await item in queue {
            switch item {
            case .payload(let text):
                if let zlib {
                    var input = ByteBuffer(string: text)
                    var output = ByteBufferAllocator().buffer(capacity: zlib.maxSize(from: input))
                    try zlib.deflate(from: &input, to: &output, flush: .sync)
                    try await outbound.write(.binary(output))
                } else if let zstd {
                    try await outbound.write(.binary(ByteBuffer(bytes: try zstd.compress(text))))
                } else {
                    try await outbound.write(.text(text))
                }
            case .close(let code, let reason):
                try await outbound.close(.init(codeNumber: Int(code)), reason: reason)
                return
            case .drop:
                try await channel.close()
                return
            }
        }
    }
}

/// The `compress` query value of a gateway connection.
enum TransportCompression: Sendable, Equatable {
    case none, zlibStream, zstdStream

    /// `zstd-stream` without a loadable libzstd falls back to text frames, like an unknown value.
    init(_ value: String?) {
        switch value {
        case "zlib-stream": self = .zlibStream
        case "zstd-stream" where ZstdCompressionLibrary.shared != nil: self = .zstdStream
        default: self = .none
        }
    }

    var name: String? {
        switch self {
        case .none: nil
        case .zlibStream: "zlib-stream"
        case .zstdStream: "zstd-stream"
        }
    }
}

/// Sees the close frame a client sends (swift-websocket answers it without telling the handler)
/// and keeps its code, so the emulator can end a session closed with 1000/1001 as Discord does.
final class ClientCloseObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    /// The code of the client's close frame, once one arrived.
    final class Code: Sendable {
        private let value = Mutex<UInt16?>(nil)
        var code: UInt16? { value.withLock { $0 } }
        func record(_ code: UInt16) { value.withLock { $0 = $0 ?? code } }
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            var payload = frame.unmaskedData
            // A close frame without a code counts as 1005 (no status), which keeps the session.
            code.record(payload.readInteger(as: UInt16.self) ?? 1005)
        }
        context.fireChannelRead(data)
    }

    /// Places an observer right after the frame decoder of an upgraded connection.
    static func install(on channel: any Channel) async -> Code {
        let code = Code()
        try? await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            try pipeline.addHandler(ClientCloseObserver(code), position: .after(decoder))
        }.get()
        return code
    }
}
