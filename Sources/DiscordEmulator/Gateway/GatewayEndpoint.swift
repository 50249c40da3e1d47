import CompressNIO
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The gateway websocket: one reader (client payloads → the state actor) and one writer (the
/// connection's outbound queue → frames, deflated into one zlib stream under `zlib-stream`).
struct GatewayEndpoint: Sendable {
    let state: EmulatorState

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<EmulatorRequestContext>
    ) async {
        let query = context.request.uri.queryParameters
        let compress = query["compress"].map { String($0) } == "zlib-stream"
        let (queue, continuation) = AsyncStream.makeStream(of: GatewayOutbound.self)
        let connectionID = await state.openConnection(continuation)
        if let version = query["v"].map({ String($0) }), version != "10", version != "9" {
            await state.close(connectionID, code: GatewayCloseCode.invalidAPIVersion, reason: "Invalid API version.")
        } else if let encoding = query["encoding"].map({ String($0) }), encoding != "json" {
            await state.close(connectionID, code: GatewayCloseCode.decodeError, reason: "Only JSON encoding is emulated.")
        }
        let channel = context.requestContext.channel
        let state = self.state
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Self.write(queue, to: outbound, channel: channel, compress: compress)
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
        await state.connectionEnded(connectionID)
    }

    private static func write(
        _ queue: AsyncStream<GatewayOutbound>, to outbound: WebSocketOutboundWriter, channel: any Channel,
        compress: Bool
    ) async throws {
        let compressor = compress ? try ZlibCompressor(algorithm: .zlib) : nil
        for await item in queue {
            switch item {
            case .payload(let text):
                if let compressor {
                    var input = ByteBuffer(string: text)
                    var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
                    try compressor.deflate(from: &input, to: &output, flush: .sync)
                    try await outbound.write(.binary(output))
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
