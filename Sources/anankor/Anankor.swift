import ArgumentParser

@main
struct AnankorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anankor",
        abstract: "Self-hosted Discord music and game-session platform.",
        subcommands: [SandboxCommand.self, RunCommand.self, MasterCommand.self, WorkerCommand.self, Emulate.self, Commands.self,
                      DoctorCommand.self]
    )
}

struct Emulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one of the built-in emulators standalone.",
        subcommands: [EmulateDiscord.self, EmulateLavalink.self]
    )
}
