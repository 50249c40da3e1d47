public import DiscordEmulator
import Foundation

/// A sandbox scenario (`anankor sandbox --script FILE`): one step per line, `#` starts a comment.
///
///     alice joins Lounge            # a member joins (or moves to) a voice channel
///     alice leaves voice
///     alice: /play query:"lofi beats" next:true
///     alice: /game create title:"Raid night" seats:4   # subcommands follow the name
///     bob: !skip                    # a text command (message-content intent)
///     alice presses skip in Lounge  # a now-playing button: toggle previous skip stop loop shuffle
///     bob presses join on the lobby # a button of the newest lobby message: join leave ready start
///     bob picks tank on the lobby   # a role in the newest lobby message's Join select
///     advance 3m                    # Lavalink's clock moves on (tracks end); also 90s, 1500ms
///     wait 2s                       # real time passes (idle timers, heartbeats)
///     say Anything at all           # a line printed in the transcript as a narrator's note
public struct ScenarioScript: Sendable {
    public enum Step: Sendable, Equatable {
        case join(user: String, channel: String?)
        case slash(user: String, command: String, options: [String: String])
        case text(user: String, message: String)
        case press(user: String, action: String, channel: String)
        /// A lobby control: a button, or (`value`) a role picked in the Join select.
        case pressLobby(user: String, action: String, value: String?)
        case advance(milliseconds: Int64)
        case wait(milliseconds: Int64)
        case note(String)
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var steps: [(line: Int, step: Step)]

    public init(parsing text: String) throws(ParseError) {
        var steps: [(Int, Step)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            steps.append((index + 1, try Self.parse(line, number: index + 1)))
        }
        self.steps = steps
    }

    static func stripComment(_ line: String) -> String {
        var inQuotes = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inQuotes.toggle() }
            if character == "#", !inQuotes { return String(line.prefix(offset)) }
        }
        return line
    }

    static func parse(_ line: String, number: Int) throws(ParseError) -> Step {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") {
            let user = String(line[..<colon])
            let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("/") {
                // `/game create title:"…"`: words without a colon after the name are subcommands.
                var body = Substring(rest.dropFirst())
                var path: [String] = []
                while let word = body.split(separator: " ", maxSplits: 1).first, !word.contains(":") {
                    path.append(String(word))
                    body = body.dropFirst(word.count).drop(while: \.isWhitespace)
                }
                guard !path.isEmpty else { throw ParseError(line: number, message: "a command name must follow /") }
                return .slash(user: user, command: path.joined(separator: " "),
                              options: try options(String(body), number: number))
            }
            return .text(user: user, message: rest)
        }
        switch words.first?.lowercased() {
        case "advance", "wait":
            guard words.count == 2, let ms = milliseconds(words[1]) else {
                throw ParseError(line: number, message: "expected a duration such as 3m, 90s or 1500ms")
            }
            return words[0].lowercased() == "advance" ? .advance(milliseconds: ms) : .wait(milliseconds: ms)
        case "say":
            return .note(words.dropFirst().joined(separator: " "))
        default:
            break
        }
        if words.count >= 3, words[1] == "joins" {
            return .join(user: words[0], channel: words.dropFirst(2).joined(separator: " "))
        }
        if words.count == 3, words[1] == "leaves", words[2] == "voice" { return .join(user: words[0], channel: nil) }
        if words.count == 6, ["presses", "picks"].contains(words[1]), Array(words[3...]) == ["on", "the", "lobby"] {
            return words[1] == "picks"
                ? .pressLobby(user: words[0], action: "join", value: words[2])
                : .pressLobby(user: words[0], action: words[2].lowercased(), value: nil)
        }
        if words.count >= 5, words[1] == "presses", words[3] == "in" {
            return .press(user: words[0], action: words[2], channel: words.dropFirst(4).joined(separator: " "))
        }
        throw ParseError(line: number, message: "cannot read `\(line.prefix(60))`")
    }

    /// `name:value name:"several words"`.
    static func options(_ text: String, number: Int) throws(ParseError) -> [String: String] {
        var options: [String: String] = [:]
        var rest = Substring(text).drop(while: \.isWhitespace)
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: ":") else {
                throw ParseError(line: number, message: "options are written name:value")
            }
            let name = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
            let value: Substring
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else {
                    throw ParseError(line: number, message: "a quote is not closed")
                }
                value = rest[..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
            }
            options[name] = String(value)
            rest = rest.drop(while: \.isWhitespace)
        }
        return options
    }

    static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0 else { return nil }
            return Int64(value * Double(factor))
        }
        return nil
    }
}
