import ArgumentParser
import DiscordEmulator
import Foundation
import Logging
import ServiceLifecycle

struct EmulateDiscord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discord",
        abstract: "Run the Discord emulator (gateway, REST and control API)."
    )

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "A world description (JSON) to load at start; see docs/emulators/discord.md.")
    var world: String?

    func run() async throws {
        let logger = Logger(label: "anankor.emulate.discord")
        let emulator = DiscordEmulator(configuration: .init(host: host, port: port), logger: logger)
        if let world {
            // One line and a sysexits status, not the usage a ValidationError would print.
            let text: String
            do {
                text = try String(contentsOfFile: world, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("anankor emulate discord: cannot read the world file \(world)\n".utf8))
                throw ExitCode(66)
            }
            do {
                try await emulator.loadWorld(json: text)
            } catch {
                FileHandle.standardError.write(Data("anankor emulate discord: world file \(world): \(error.message)\n".utf8))
                throw ExitCode(65)
            }
        }
        let announcer = URLAnnouncer(emulator: emulator)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: emulator), .init(service: announcer)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// Prints the URLs once the emulator listens (tests and scripts read these lines).
private struct URLAnnouncer: Service {
    let emulator: DiscordEmulator

    func run() async throws {
        while emulator.port == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let lines = "gateway: \(emulator.gatewayURL)\nrest: \(emulator.restURL)\ncontrol: \(emulator.controlURL)\n"
            + "playground: \(emulator.playgroundURL)\n"
        // Unbuffered, so a script waiting for these lines sees them at once.
        FileHandle.standardOutput.write(Data(lines.utf8))
        try? await gracefulShutdown()
    }
}
