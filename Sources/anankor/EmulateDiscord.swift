import ArgumentParser

struct EmulateDiscord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discord",
        abstract: "Run the Discord emulator (gateway, REST and control API)."
    )

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 0

    func run() async throws {
        throw ValidationError("the Discord emulator is not built yet")
    }
}
