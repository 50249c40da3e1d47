import AnankorMaster
import AnankorSandbox
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// A master with more interactions in hand than it takes at once, as the members see it.
@Suite("Interaction admission end to end")
struct InteractionAdmissionEndToEndTests {
    @Test("beyond the running limit a member sees “thinking…” and then the answer; beyond the waiting limit, that the bot is busy",
          arguments: Mode.allCases)
    func floodIsBounded(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.admission = AdmissionLimits(running: 1, waiting: 1)
        try await withStage(mode, tuning: tuning) { stage in
            let world = stage.world
            let bob = stage.member("bob")
            // The first member's answer is held at Discord for a while: the master's one turn is
            // taken until it is through.
            await world.discord.delayResponses(by: .seconds(2), path: "/callback")
            let first = try await world.discord.invokeSlashCommand(
                "game join", application: world.master.applicationID, channel: world.textChannel, user: bob.id)
            #expect(await world.eventually { await world.discord.pendingResponseDelays() == 0 },
                    "the first interaction was never answered")
            let waiting = try await world.discord.invokeSlashCommand(
                "game join", application: world.master.applicationID, channel: world.textChannel, user: bob.id)
            let refused = try await world.discord.invokeSlashCommand(
                "game join", application: world.master.applicationID, channel: world.textChannel, user: bob.id)

            #expect(await world.eventually {
                await world.discord.interactionRecord(refused.id).flatMap(SandboxWorld.answer(in:)) != nil
            }, "the interaction beyond both limits was not answered")
            let busy = try #require(await world.discord.interactionRecord(refused.id).flatMap(SandboxWorld.answer(in:)))
            #expect(busy.text == "The bot is busy right now. Try again in a moment.")
            #expect(busy.ephemeral, "the busy answer goes to the member alone")

            for interaction in [first, waiting] {
                #expect(await world.eventually {
                    await world.discord.interactionRecord(interaction.id).flatMap(SandboxWorld.answer(in:))?.text
                        == "There is no open lobby here."
                }, "interaction \(interaction.id) did not get its answer")
            }
            // The waiting one was acknowledged first ("thinking…"), then answered in that message.
            let record = try #require(await world.discord.interactionRecord(waiting.id))
            let callback = record["responses"]?.arrayValue?.first { $0["kind"]?.stringValue == "callback" }
            #expect(callback?["body"]?["type"]?.intValue == 5, "\(record)")
        }
    }
}
}
