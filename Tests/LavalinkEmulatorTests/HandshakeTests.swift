import LavalinkEmulator
import NIOCore
import NIOPosix
import Testing

/// The websocket handshake as raw HTTP/1.1, to see the upgrade response's status and headers.
@Suite("Websocket handshake on the wire")
struct HandshakeTests {
    /// Sends an upgrade request and returns the response head (status line and headers).
    private func upgrade(_ emulator: LavalinkEmulator, headers: [String]) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: emulator.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let request = (["GET /v4/websocket HTTP/1.1", "Host: 127.0.0.1", "Connection: Upgrade", "Upgrade: websocket",
                        "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Client-Name: tests/1"]
            + headers).joined(separator: "\r\n") + "\r\n\r\n"
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: request))
                    var received = ""
                    for try await buffer in inbound {
                        received += String(buffer: buffer)
                        if let end = received.range(of: "\r\n\r\n") { return String(received[..<end.lowerBound]) }
                    }
                    return received
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                throw TestTimeout(description: "no handshake response within 5 s")
            }
            let head = try await group.next() ?? ""
            group.cancelAll()
            return head
        }
    }

    @Test func badPasswordIs401AndMissingUserIdIs400() async throws {
        try await withEmulator { emulator in
            let wrong = try await upgrade(emulator, headers: ["Authorization: nope", "User-Id: 1"])
            #expect(wrong.hasPrefix("HTTP/1.1 401 "))
            let noUser = try await upgrade(emulator, headers: ["Authorization: \(emulator.password)"])
            #expect(noUser.hasPrefix("HTTP/1.1 400 "))
        }
    }

    @Test func theUpgradeSaysWhetherTheSessionWasResumed() async throws {
        try await withEmulator { emulator in
            let fresh = try await upgrade(emulator, headers: ["Authorization: \(emulator.password)", "User-Id: 1"])
            #expect(fresh.hasPrefix("HTTP/1.1 101 "))
            #expect(fresh.lowercased().contains("session-resumed: false"))
            #expect(fresh.lowercased().contains("lavalink-api-version: 4"))

            let (socket, ready) = try await RawLavalinkSocket.connect(emulator, userId: "1")
            let sessionId = try #require(ready["sessionId"]?.stringValue)
            _ = try await rest(emulator, .PATCH, "/v4/sessions/\(sessionId)", body: ["resuming": true])
            await socket.close()
            try await waitUntil { await emulator.sessions().first { $0.sessionId == sessionId }?.connected == false }
            let resumed = try await upgrade(emulator, headers: ["Authorization: \(emulator.password)", "User-Id: 1", "Session-Id: \(sessionId)"])
            #expect(resumed.lowercased().contains("session-resumed: true"))
        }
    }
}
