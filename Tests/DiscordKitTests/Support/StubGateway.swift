import CompressNIO
import DiscordKit
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// A tiny gateway for testing the shard's I/O where the emulator cannot misbehave on demand:
/// it can stop ACKing heartbeats (zombie) or close with a chosen code on IDENTIFY.
final class StubGateway: Sendable {
    struct Behavior: Sendable {
        var ackHeartbeats = true
        var closeOnIdentify: UInt16?
        var heartbeatInterval = 200
    }

    let behavior = Mutex(Behavior())
    /// Every client payload, decoded.
    let received = Mutex<[JSONValue]>([])
    /// The query string of every connection.
    let connections = Mutex<[String]>([])
    private let running = Mutex<Task<Void, Never>?>(nil)
    private let boundPort = Mutex(0)

    var url: String { "ws://127.0.0.1:\(boundPort.withLock { $0 })" }

    func start() async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/") { inbound, outbound, context in
            try await self.serve(query: context.request.uri.query ?? "", inbound: inbound, outbound: outbound)
        }
        let (started, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "stub-gateway")
        logger.logLevel = .critical
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        running.withLock { $0 = Task { try? await app.run() } }
        for await port in started {
            boundPort.withLock { $0 = port }
            break
        }
    }

    func stop() async {
        let task = running.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    func payloads(op: Int) -> [JSONValue] {
        received.withLock { $0.filter { $0["op"]?.numberValue == Double(op) } }
    }

    private func serve(query: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        connections.withLock { $0.append(query) }
        let compressor = query.contains("compress=zlib-stream") ? try ZlibCompressor(algorithm: .zlib) : nil
        func send(_ json: String) async throws {
            if let compressor {
                var input = ByteBuffer(string: json)
                try await outbound.write(.binary(try input.compressStream(with: compressor, flush: .sync)))
            } else {
                try await outbound.write(.text(json))
            }
        }
        let behavior = behavior.withLock { $0 }
        try await send(#"{"op":10,"d":{"heartbeat_interval":\#(behavior.heartbeatInterval)},"s":null,"t":null}"#)
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message,
                  let payload = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { continue }
            received.withLock { $0.append(payload) }
            switch payload["op"]?.numberValue {
            case 1:
                if self.behavior.withLock({ $0.ackHeartbeats }) { try await send(#"{"op":11}"#) }
            case 2:
                if let code = behavior.closeOnIdentify {
                    try await outbound.close(.unknown(code), reason: "closing as told")
                    return
                }
                try await send(#"{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1000","username":"bot","bot":true},"guilds":[{"id":"41771983423143937","unavailable":true}],"session_id":"stub-session","resume_gateway_url":"\#(url)"}}"#)
                try await send(#"{"op":0,"s":2,"t":"GUILD_CREATE","d":{"id":"41771983423143937","name":"Stub","owner_id":"1","roles":[],"channels":[{"id":"5","type":2,"name":"Voice"}],"voice_states":[]}}"#)
            case 6:
                try await send(#"{"op":0,"s":3,"t":"MESSAGE_CREATE","d":{"id":"9","channel_id":"5","content":"missed"}}"#)
                try await send(#"{"op":0,"s":4,"t":"RESUMED","d":null}"#)
            default:
                break
            }
        }
    }
}
