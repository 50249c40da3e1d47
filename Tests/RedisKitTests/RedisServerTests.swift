import AnankorTesting
import Foundation
import Testing

@Suite struct RedisServerTests {
    @Test func restartComesBackOnTheSamePortAfterAKill() async throws {
        let server = try await RedisServer(options: .init(appendOnly: true))
        #expect(FreePort.isAccepting(port: server.port))
        server.kill()
        #expect(!server.isRunning)
        #expect(!FreePort.isAccepting(port: server.port))
        try await server.restart()
        #expect(server.isRunning)
        #expect(FreePort.isAccepting(port: server.port))
        #expect(server.url == "redis://127.0.0.1:\(server.port)")
        server.stop()
        #expect(!server.isRunning)
    }
}
