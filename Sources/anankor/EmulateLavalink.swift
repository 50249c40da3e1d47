import ArgumentParser

struct EmulateLavalink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lavalink",
        abstract: "Run the Lavalink v4 emulator."
    )

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 0

    func run() async throws {
        throw ValidationError("the Lavalink emulator is not built yet")
    }
}
