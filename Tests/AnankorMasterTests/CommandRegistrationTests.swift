import AnankorCore
import DiscordKit
import Foundation
import Logging
import Synchronization
import Testing

@testable import AnankorMaster

/// Stands in for Discord's command store: it answers like Discord does (ids, versions, explicit
/// defaults) and counts overwrites.
final class RecordingRegistry: CommandRegistry {
    private let state = Mutex<(stored: [ApplicationCommand], overwrites: Int)>(([], 0))
    var overwrites: Int { state.withLock { $0.overwrites } }

    func registeredCommands() async throws -> [ApplicationCommand] { state.withLock { $0.stored } }

    func overwrite(_ commands: [ApplicationCommand]) async throws -> [ApplicationCommand] {
        // Round-trip through JSON the way Discord stores and returns commands.
        let echoed = try commands.enumerated().map { index, command in
            var object = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(command)) as? [String: Any])
            object["id"] = "\(1_000 + index)"
            object["version"] = "\(2_000 + index)"
            object["application_id"] = "42"
            object["default_member_permissions"] = NSNull()
            if var options = object["options"] as? [[String: Any]] {
                for i in options.indices where options[i]["required"] == nil { options[i]["required"] = false }
                object["options"] = options
            }
            return try JSONDecoder().decode(ApplicationCommand.self, from: JSONSerialization.data(withJSONObject: object))
        }
        state.withLock {
            $0.stored = echoed
            $0.overwrites += 1
        }
        return echoed
    }
}

@Suite("Slash command registration")
struct CommandRegistrationTests {
    let logger = Logger(label: "test")

    @Test func payloadCarriesLocalizationsAndDiscordShapes() throws {
        let commands = CommandPayload.build()
        #expect(commands.count == CommandSpec.all.count)
        let play = try #require(commands.first { $0.name == "play" })
        #expect(play.nameLocalizations?["de"] == "abspielen")
        #expect(play.descriptionLocalizations?["ja"] != nil)
        #expect(play.contexts == [0])
        let query = try #require(play.options?.first)
        #expect(query.required == true)
        #expect(query.autocomplete == true)
        let loop = try #require(commands.first { $0.name == "loop" })
        let choices = try #require(loop.options?.first?.choices)
        #expect(choices.map(\.value) == [.string("off"), .string("track"), .string("queue")])
        #expect(choices[1].nameLocalizations?["fr"] == "Titre en cours")

        let json = try #require(String(data: JSONEncoder().encode(play), encoding: .utf8))
        #expect(json.contains("\"name_localizations\""))
        #expect(json.contains("\"description_localizations\""))
        let game = try #require(commands.first { $0.name == "game" })
        #expect(game.options?.allSatisfy { $0.type.rawValue == 1 } == true)
        let voice = try #require(game.options?.first?.options?.first { $0.name == "voice" })
        #expect(voice.channelTypes?.map(\.rawValue) == [2, 13])
    }

    @Test func secondSyncIsSkippedWhenNothingChanged() async throws {
        let registry = RecordingRegistry()
        let registration = CommandRegistration(registry: registry)
        #expect(try await registration.sync(logger: logger) == .overwritten(count: CommandSpec.all.count))
        #expect(try await registration.sync(logger: logger) == .unchanged(count: CommandSpec.all.count))
        #expect(registry.overwrites == 1)
    }

    @Test func aChangedDescriptionIsRegisteredAgain() async throws {
        let registry = RecordingRegistry()
        _ = try await CommandRegistration(registry: registry).sync(logger: logger)
        var changed = CommandPayload.build()
        changed[0].descriptionLocalizations?["de"] = "Etwas anderes"
        #expect(try await CommandRegistration(registry: registry, desired: changed).sync(logger: logger)
                == .overwritten(count: changed.count))
        #expect(registry.overwrites == 2)
    }

    @Test func orderOfCommandsDoesNotMatterButOrderOfOptionsDoes() {
        let desired = CommandPayload.build()
        #expect(CommandRegistration.isEquivalent(registered: desired.reversed(), desired: desired))
        var swapped = desired
        let index = swapped.firstIndex { $0.name == "move" }!
        swapped[index].options?.reverse()
        #expect(!CommandRegistration.isEquivalent(registered: swapped, desired: desired))
    }
}
