import CompressNIO
import DiscordEmulator
import Logging
import NIOCore
import Testing
import WSClient

struct GatewayTimeout: Error, CustomStringConvertible {
    let waitingFor: String
    var description: String { "no \(waitingFor) from the gateway within the deadline" }
}

/// A raw gateway client: sends JSON payloads and hands back every payload and the close code.
final class GatewayTestClient: Sendable {
    enum Event: Sendable {
        case payload(EmulatorJSON)
        /// The connection ended; the server's close code, if it sent one.
        case closed(code: Int?)
    }

    let events = Mailbox<Event>()
    /// Binary frames seen (zlib-stream sends only binary frames).
    let binaryFrames = Mailbox<Int>()
    private let outbox: AsyncStream<Outgoing>.Continuation
    private let task: Task<Void, Never>

    enum Outgoing: Sendable {
        case text(String)
        case close(code: Int)
    }

    init(url: String, compress: Bool = false) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        self.outbox = continuation
        let events = self.events
        let binaryFrames = self.binaryFrames
        let query = compress ? "/?v=10&encoding=json&compress=zlib-stream" : "/?v=10&encoding=json"
        task = Task {
            var logger = Logger(label: "gateway-test-client")
            logger.logLevel = .critical
            do {
                let closeFrame = try await WebSocketClient.connect(
                    url: url + query, configuration: .init(maxFrameSize: 1 << 24), logger: logger
                ) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await item in stream {
                                switch item {
                                case .text(let text): try await outbound.write(.text(text))
                                case .close(let code):
                                    try await outbound.close(.init(codeNumber: code), reason: nil)
                                    return
                                }
                            }
                        }
                        group.addTask {
                            let inflater = try ZlibDecompressor(algorithm: .zlib)
                            var pending = ByteBuffer()
                            for try await message in inbound.messages(maxSize: 1 << 24) {
                                switch message {
                                case .text(let text):
                                    if let json = EmulatorJSON.parse(text) { await events.put(.payload(json)) }
                                case .binary(var buffer):
                                    await binaryFrames.put(buffer.readableBytes)
                                    pending.writeBuffer(&buffer)
                                    guard pending.readableBytes >= 4,
                                        pending.getBytes(at: pending.writerIndex - 4, length: 4) == [0, 0, 0xFF, 0xFF]
                                    else { continue }
                                    var output = ByteBufferAllocator().buffer(capacity: max(1 << 16, pending.readableBytes * 64))
                                    try inflater.inflate(from: &pending, to: &output)
                                    pending.clear()
                                    if let json = EmulatorJSON.parse(Array(output.readableBytesView)) {
                                        await events.put(.payload(json))
                                    }
                                }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
                await events.put(.closed(code: closeFrame.map { Self.code($0) }))
            } catch {
                await events.put(.closed(code: nil))
            }
            await events.finish()
        }
    }

    static func code(_ frame: WebSocketCloseFrame) -> Int {
        switch frame.closeCode {
        case .unknown(let raw): Int(raw)
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unexpectedServerError: 1011
        default: -1
        }
    }

    func send(_ payload: EmulatorJSON) { outbox.yield(.text(payload.encoded())) }
    func sendRaw(_ text: String) { outbox.yield(.text(text)) }

    /// Closes from the client side (a non-1000 code keeps the session resumable).
    func close(code: Int = 1000) async {
        outbox.yield(.close(code: code))
        outbox.finish()
        await task.value
    }

    func next(timeout: Duration = .seconds(30)) async throws -> Event {
        guard let event = await events.take(timeout: timeout) else { throw GatewayTimeout(waitingFor: "event") }
        return event
    }

    func nextPayload(timeout: Duration = .seconds(30)) async throws -> EmulatorJSON {
        switch try await next(timeout: timeout) {
        case .payload(let json): return json
        case .closed(let code): throw GatewayClosed(code: code)
        }
    }

    /// The next dispatch of type `event`, skipping other payloads.
    func dispatch(_ event: String, timeout: Duration = .seconds(30)) async throws -> EmulatorJSON {
        while true {
            let payload = try await nextPayload(timeout: timeout)
            if payload["op"]?.intValue == 0, payload["t"]?.stringValue == event { return payload }
        }
    }

    /// Waits for the connection to end and returns the close code.
    func closeCode(timeout: Duration = .seconds(30)) async throws -> Int? {
        while true {
            if case .closed(let code) = try await next(timeout: timeout) { return code }
        }
    }

    /// HELLO, IDENTIFY, READY. Returns READY's `d`.
    @discardableResult
    func identify(token: String, intents: Int64 = 513 | 128, shard: [Int64]? = nil) async throws -> EmulatorJSON {
        let hello = try await nextPayload()
        #expect(hello["op"]?.intValue == 10)
        var data: EmulatorJSON = [
            "token": .string(token), "intents": .int(intents),
            "properties": ["os": "linux", "browser": "test", "device": "test"],
        ]
        if let shard { data["shard"] = .array(shard.map { .int($0) }) }
        send(["op": 2, "d": data])
        return try await dispatch("READY")["d"] ?? .null
    }

    deinit { task.cancel() }
}

struct GatewayClosed: Error {
    let code: Int?
}
