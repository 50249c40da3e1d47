import AnankorTesting
import AnankorMaster
import DiscordKit
import Foundation
import Logging

/// The floor: a bot on DiscordKit that answers every interaction at once with a fixed message.
/// Whatever Anankor adds beyond it (validation, state, routing) is Anankor's own cost; what
/// both pay (gateway, REST, the emulator) is the floor.
enum NullBot {
    static let readyLine = "NULL READY"

    /// Runs until the process is stopped. Reads `DISCORD_API_URL` and `NULL_BOT_TOKEN`.
    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let restURL = environment["DISCORD_API_URL"], let tokenText = environment["NULL_BOT_TOKEN"] else {
            throw BenchmarkError("null-bot: DISCORD_API_URL and NULL_BOT_TOKEN must be set")
        }
        var logger = Logger(label: "bench.null-bot")
        logger.logLevel = .warning
        let token = BotToken(tokenText)
        let rest = DiscordREST(token: token, configuration: .init(baseURL: restURL), logger: logger)
        let application = try await rest.getCurrentApplication()
        // The same command set as Anankor, so the workload's interactions are valid here too.
        _ = try await rest.bulkOverwriteGlobalCommands(applicationID: application.id, CommandPayload.build())
        let gateway = try await rest.getGatewayBot()
        let shard = GatewayShard(configuration: .init(token: token, intents: [.guilds], gatewayURL: gateway.url),
                                 logger: logger)
        let reply = InteractionResponse.message(MessageCreate(content: "ok"))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await shard.run() }
            group.addTask {
                await withDiscardingTaskGroup { answers in
                    for await event in shard.events {
                        switch event {
                        case .ready:
                            FileHandle.standardOutput.write(Data((readyLine + "\n").utf8))
                        case .interactionCreate(let interaction):
                            answers.addTask {
                                _ = try? await rest.createInteractionResponse(
                                    interactionID: interaction.id, token: interaction.token, reply)
                            }
                        default:
                            break
                        }
                    }
                }
            }
        }
    }
}
