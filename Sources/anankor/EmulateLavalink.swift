import ArgumentParser
import Foundation
import LavalinkEmulator
import Logging
import ServiceLifecycle

struct EmulateLavalink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lavalink",
        abstract: "Run the Lavalink v4 emulator.",
        discussion: "Serves Lavalink's websocket and REST API and the control API under /_emulator/ (docs/emulators/lavalink.md)."
    )

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Password clients must send in Authorization.")
    var password: String = "youshallnotpass"

    @Option(help: "Virtual clock speed: 1 is real time, 1000 plays a 3-minute track in 180 ms, 0 is a manual clock.")
    var speed: Double = 1

    @Option(help: "Virtual milliseconds between playerUpdate messages.")
    var playerUpdateInterval: Int64 = 5000

    @Flag(help: "Let players progress without a voice connection (real Lavalink does not).")
    var progressWithoutVoice = false

    @Option(help: "Plugins the node runs: a comma-separated list of lavasrc, sponsorblock, lavasearch, lavalyrics, or all or none.")
    var plugins: String = "none"

    /// `--plugins` as the emulator's switches; nil when a name is unknown.
    var emulatedPlugins: EmulatedPlugins? { EmulatedPlugins(list: plugins) }

    @Option(help: "The region the node says it runs in (GET /_emulator/node), for LAVALINK_REGIONS tests.")
    var region: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard speed >= 0, speed.isFinite else { throw ValidationError("--speed must be a number ≥ 0") }
        guard playerUpdateInterval > 0 else { throw ValidationError("--player-update-interval must be positive") }
        guard emulatedPlugins != nil else {
            throw ValidationError("--plugins takes lavasrc, sponsorblock, lavasearch, lavalyrics, all or none, separated by commas")
        }
    }

    func run() async throws {
        var logger = Logger(label: "anankor.emulator.lavalink")
        logger.logLevel = .info
        let emulator = LavalinkEmulator(
            configuration: .init(
                host: host, port: port, speed: speed,
                node: .init(password: password, playerUpdateIntervalMs: playerUpdateInterval,
                            progressWithoutVoice: progressWithoutVoice, plugins: emulatedPlugins ?? .none, region: region)
            ),
            logger: logger
        )
        try await emulator.start()
        // The URL goes to stdout alone, unbuffered, so scripts can read it at once.
        FileHandle.standardOutput.write(Data((emulator.baseURL + "\n").utf8))
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: StartedEmulator(emulator: emulator), successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// Keeps an already started emulator running until graceful shutdown, then stops it.
private struct StartedEmulator: Service {
    let emulator: LavalinkEmulator

    func run() async throws {
        try? await gracefulShutdown()
        await emulator.shutdown()
    }
}
