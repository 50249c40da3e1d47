/// An integer enum from Discord that must survive values Discord adds later: every conforming
/// enum has an `unknown(Int)` case, so decoding never fails on a new value.
public protocol OpenIntEnum: RawRepresentable, Codable, Hashable, Sendable where RawValue == Int {
    init(rawValue: Int)
}

extension OpenIntEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(rawValue: try container.decode(Int.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A Discord locale (`en-US`, `de`, `ja` …). A struct, not an enum: Discord adds locales.
public struct DiscordLocale: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let englishUS = DiscordLocale("en-US")
    public static let englishGB = DiscordLocale("en-GB")
    public static let german = DiscordLocale("de")
    public static let french = DiscordLocale("fr")
    public static let spanish = DiscordLocale("es-ES")
    public static let portugueseBR = DiscordLocale("pt-BR")
    public static let japanese = DiscordLocale("ja")
}

/// Localized strings keyed by locale, as in `name_localizations`.
public typealias Localizations = [String: String]
