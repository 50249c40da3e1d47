import Foundation

extension GuildSettings {
    /// What `/settings sponsorblock categories:` asked for.
    public enum SponsorBlockChoice: Sendable, Hashable {
        /// Known categories, in SponsorBlock's order, each once (empty: skip nothing).
        case categories([String])
        /// The first word that names no category.
        case unknown(String)
    }

    /// Reads category names separated by commas or spaces, in any case (`Sponsor, intro`);
    /// `none` alone chooses nothing. Hyphens count as underscores (`music-offtopic`).
    public static func sponsorBlockChoice(parsing text: String) -> SponsorBlockChoice {
        let words = text.lowercased().split { $0 == "," || $0.isWhitespace }
            .map { $0.replacingOccurrences(of: "-", with: "_") }
        if words == ["none"] { return .categories([]) }
        if let unknown = words.first(where: { !sponsorBlockCategoryNames.contains($0) }) {
            return .unknown(String(unknown.prefix(40)))
        }
        return .categories(sponsorBlockCategoryNames.filter(words.contains))
    }
}
