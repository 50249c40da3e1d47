/// The slash commands Anankor registers (DESIGN §4–5), as plain values. The master turns them
/// into Discord's application-command JSON; names and descriptions in every shipped locale come
/// from `CommandTexts`, keyed by the command's path (`play`, `play.query`, `game.create.seats`).
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    public var options: [CommandOptionSpec]
    /// Commands that change what others hear or see are gated by the optional DJ role.
    public var isDestructive: Bool
    /// Only members who can manage the server may use it (`/settings`); Discord hides it from
    /// others by default, and the master checks again because server admins can change that.
    public var managersOnly: Bool

    public init(_ name: String, destructive: Bool = false, managersOnly: Bool = false, options: [CommandOptionSpec] = []) {
        self.name = name
        self.isDestructive = destructive
        self.managersOnly = managersOnly
        self.options = options
    }
}

public struct CommandOptionSpec: Sendable, Equatable {
    /// Discord's option types (1 subcommand … 11 attachment).
    public enum Kind: Int, Sendable {
        case subcommand = 1, subcommandGroup, string, integer, boolean, user, channel, role, mentionable, number
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Fixed choices (value = the choice's key); their names are localized like everything else.
    public var choices: [String]
    public var minValue: Int?
    public var maxValue: Int?
    public var maxLength: Int?
    public var autocomplete: Bool
    /// For `.channel`: the channel types offered (2 voice, 13 stage).
    public var channelTypes: [Int]
    /// For subcommands.
    public var options: [CommandOptionSpec]

    public init(
        _ name: String, _ kind: Kind, required: Bool = false, choices: [String] = [], min: Int? = nil,
        max: Int? = nil, maxLength: Int? = nil, autocomplete: Bool = false, channelTypes: [Int] = [],
        options: [CommandOptionSpec] = []
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.choices = choices
        self.minValue = min
        self.maxValue = max
        self.maxLength = maxLength
        self.autocomplete = autocomplete
        self.channelTypes = channelTypes
        self.options = options
    }

    static func subcommand(_ name: String, _ options: [CommandOptionSpec] = []) -> CommandOptionSpec {
        CommandOptionSpec(name, .subcommand, options: options)
    }
}

extension CommandSpec {
    /// The filter presets `/filter` offers, in the order shown.
    public static let filterPresets = ["off", "bassboost", "nightcore", "vaporwave", "8d", "karaoke"]
    public static let loopModes = ["off", "track", "queue"]
    /// What `/search` can look for (albums, artists and playlists need LavaSearch on the node).
    public static let searchTypes = ["track", "album", "artist", "playlist"]
    /// What `/autoplay mode` offers: off, or how the next tracks are picked (`AutoplayMode`).
    public static let autoplayModes = ["off"] + AutoplayMode.allCases.map(\.rawValue)

    /// Everything Anankor registers, in the order members see them.
    public static let all: [CommandSpec] = music + [playlist, game, settings, help]

    /// Whose playlists a `/playlist` subcommand acts on: the member's own, or the server's shared
    /// ones (which only DJs change).
    public static let playlistScopes = ["mine", "server"]
    static let playlistScope = CommandOptionSpec("scope", .string, choices: playlistScopes)
    static let playlistName = CommandOptionSpec("name", .string, required: true, maxLength: SavedPlaylist.maxNameLength)

    public static let playlist = CommandSpec("playlist", options: [
        .subcommand("save", [playlistName, playlistScope]),
        .subcommand("load", [playlistName, CommandOptionSpec("next", .boolean), playlistScope]),
        .subcommand("list", [playlistScope]),
        .subcommand("delete", [playlistName, playlistScope]),
        .subcommand("rename", [
            playlistName, CommandOptionSpec("new_name", .string, required: true, maxLength: SavedPlaylist.maxNameLength),
            playlistScope,
        ]),
    ])

    /// The languages `/settings language` offers (`server` follows the server's own language).
    public static let settingsLanguages = ["server", "en-US", "de", "es-ES", "fr", "ja", "pt-BR"]

    /// Server settings, for members who can manage the server. An option left out resets the
    /// setting to its default.
    public static let settings = CommandSpec("settings", managersOnly: true, options: [
        .subcommand("show"),
        .subcommand("dj", [CommandOptionSpec("role", .role)]),
        .subcommand("language", [CommandOptionSpec("locale", .string, required: true, choices: settingsLanguages)]),
        .subcommand("volume", [CommandOptionSpec("level", .integer, min: 0, max: 200)]),
        .subcommand("prefix", [CommandOptionSpec("prefix", .string, maxLength: 8)]),
        .subcommand("sessions", [CommandOptionSpec("cap", .integer, min: 1, max: Anankor.maximumGuildSessionCap)]),
        .subcommand("voteskip", [CommandOptionSpec("share", .integer, min: 1, max: 100)]),
        .subcommand("channel", [
            CommandOptionSpec("channel", .channel, required: true, channelTypes: [2, 13]),
            CommandOptionSpec("volume", .integer, min: 0, max: 200),
            CommandOptionSpec("stay", .boolean),
            CommandOptionSpec("dj_only", .boolean),
            CommandOptionSpec("reset", .boolean),
            CommandOptionSpec("vote_skip", .integer, min: 1, max: 100),
        ]),
        // Names separated by commas or spaces, `none` for nothing; left out: the defaults.
        .subcommand("sponsorblock", [CommandOptionSpec("categories", .string, maxLength: 200)]),
    ])

