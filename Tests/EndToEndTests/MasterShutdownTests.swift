import AnankorSandbox
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// A master stopped the way SIGTERM stops it, on the embedded and the distributed adapters.
@Suite("Master shutdown end to end")
struct MasterShutdownTests {
    @Test("an interaction in flight when the master is stopped still gets its answer", arguments: Mode.allCases)
    func drainsInteractionsInFlight(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let bob = stage.member("bob")
            // The answer is held at Discord for a while, so the interaction is still being handled
            // when the shutdown starts.
            await world.discord.delayResponses(by: .seconds(1), path: "/callback")
            let interaction = try await world.discord.invokeSlashCommand(
                "game join", application: world.master.applicationID, channel: world.textChannel, user: bob.id)
            #expect(await world.eventually { await world.discord.pendingResponseDelays() == 0 },
                    "the master never answered")
            await stage.stopMaster("master-1")
            // Read once, right after the stop returned: the answer must already be there.
            let record = try #require(await world.discord.interactionRecord(interaction.id))
            let answer = SandboxWorld.answer(in: record)
            #expect(answer?.text == "There is no open lobby here.", "\(record)")
        }
    }
}
}
