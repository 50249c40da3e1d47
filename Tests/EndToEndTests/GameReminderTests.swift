import AnankorCore
import AnankorSandbox
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// Lobby reminders: durable schedule items that workers post exactly once, at the right time,
/// across a worker kill and a master restart.
@Suite("Game reminders end to end")
struct GameReminderTests {
    @Test("a reminder fires once at its time, mentioning everyone signed up, across a worker kill and a master restart",
          arguments: Mode.allCases)
    func reminderOnce(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let created = try await alice.run("game create", ["title": "Quick match", "start": "in 8s", "reminders": "0m"])
            #expect(created.text.hasPrefix("Lobby **Quick match** is open"), "\(created)")
            #expect(try await bob.run("game join").text.hasPrefix("You joined **Quick match**"))
            let createdAt = Date()
            let lobby = try #require(try await stage.ports.state.openLobbies(in: GuildID(world.guild)).first)
            let item = ScheduleItemID("lobby:\(lobby.guild):\(lobby.id):0")
            #expect(try await stage.ports.state.scheduledItem(item) != nil, "the reminder is scheduled")

            // Before it is due: a master restarts and a worker process dies without a goodbye.
            await stage.stopMaster("master-1")
            stage.startMaster("master-2")
            await stage.killWorker("worker-1")

            let workers = Set(world.workers.map(\.userID))
            func reminders() async -> [SandboxMessage] {
                await world.messages().filter { workers.contains($0.author) && $0.content.contains("**Quick match** starts now") }
            }
            #expect(await world.eventually(timeout: .seconds(30)) { await reminders().count == 1 })
            #expect(Date().timeIntervalSince(createdAt) >= 7, "not before its time")
            let reminder = try #require(await reminders().first)
            #expect(reminder.content.contains("<@\(alice.id)>") && reminder.content.contains("<@\(bob.id)>"))
            // Once the item is completed (deleted) nobody can claim it again, so no second post
            // can follow: the count below is final.
            #expect(await world.eventually {
                do { return try await stage.ports.state.scheduledItem(item) == nil } catch { return false }
            }, "nothing left in the schedule")
            #expect(await reminders().count == 1, "posted exactly once")
        }
    }
}
}
