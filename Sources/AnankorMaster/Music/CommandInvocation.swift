import AnankorCore
import DiscordKit

/// An option value after validation against the command's `CommandSpec`.
enum OptionValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case snowflake(UInt64)

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
}

/// A member's command, whichever way it arrived: a slash command, a button on the now-playing
/// message, a select menu, or a `!`-prefixed text message. Everything downstream works on this.
struct CommandInvocation: Sendable {
    /// The command (`play`) or, for `/game`, `game.create`.
    var name: String
    var options: [String: OptionValue]
    var guild: GuildID
    var textChannel: ChannelID?
    var user: UserID
    var roles: [RoleID]
    /// The member's permissions in the channel, when Discord sent them (interactions do).
    var permissions: Permissions?
    var locale: AnankorCore.DiscordLocale
    /// Buttons name the session they belong to; commands act on the caller's voice channel.
    var targetSession: SessionKey?
    /// The interaction or message id: a redelivered command is recognised by it. Commands the
    /// master makes up itself (a lobby's music) get a random one.
    var id: UInt64 = UInt64.random(in: 1...(UInt64.max >> 1))
    /// How another master can answer this command (`CommandHandle`, encoded), if it can.
    var handle: String?

    func string(_ name: String) -> String? { options[name]?.string }
    func integer(_ name: String) -> Int64? { options[name]?.integer }
    func bool(_ name: String) -> Bool? { options[name]?.bool }

    /// Whether the member may manage the server (DJ gating does not apply to them).
    var isManager: Bool {
        guard let permissions else { return false }
        return permissions.contains(.administrator) || permissions.contains(.manageGuild)
    }
}

/// Why an invocation was refused before it ran: the localized reply says what to fix.
struct InvocationProblem: Error, Sendable {
    var key: MessageKey
    var arguments: [String: String]
    /// Further lines of the same reply (an invite link after "all sessions are busy").
    var followUps: [(key: MessageKey, arguments: [String: String])] = []
    /// For `error.invalidOption`: the option's path (`volume.level`), named in the reply as
    /// registered in the member's locale, and why its value was refused.
    var option: (path: String, detail: MessageKey, arguments: [String: String])?
    init(_ key: MessageKey, _ arguments: [String: String] = [:]) {
        self.key = key
        self.arguments = arguments
    }
}

/// Checks options against the registered `CommandSpec`s, because Discord's own checks can be
/// bypassed (text commands, a stale client, a hostile payload): unknown commands and options, wrong
/// types, values out of range and over-long strings become a localized `error.invalidOption`.
enum CommandValidation {
    static let specs: [String: CommandSpec] = Dictionary(uniqueKeysWithValues: CommandSpec.all.map { ($0.name, $0) })

    /// Flattens a slash command's data (with `/game`'s subcommand into `game.create`) and validates.
    static func slash(_ data: ApplicationCommandData) throws(InvocationProblem) -> (String, [String: OptionValue]) {
        guard let spec = specs[data.name] else { throw InvocationProblem(.errorUnknownCommand) }
        var name = data.name
        var raw = data.options ?? []
        var optionSpecs = spec.options
        if let sub = raw.first, sub.type == .subcommand {
            guard let subSpec = spec.options.first(where: { $0.name == sub.name && $0.kind == .subcommand }) else {
                throw InvocationProblem(.errorUnknownCommand)
            }
            name += ".\(sub.name)"
            raw = sub.options ?? []
            optionSpecs = subSpec.options
        } else if spec.options.contains(where: { $0.kind == .subcommand }) {
            throw InvocationProblem(.errorUnknownCommand)
        }
        var values: [String: OptionValue] = [:]
        for option in raw {
            guard let optionSpec = optionSpecs.first(where: { $0.name == option.name }) else {
                throw invalid("\(name).\(option.name)", .errorOptionUnknown)
            }
            guard let value = option.value else { throw invalid("\(name).\(option.name)", .errorOptionRequired) }
            values[option.name] = try check(value, against: optionSpec, path: "\(name).\(option.name)")
        }
        try requireAll(optionSpecs, in: values, command: name)
        return (name, values)
    }

    /// Parses `!play never gonna`-style arguments: options in their declared order, the last
    /// string option taking the rest of the line.
    static func text(command: String, arguments: String) throws(InvocationProblem) -> (String, [String: OptionValue]) {
        guard let spec = specs[command], !spec.options.contains(where: { $0.kind == .subcommand }) else {
            throw InvocationProblem(.errorUnknownCommand)
        }
        var rest = Substring(arguments.trimmingCharacters(in: .whitespaces))
        var values: [String: OptionValue] = [:]
        for (index, optionSpec) in spec.options.enumerated() where !rest.isEmpty {
            let isLast = index == spec.options.count - 1
            let takesRest = optionSpec.kind == .string
                && !spec.options[(index + 1)...].contains(where: { $0.kind == .string })
            let word: Substring
            if takesRest || isLast {
                word = rest
                rest = ""
            } else {
                let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                word = rest[..<end]
                rest = rest[end...].drop(while: \.isWhitespace)
            }
            let raw: InteractionOption.Value
            switch optionSpec.kind {
            case .integer:
                guard let number = Int64(word) else { throw invalid("\(command).\(optionSpec.name)", .errorOptionWholeNumber) }
                raw = .integer(number)
            case .boolean:
                raw = .bool(["yes", "true", "on", "1", optionSpec.name].contains(word.lowercased()))
            default:
                raw = .string(String(word))
            }
            values[optionSpec.name] = try check(raw, against: optionSpec, path: "\(command).\(optionSpec.name)")
        }
        try requireAll(spec.options, in: values, command: command)
        return (command, values)
    }

    private static func requireAll(_ specs: [CommandOptionSpec], in values: [String: OptionValue], command: String)
        throws(InvocationProblem)
    {
        for spec in specs where spec.required && values[spec.name] == nil {
            throw invalid("\(command).\(spec.name)", .errorOptionRequired)
        }
    }

    private static func check(_ value: InteractionOption.Value, against spec: CommandOptionSpec, path: String)
        throws(InvocationProblem) -> OptionValue
    {
        switch (spec.kind, value) {
        case (.string, .string(let text)):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw invalid(path, .errorOptionEmpty) }
            if let max = spec.maxLength, trimmed.count > max { throw invalid(path, .errorOptionTooLong, ["limit": "\(max)"]) }
            if !spec.choices.isEmpty, !spec.choices.contains(trimmed) {
                throw invalid(path, .errorOptionOneOf, ["choices": spec.choices.joined(separator: ", ")])
            }
            return .string(trimmed)
        case (.integer, .integer(let number)):
            if let min = spec.minValue, number < min { throw invalid(path, .errorOptionAtLeast, ["min": "\(min)"]) }
            if let max = spec.maxValue, number > max { throw invalid(path, .errorOptionAtMost, ["max": "\(max)"]) }
            return .integer(number)
        case (.boolean, .bool(let flag)):
            return .bool(flag)
        case (.user, .string(let text)), (.channel, .string(let text)), (.role, .string(let text)):
            guard let id = UInt64(text) else { throw invalid(path, .errorOptionNotAnID) }
            return .snowflake(id)
        default:
            throw invalid(path, .errorOptionWrongType)
        }
    }

    /// `path` is the option's path (`game.create.roles`); the reply names it in the member's locale.
    static func invalid(_ path: String, _ detail: MessageKey, _ arguments: [String: String] = [:]) -> InvocationProblem {
        var problem = InvocationProblem(.errorInvalidOption)
        problem.option = (String(path.prefix(100)), detail, arguments)
        return problem
    }
}
