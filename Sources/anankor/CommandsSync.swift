import AnankorDoctor
import AnankorMaster
import AnankorSettings
import ArgumentParser
import DiscordKit

struct Commands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage Anankor's slash commands.",
        subcommands: [CommandsSync.self]
    )
}

struct CommandsSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Register the slash commands globally (one bulk overwrite, skipped when Discord already has them).",
        discussion: AnankorSettings.helpText(for: .commandsSync)
    )

    func run() async throws {
        let settings = try await OperatorStartup.settings(for: .commandsSync)
        let logger = OperatorStartup.bootstrapTelemetry(settings)
        if let refused = await Doctor(settings: settings, logger: logger).refusedToken(for: .commandsSync) {
            OperatorStartup.fail(refused)
        }
        guard let token = settings.masterToken else { throw ExitCode(78) }
        let rest = DiscordREST(
            token: BotToken(token.exposedValue),
            configuration: .init(baseURL: settings.discordAPIURL),
            logger: logger)
        do {
            let application = try await rest.getCurrentApplication()
            let registry = GlobalCommandRegistry(rest: rest, applicationID: application.id)
            switch try await CommandRegistration(registry: registry).sync(logger: logger) {
            case .unchanged(let count): print("\(count) slash commands already registered; nothing to do")
            case .overwritten(let count): print("registered \(count) slash commands")
            }
        } catch {
            // DiscordKit's errors carry Discord's code and message, never the token.
            print("anankor: could not register the slash commands: \(error)")
            throw ExitCode.failure
        }
    }
}
