import AnankorCore
import DiscordEmulator
import DiscordKit
import Logging
import Testing

@testable import AnankorMaster

/// The registration against the Discord emulator, which validates command payloads the way
/// Discord does (names, lengths, option order, localizations): a payload it refuses would be
/// refused by Discord and leave every server without commands.
@Suite("Slash command registration against the Discord emulator")
struct CommandRegistrationEmulatorTests {
    @Test func registersOnceThenSkipsAndMembersSeeLocalizedNames() async throws {
        let emulator = DiscordEmulator()
        _ = try await emulator.start()
        do {
            let bot = await emulator.createBot(name: "Anankor")
            let rest = DiscordREST(token: BotToken(bot.token), configuration: .init(baseURL: emulator.restURL))
            let application = try await rest.getCurrentApplication()
            let registration = CommandRegistration(
                registry: GlobalCommandRegistry(rest: rest, applicationID: application.id))
            let logger = Logger(label: "test")

            #expect(try await registration.sync(logger: logger) == .overwritten(count: CommandSpec.all.count))
            #expect(try await registration.sync(logger: logger) == .unchanged(count: CommandSpec.all.count))

            let registered = try await rest.getGlobalCommands(applicationID: application.id, withLocalizations: true)
            let play = try #require(registered.first { $0.name == "play" })
            #expect(play.nameLocalizations?["ja"] == "再生")
            #expect(play.id != nil)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
