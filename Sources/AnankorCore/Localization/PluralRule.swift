/// CLDR plural categories and the integer rules of the shipped languages
/// (unicode.org/cldr, "Language Plural Rules"). Counts in Anankor are whole numbers, so only the
/// integer branches matter: `v = 0`, `i = n`, `e = 0`.
public enum PluralCategory: String, Sendable, CaseIterable, Hashable {
    case zero, one, two, few, many, other
}

public enum PluralRule {
    /// The category of a whole-number count in a locale (served by its shipped relative).
    public static func category(of count: Int, in locale: DiscordLocale) -> PluralCategory {
        let n = count.magnitude
        switch language(of: locale) {
        case "ja":
            return .other
        case "fr", "pt":
            // fr, pt (Brazilian rules; pt-BR is the shipped variant): one for i = 0,1;
            // many for i ≠ 0 and i % 1000000 = 0 (compact exponent forms aside).
            if n <= 1 { return .one }
            if n != 0, n % 1_000_000 == 0 { return .many }
            return .other
        case "es":
            if n == 1 { return .one }
            if n != 0, n % 1_000_000 == 0 { return .many }
            return .other
        default:
            // en, de: one for i = 1 and v = 0.
            return n == 1 ? .one : .other
        }
    }

    /// The categories a language uses for whole numbers: a plural message must give a form for
    /// each (a missing form falls back to `other`, which is wrong for counts like 1).
    public static func categories(in locale: DiscordLocale) -> Set<PluralCategory> {
        switch language(of: locale) {
        case "ja": [.other]
        case "fr", "pt", "es": [.one, .many, .other]
        default: [.one, .other]
        }
    }

    private static func language(of locale: DiscordLocale) -> Substring {
        locale.servedBy.rawValue.split(separator: "-", maxSplits: 1).first ?? "en"
    }
}
