import LavalinkEmulator
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@Suite("Running as a service")
struct LifecycleTests {
    @Test func gracefulShutdownClosesSocketsAndReleasesThePort() async throws {
        var logger = Logger(label: "test.lavalink.lifecycle")
        logger.logLevel = .warning
        let emulator = LavalinkEmulator(configuration: .init(speed: 0), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [emulator], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitUntil { emulator.isListening }
            let port = emulator.port
            let (socket, _) = try await RawLavalinkSocket.connect(emulator)

            await group.triggerGracefulShutdown()
            try await tasks.next()
            try await socket.waitUntilClosed()
            #expect(!emulator.isListening)
            await #expect(throws: (any Error).self, "connection refused after shutdown") {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                try await channel.close()
            }
        }
    }
}

@Suite("Start failures")
struct StartFailureTests {
    @Test func aTakenPortIsAnErrorNotAHang() async throws {
        try await withEmulator { running in
            let second = LavalinkEmulator(configuration: .init(port: running.port, speed: 0))
            await #expect(throws: LavalinkEmulator.StartError.self) { try await second.start() }
            #expect(!second.isListening)
        }
    }
}
