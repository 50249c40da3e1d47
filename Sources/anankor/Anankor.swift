import ArgumentParser

#if canImport(Glibc)
// `stdout` is a C global; it is touched once, before anything else runs, so the concurrency
// diagnostics for it do not apply.
@preconcurrency import Glibc
#endif

/// The release this binary is; CHANGELOG.md's newest heading names the same (scripts/checks/cli.sh).
let anankorVersion = "0.1.0"

@main
enum Entry {
    static func main() async {
        // Line-buffered even into a pipe or a file, so `anankor sandbox > log` and a piped
        // `--script` transcript show each line as it happens rather than at exit.
        setvbuf(stdout, nil, _IOLBF, 0)
        await AnankorCommand.main()
    }
}

struct AnankorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anankor",
        abstract: "Self-hosted Discord music and game-session platform.",
        discussion: "Configuration: environment variables, listed in docs/configuration.md; setup: docs/self-hosting.md.",
        version: anankorVersion,
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
