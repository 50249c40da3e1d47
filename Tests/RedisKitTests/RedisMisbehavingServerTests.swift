import NIOCore
import NIOPosix
import RedisKit
import Testing

/// A loopback TCP server that answers each read with the next canned reply (or stays silent),
/// standing in for a broken or hostile Redis.
private final class CannedServer: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(replies: [String]) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(CannedReplies(replies: replies))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async { try? await channel.close() }
}

private final class CannedReplies: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var replies: [String]

    init(replies: [String]) { self.replies = replies }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !replies.isEmpty else { return }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: replies.removeFirst())), promise: nil)
    }
}

@Suite struct RedisMisbehavingServerTests {
    private func connect(_ server: CannedServer, commandTimeout: Duration = .seconds(10)) async throws -> RedisConnection {
        // RESP2 without password: no handshake, so the canned replies answer the test's commands.
        var configuration = RedisConfiguration(port: server.port, protocolVersion: 2)
        configuration.commandTimeout = commandTimeout
        return try await RedisConnection.connect(configuration: configuration)
    }

    @Test func invalidRESPFailsTheCommandAndClosesTheConnection() async throws {
        let server = try await CannedServer(replies: ["?garbage\r\n"])
        let connection = try await connect(server)
        let error = await #expect(throws: RedisError.self) { try await withTimeout { try await connection.send("PING") } }
        #expect(error?.code == .protocolViolation)
        try await eventually { if connection.isOpen { throw TimeoutError() } }
        await server.close()
    }

    @Test func aHugeDeclaredBulkIsRejectedWithoutWaitingForIt() async throws {
        let server = try await CannedServer(replies: ["$99999999999\r\n"])
        let connection = try await connect(server)
        let error = await #expect(throws: RedisError.self) { try await withTimeout { try await connection.send("GET", "k") } }
        #expect(error?.code == .protocolViolation)
        await server.close()
    }

    @Test func aServerThatNeverAnswersTimesOutInsteadOfHanging() async throws {
        let server = try await CannedServer(replies: [])
        let connection = try await connect(server, commandTimeout: .milliseconds(200))
        let error = await #expect(throws: RedisError.self) { try await withTimeout { try await connection.send("PING") } }
        #expect(error?.code == .timeout)
        #expect(!connection.isOpen)
        await server.close()
    }
}
