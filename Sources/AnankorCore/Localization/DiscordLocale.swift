/// A Discord locale code, as carried by an interaction's `locale` and a guild's `preferred_locale`
/// and used as the key of `name_localizations` / `description_localizations`.
public struct DiscordLocale: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let englishUS = DiscordLocale("en-US")
    public static let german = DiscordLocale("de")
    public static let french = DiscordLocale("fr")
    public static let spanish = DiscordLocale("es-ES")
    public static let portugueseBrazil = DiscordLocale("pt-BR")
    public static let japanese = DiscordLocale("ja")

    /// The locales the catalog ships in full. `en-US` is the base every other locale is checked
    /// against (a test fails when a shipped locale misses a key).
    public static let shipped: [DiscordLocale] = [
        .englishUS, .german, .french, .spanish, .portugueseBrazil, .japanese,
    ]

    /// The shipped locale that serves this one: itself when shipped, the closest relative
    /// otherwise (`en-GB` → `en-US`, `es-419` → `es-ES`), and `en-US` for everything else.
    public var servedBy: DiscordLocale {
        if Self.shipped.contains(self) { return self }
        let language = rawValue.split(separator: "-", maxSplits: 1).first.map(String.init) ?? rawValue
        return Self.shipped.first { $0.rawValue.split(separator: "-").first.map(String.init) == language }
            ?? .englishUS
    }
}