    public static let help = CommandSpec("help")

    public static let music: [CommandSpec] = [
        CommandSpec("play", options: [
            CommandOptionSpec("query", .string, required: true, maxLength: 500, autocomplete: true),
            CommandOptionSpec("next", .boolean),
        ]),
        CommandSpec("search", options: [
            CommandOptionSpec("query", .string, required: true, maxLength: 200),
            CommandOptionSpec("type", .string, choices: searchTypes),
        ]),
        CommandSpec("skip", destructive: true, options: [CommandOptionSpec("to", .integer, min: 1, max: 10_000)]),
        CommandSpec("previous", destructive: true),
        CommandSpec("pause"),
        CommandSpec("resume"),
        CommandSpec("stop", destructive: true),
        CommandSpec("leave", destructive: true),
        CommandSpec("queue", options: [CommandOptionSpec("page", .integer, min: 1, max: 1_000)]),
        CommandSpec("nowplaying"),
        CommandSpec("seek", options: [CommandOptionSpec("position", .string, required: true, maxLength: 16)]),
        CommandSpec("volume", options: [CommandOptionSpec("level", .integer, required: true, min: 0, max: 200)]),
        CommandSpec("loop", options: [CommandOptionSpec("mode", .string, required: true, choices: loopModes)]),
        CommandSpec("shuffle", destructive: true),
        CommandSpec("remove", destructive: true, options: [
            CommandOptionSpec("position", .integer, required: true, min: 1, max: 10_000),
        ]),
        CommandSpec("move", destructive: true, options: [
            CommandOptionSpec("from", .integer, required: true, min: 1, max: 10_000),
            CommandOptionSpec("to", .integer, required: true, min: 1, max: 10_000),
        ]),
        CommandSpec("clear", destructive: true),
        CommandSpec("replay"),
        CommandSpec("autoplay", options: [CommandOptionSpec("mode", .string, choices: autoplayModes)]),
        CommandSpec("filter", options: [CommandOptionSpec("preset", .string, required: true, choices: filterPresets)]),
        CommandSpec("stay", destructive: true),
        CommandSpec("invite"),
        CommandSpec("lyrics"),
    ]

    /// Which lobby a `/game` subcommand acts on: the id shown on the lobby message and in
    /// `/game list`; without it, the newest open lobby of the channel.
    static let lobbyOption = CommandOptionSpec("lobby", .string, maxLength: 64)
    /// What `/game create repeat` offers: none (a one-off lobby, the default) or a `LobbyRepeat`.
    public static let lobbyRepeats = ["none"] + LobbyRepeat.allCases.map(\.rawValue)

    public static let game = CommandSpec("game", options: [
        .subcommand("create", [
            CommandOptionSpec("title", .string, required: true, maxLength: 100),
            CommandOptionSpec("game", .string, maxLength: 100),
            CommandOptionSpec("seats", .integer, min: 1, max: 99),
            CommandOptionSpec("start", .string, maxLength: 100),
            CommandOptionSpec("roles", .string, maxLength: 300),
            CommandOptionSpec("voice", .channel, channelTypes: [2, 13]),
            CommandOptionSpec("reminders", .string, maxLength: 100),
            CommandOptionSpec("music", .string, maxLength: 500),
            CommandOptionSpec("lobby_role", .role),
            CommandOptionSpec("repeat", .string, choices: lobbyRepeats),
        ]),
        .subcommand("join", [CommandOptionSpec("role", .string, maxLength: 100, autocomplete: true), lobbyOption]),
        .subcommand("leave", [lobbyOption]),
        .subcommand("ready", [lobbyOption]),
        .subcommand("start", [lobbyOption]),
        .subcommand("end", [lobbyOption]),
        .subcommand("cancel", [lobbyOption]),
        .subcommand("list"),
        .subcommand("stats", [CommandOptionSpec("user", .user)]),
    ])

    /// Every text path of this command: itself, options, subcommand options and choices
    /// (`loop.mode.track`), each of which has a name and (except choices) a description.
    public var textPaths: [(path: String, isChoice: Bool)] {
        var paths: [(String, Bool)] = [(name, false)]
        func visit(_ options: [CommandOptionSpec], prefix: String) {
            for option in options {
                let path = "\(prefix).\(option.name)"
                paths.append((path, false))
                for choice in option.choices { paths.append(("\(path).\(choice)", true)) }
                visit(option.options, prefix: path)
            }
        }
        visit(options, prefix: name)
        return paths
    }
}
