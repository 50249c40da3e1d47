/// Localized names and descriptions of the slash commands, options and choices, by path.
/// `en-US` holds the default names Discord sends back in interactions; the other locales become
/// `name_localizations` / `description_localizations`.
public struct CommandTexts: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// nil for choices, which have only a name.
        public var description: String?
    }

    public typealias Table = [String: Entry]

    private let tables: [DiscordLocale: Table]

    public static let standard = CommandTexts(tables: [
        .englishUS: table(englishUS + pluginsEnglishUS),
        .german: table(german + pluginsGerman),
        .french: table(french + pluginsFrench),
        .spanish: table(spanish + pluginsSpanish),
        .portugueseBrazil: table(portugueseBrazil + pluginsPortugueseBrazil),
        .japanese: table(japanese + pluginsJapanese),
    ])

    public init(tables: [DiscordLocale: Table]) { self.tables = tables }

    public func entry(_ path: String, _ locale: DiscordLocale) -> Entry? { tables[locale]?[path] }

    /// `name_localizations` for a path: every shipped locale except the default.
    public func nameLocalizations(_ path: String) -> [String: String] {
        localizations(path) { $0.name }
    }

    public func descriptionLocalizations(_ path: String) -> [String: String] {
        localizations(path) { $0.description }
    }

    private func localizations(_ path: String, _ value: (Entry) -> String?) -> [String: String] {
        var result: [String: String] = [:]
        for locale in DiscordLocale.shipped where locale != .englishUS {
            if let entry = tables[locale]?[path], let text = value(entry) { result[locale.rawValue] = text }
        }
        return result
    }

    /// Rows are `(path, name, description)`; a choice row has an empty description.
    static func table(_ rows: [(String, String, String)]) -> Table {
        var table: Table = [:]
        for (path, name, description) in rows {
            table[path] = Entry(name: name, description: description.isEmpty ? nil : description)
        }
        return table
    }
}
