import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix
import Synchronization

/// A value shared between the harness's tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}

/// Plain HTTP calls to the processes' operations endpoints and the Lavalink nodes' control APIs.
enum HTTPProbe {
    /// Unlike `HTTPClient.shared`, this client does not retry a refused connection until the
    /// request's deadline: a killed process must read as "not answering" at once. With retries,
    /// every probe of a dead Lavalink node waited out its whole timeout, so the observer, which
    /// reads the nodes one after another, took a sample of the surviving node only every 1–5 s;
    /// the checker took those gaps between samples for silence behind a ▶️ look (the "hidden
    /// silence" of about 5 s after `lavalink-node-kill9`, while the moved players played on).
    /// Lives for the whole process, like `shared`.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static func status(_ url: String) async -> Int? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    static func post(_ url: String, json: [String: Any]) async -> Int? {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
            let response = try await client.execute(request, timeout: .seconds(5))
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    /// A JSON object from `url`.
    static func object(_ url: String, headers: [String: String] = [:]) async -> [String: Any]? {
        do {
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await client.execute(request, timeout: .seconds(5))
            let buffer = try await response.body.collect(upTo: 8 << 20)
            guard response.status == .ok else { return nil }
            return try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]
        } catch {
            return nil
        }
    }

    /// A JSON array from `url`; nil when the server does not answer (a dead node).
    static func array(_ url: String, timeout: Duration = .seconds(2)) async -> [[String: Any]]? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(timeout.components.seconds))
            let buffer = try await response.body.collect(upTo: 32 << 20)
            guard response.status == .ok else { return nil }
            return try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [[String: Any]]
        } catch {
            return nil
        }
    }
}

/// A TCP proxy on loopback between Anankor and redis-server that can hold every chunk for a
/// while in both directions: the "slow store" fault. With no delay it only forwards.
final class DelayProxy: Sendable {
    let port: Int
    let delay: Locked<Duration>
    private let channel: any Channel

    private init(port: Int, delay: Locked<Duration>, channel: any Channel) {
        self.port = port
        self.delay = delay
        self.channel = channel
    }

    static func start(forwardingTo targetPort: Int) async throws -> DelayProxy {
        let delay = Locked(Duration.zero)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMapThrowing { outbound in
                        // Both channels live on the inbound channel's event loop, where this runs.
                        try outbound.pipeline.syncOperations.addHandler(Forwarder(peer: inbound, delay: delay))
                        try inbound.pipeline.syncOperations.addHandler(Forwarder(peer: outbound, delay: delay))
                    }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ChaosError("the Redis proxy has no port") }
        return DelayProxy(port: port, delay: delay, channel: channel)
    }

    func stop() async { try? await channel.close() }

    /// Forwards what one side reads to the other, after the current delay; closes the other side
    /// when this one closes.
    private final class Forwarder: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        let peer: any Channel
        let delay: Locked<Duration>

        init(peer: any Channel, delay: Locked<Duration>) {
            self.peer = peer
            self.delay = delay
        }

        /// When the last chunk goes out: a later chunk never overtakes it, also when the delay
        /// drops back to zero at the end of the fault (a reordered reply would desynchronise the
        /// client, which is not the fault being simulated).
        private var lastDue = NIODeadline.uptimeNanoseconds(0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let wait = delay.value
            let now = NIODeadline.now()
            let due = max(now + .nanoseconds(Int64(wait.components.seconds) * 1_000_000_000
                                            + wait.components.attoseconds / 1_000_000_000), lastDue)
            lastDue = due
            let peer = self.peer
            if due <= now {
                peer.writeAndFlush(buffer, promise: nil)
            } else {
                context.eventLoop.scheduleTask(deadline: due) { peer.writeAndFlush(buffer, promise: nil) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

struct ChaosError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A small deterministic generator (xorshift64*), so a run's choices follow from its seed.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

/// Wall-clock milliseconds since the Unix epoch, the emulators' time base for their records.
func unixMilliseconds() -> Double { Date().timeIntervalSince1970 * 1000 }
