@testable import AnankorMaster
import AnankorCore
import DiscordKit
import Foundation
import Testing

/// Options are checked against the registered definitions before anything runs, because a text
/// command, a stale client or a hostile payload can carry anything.
@Suite("Command validation")
struct CommandValidationTests {
    /// Built the way the gateway delivers it: decoded from JSON.
    func data(_ name: String, _ options: [InteractionOption]) -> ApplicationCommandData {
        let encoded = try! JSONEncoder().encode(options)
        let json = #"{"id":"1","name":"\#(name)","type":1,"options":"# + String(decoding: encoded, as: UTF8.self) + "}"
        return try! JSONDecoder().decode(ApplicationCommandData.self, from: Data(json.utf8))
    }

    @Test("valid slash options come through typed and trimmed")
    func valid() throws {
        let (name, options) = try CommandValidation.slash(data("play", [
            InteractionOption(name: "query", type: .string, value: .string("  lofi beats ")),
            InteractionOption(name: "next", type: .boolean, value: .bool(true)),
        ]))
        #expect(name == "play")
        #expect(options["query"] == .string("lofi beats"))
        #expect(options["next"] == .bool(true))
    }

    @Test("subcommands flatten into the invocation name")
    func subcommand() throws {
        let (name, options) = try CommandValidation.slash(data("game", [
            InteractionOption(name: "create", type: .subcommand, options: [
                InteractionOption(name: "title", type: .string, value: .string("Raid night")),
                InteractionOption(name: "seats", type: .integer, value: .integer(5)),
            ]),
        ]))
        #expect(name == "game.create")
        #expect(options["seats"] == .integer(5))
    }

    @Test("out of range, too long, wrong type, unknown and missing options are refused with the option named",
          arguments: [
              ("volume", [InteractionOption(name: "level", type: .integer, value: .integer(201))], "volume.level"),
              ("volume", [InteractionOption(name: "level", type: .integer, value: .string("loud"))], "volume.level"),
              ("play", [InteractionOption(name: "query", type: .string, value: .string(String(repeating: "x", count: 501)))], "play.query"),
              ("play", [InteractionOption(name: "query", type: .string, value: .string("   "))], "play.query"),
              ("play", [], "play.query"),
              ("loop", [InteractionOption(name: "mode", type: .string, value: .string("forever"))], "loop.mode"),
              ("skip", [InteractionOption(name: "bogus", type: .integer, value: .integer(1))], "skip.bogus"),
          ])
    func refused(command: String, options: [InteractionOption], option: String) {
        #expect {
            try CommandValidation.slash(data(command, options))
        } throws: { error in
            guard let problem = error as? InvocationProblem else { return false }
            return problem.key == .errorInvalidOption && problem.option?.path == option
        }
    }

    @Test("a refused option is explained in the member's language, with the option's registered name")
    func refusalIsLocalized() throws {
        #expect {
            try CommandValidation.slash(data("volume", [InteractionOption(name: "level", type: .integer, value: .integer(-5))]))
        } throws: { error in
            guard let problem = error as? InvocationProblem else { return false }
            return InteractionDispatcher.text(of: problem, .german, .standard)
                == "Die Option `stufe` ist ungültig: sie muss mindestens 0 sein."
        }
    }

    @Test("an unknown command is refused as unknown")
    func unknownCommand() {
        #expect(throws: InvocationProblem.self) { try CommandValidation.slash(data("selfdestruct", [])) }
    }

    @Test("text commands read options in order, the last text option taking the rest of the line")
    func textCommands() throws {
        let play = try CommandValidation.text(command: "play", arguments: " never gonna give you up")
        #expect(play.1["query"] == .string("never gonna give you up"))
        let move = try CommandValidation.text(command: "move", arguments: "3 1")
        #expect(move.1["from"] == .integer(3) && move.1["to"] == .integer(1))
        #expect(throws: InvocationProblem.self) { try CommandValidation.text(command: "volume", arguments: "loud") }
        #expect(throws: InvocationProblem.self) { try CommandValidation.text(command: "move", arguments: "3") }
    }

    @Test("now-playing buttons round-trip their session")
    func buttonIDs() throws {
        let session = SessionKey(guild: GuildID(10), channel: ChannelID(20))
        for action in NowPlayingBoard.Action.allCases {
            let parsed = try #require(NowPlayingBoard.parse(customID: NowPlayingBoard.customID(action, session)))
            #expect(parsed.0 == action && parsed.1 == session)
        }
        #expect(NowPlayingBoard.parse(customID: "np:explode:1:2") == nil)
        #expect(NowPlayingBoard.parse(customID: "np:skip:x:2") == nil)
    }

    @Test("bot tokens name their bot")
    func tokenIdentity() {
        // base64("123456789012345678")
        #expect(BotToken("MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.xyz").userID?.rawValue == 123_456_789_012_345_678)
        #expect(BotToken("not a token").userID == nil)
    }

    @Test("plain words search YouTube, links and prefixed searches go as they are")
    func identifiers() {
        #expect(TrackResolver.identifier(for: "lofi beats") == "ytsearch:lofi beats")
        #expect(TrackResolver.identifier(for: "https://youtu.be/x") == "https://youtu.be/x")
        #expect(TrackResolver.identifier(for: "scsearch:rain") == "scsearch:rain")
        #expect(TrackResolver.identifier(for: "sprec:seed_tracks=0eG08cBeKk0mzykKjw4hcQ") == "sprec:seed_tracks=0eG08cBeKk0mzykKjw4hcQ",
                "autoplay's LavaSrc recommendations go out as they are")
        for prefixed in ["spsearch:architects", "amsearch:x", "dzsearch:x", "ymsearch:x", "dzisrc:USUM71703861"] {
            #expect(TrackResolver.identifier(for: "  \(prefixed) ") == prefixed)
        }
        #expect(TrackResolver.identifier(for: "foo:bar") == "ytsearch:foo:bar", "an unknown prefix is a search term")
    }

    @Test("a typed search keeps the member's LavaSrc prefix, else uses the first source the node has")
    func typedSearchIdentifiers() {
        #expect(TrackResolver.searchIdentifier("dzsearch:daft punk", sources: ["spotify"]) == "dzsearch:daft punk")
        #expect(TrackResolver.searchIdentifier("daft punk", sources: ["youtube", "deezer", "applemusic"])
            == "dzsearch:daft punk", "Spotify first, then Deezer")
        #expect(TrackResolver.searchIdentifier("daft punk", sources: ["applemusic", "spotify"]) == "spsearch:daft punk")
        #expect(TrackResolver.searchIdentifier(" daft punk ", sources: ["youtube"]) == "spsearch:daft punk",
                "none known: Spotify's prefix (the node then answers nothing)")
    }
}
