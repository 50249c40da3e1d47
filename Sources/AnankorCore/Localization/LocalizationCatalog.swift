/// Every user-visible string by message key and locale (DESIGN §6). Replies use the
/// interaction's `locale`, channel posts the guild's; a locale that is not shipped is served by
/// its closest shipped relative, and a key missing in a locale falls back to `en-US` (the tests
/// make sure no shipped locale misses one).
///
/// Texts are `MessageTemplate`s: `{name}` arguments, `{/play}` for a command's registered name in
/// the reader's locale, and `{count, plural, one {# track} other {# tracks}}` for counts.
/// Arguments named in `memberTextPlaceholders` are markdown-escaped here, the one place every
/// member- or source-supplied text passes through.
public struct LocalizationCatalog: Sendable {
    public typealias Table = [MessageKey: String]

    private let tables: [DiscordLocale: Table]
    private let parsed: [DiscordLocale: [MessageKey: MessageTemplate]]
    private let commands: CommandTexts

    public init(tables: [DiscordLocale: Table], commands: CommandTexts = .standard) {
        self.tables = tables
        self.parsed = tables.mapValues { $0.mapValues(MessageTemplate.init) }
        self.commands = commands
    }

    /// The catalog Anankor ships.
    public static let standard = LocalizationCatalog(tables: [
        .englishUS: englishUS.merging(pluginsEnglishUS) { own, _ in own }.merging(membersEnglishUS) { own, _ in own },
        .german: german.merging(pluginsGerman) { own, _ in own }.merging(membersGerman) { own, _ in own },
        .french: french.merging(pluginsFrench) { own, _ in own }.merging(membersFrench) { own, _ in own },
        .spanish: spanish.merging(pluginsSpanish) { own, _ in own }.merging(membersSpanish) { own, _ in own },
        .portugueseBrazil: portugueseBrazil.merging(pluginsPortugueseBrazil) { own, _ in own }.merging(membersPortugueseBrazil) { own, _ in own },
        .japanese: japanese.merging(pluginsJapanese) { own, _ in own }.merging(membersJapanese) { own, _ in own },
    ])

    /// Placeholders that carry text Anankor did not write (track titles and authors, lobby and
    /// playlist names, queries, errors reported by a source): escaped wherever they are filled.
    public static let memberTextPlaceholders: Set<String> = [
        "title", "author", "playlist", "query", "reason", "input", "game", "seat", "roles", "from",
    ]

    /// Placeholders that carry a count: every text must choose its words for them by plural rule.
    public static let countPlaceholders: Set<String> = [
        "count", "cap", "seats", "sessions", "minutes", "seconds", "hours", "tracks", "limit", "votes", "needed",
    ]

    /// The text of `key` in `locale` with placeholders replaced from `arguments`.
    /// Placeholders without an argument are left visible rather than silently dropped.
    public func text(_ key: MessageKey, _ locale: DiscordLocale, _ arguments: [String: String] = [:]) -> String {
        let served = locale.servedBy
        if let template = parsed[served]?[key] {
            return render(template.segments, served, arguments, count: nil)
        }
        if let template = parsed[.englishUS]?[key] {
            return render(template.segments, .englishUS, arguments, count: nil)
        }
        return key.rawValue
    }

    /// `/name` of a command (or `/name sub`, `option` for an option path such as `volume.level`)
    /// as registered in `locale`, falling back to the default names.
    public func command(_ path: String, _ locale: DiscordLocale) -> String {
        let parts = path.split(separator: ".").map(String.init)
        var names: [String] = []
        for end in parts.indices {
            let prefix = parts[...end].joined(separator: ".")
            let entry = commands.entry(prefix, locale.servedBy) ?? commands.entry(prefix, .englishUS)
            names.append(entry?.name ?? parts[end])
        }
        return "/" + names.joined(separator: " ")
    }

    /// The name of an option (`volume.level` → `stufe` in German), as registered in `locale`.
    public func option(_ path: String, _ locale: DiscordLocale) -> String {
        let name = path.split(separator: ".").last.map(String.init) ?? path
        return (commands.entry(path, locale.servedBy) ?? commands.entry(path, .englishUS))?.name ?? name
    }

    /// The raw template, or nil when `locale` has no entry of its own for `key`.
    public func template(_ key: MessageKey, in locale: DiscordLocale) -> String? {
        tables[locale]?[key]
    }

    /// The placeholder names a template uses, in order of first appearance (plural counts and
    /// the arguments inside plural forms included, command references not).
    public static func placeholders(in template: String) -> [String] {
        MessageTemplate(template).arguments
    }

    /// For each count argument of a template, the plural categories it gives forms for; a count
    /// used outside a plural choice is listed with no categories.
    public static func pluralUse(in template: String) -> [String: Set<PluralCategory>] {
        let parsed = MessageTemplate(template)
        var result = parsed.plurals
        for name in parsed.plainArguments where result[name] == nil { result[name] = [] }
        return result
    }

    /// The command and option paths a template refers to (`{/play}`, `{@game.create.seats}`).
    public static func commandReferences(in template: String) -> [String] {
        MessageTemplate(template).commands
    }

    /// A duration as members read it, with units: `24 seconds`, `5 minutes`, `1 hour 3 minutes`.
    public func duration(seconds: Int64, _ locale: DiscordLocale) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return text(.timeSeconds, locale, ["seconds": "\(seconds)"]) }
        if seconds < 3600 { return text(.timeMinutes, locale, ["minutes": "\(seconds / 60)"]) }
        return text(.timeHoursMinutes, locale, ["hours": "\(seconds / 3600)", "minutes": "\((seconds % 3600) / 60)"])
    }

    private func render(_ segments: [MessageTemplate.Segment], _ locale: DiscordLocale, _ arguments: [String: String],
                        count: String?) -> String
    {
        var result = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                result += text
            case .argument(let name):
                // Arguments are inserted verbatim and never re-scanned, so a user-supplied value
                // containing `{…}` cannot pull in another argument.
                guard let value = arguments[name] else {
                    result += "{\(name)}"
                    continue
                }
                result += Self.memberTextPlaceholders.contains(name) ? Markdown.escape(value) : value
            case .command(let path):
                result += command(path, locale)
            case .option(let path):
                result += option(path, locale)
            case .count:
                result += count ?? "#"
            case .plural(let name, let forms):
                guard let value = arguments[name] else {
                    result += "{\(name)}"
                    continue
                }
                let category = Int(value).map { PluralRule.category(of: $0, in: locale) } ?? .other
                guard let form = forms[category] ?? forms[.other] else { continue }
                result += render(form, locale, arguments, count: value)
            }
        }
        return result
    }
}
