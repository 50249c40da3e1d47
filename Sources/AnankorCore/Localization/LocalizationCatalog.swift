/// Every user-visible string by message key and locale (DESIGN §6). Replies use the
/// interaction's `locale`, channel posts the guild's; a locale that is not shipped is served by
/// its closest shipped relative, and a key missing in a locale falls back to `en-US` (the tests
/// make sure no shipped locale misses one).
public struct LocalizationCatalog: Sendable {
    public typealias Table = [MessageKey: String]

    private let tables: [DiscordLocale: Table]

    public init(tables: [DiscordLocale: Table]) {
        self.tables = tables
    }

    /// The catalog Anankor ships.
    public static let standard = LocalizationCatalog(tables: [
        .englishUS: englishUS.merging(pluginsEnglishUS) { own, _ in own },
        .german: german.merging(pluginsGerman) { own, _ in own },
        .french: french.merging(pluginsFrench) { own, _ in own },
        .spanish: spanish.merging(pluginsSpanish) { own, _ in own },
        .portugueseBrazil: portugueseBrazil.merging(pluginsPortugueseBrazil) { own, _ in own },
        .japanese: japanese.merging(pluginsJapanese) { own, _ in own },
    ])

    /// The text of `key` in `locale` with `{placeholder}`s replaced from `arguments`.
    /// Placeholders without an argument are left visible rather than silently dropped.
    public func text(_ key: MessageKey, _ locale: DiscordLocale, _ arguments: [String: String] = [:]) -> String {
        let template = tables[locale.servedBy]?[key] ?? tables[.englishUS]?[key] ?? key.rawValue
        return Self.fill(template, arguments)
    }

    /// The raw template, or nil when `locale` has no entry of its own for `key`.
    public func template(_ key: MessageKey, in locale: DiscordLocale) -> String? {
        tables[locale]?[key]
    }

    /// The placeholder names a template uses, in order of first appearance.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = String(rest[afterOpen..<close])
            if !name.isEmpty, !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = String(rest[afterOpen..<close])
            // Arguments are inserted verbatim and never re-scanned, so a user-supplied value
            // containing `{…}` cannot pull in another argument.
            result += arguments[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
