import ArgumentParser
import Foundation

/// `anankor sandbox` needs the master and worker services (the music end-to-end issue). Until
/// they exist it says so plainly and names what runs today, instead of an argument error.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the whole system against the built-in emulators (arrives with the master and worker services)."
    )

    func run() async throws {
        FileHandle.standardError.write(Data("""
            anankor: the sandbox needs the master and worker services, which are not built yet.
            Today you can run the emulators: `anankor emulate discord --port 8090` and
            `anankor emulate lavalink --port 2333`.

            """.utf8))
        throw ExitCode(2)
    }
}
