/// Discord markdown for text Anankor did not write: track titles and authors from sources,
/// lobby titles, playlist names and queries from members (mentions are kept inert by every
/// message's empty allowed-mentions instead). Escaped once, where the catalog fills
/// a placeholder (`LocalizationCatalog.memberTextPlaceholders`) and where a line is composed
/// outside the catalog (queue lists, boards), so `**` or a backtick cannot change
/// how the rest of a message reads.
public enum Markdown {
    public static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "#" where result.isEmpty, "-" where result.isEmpty, ">" where result.isEmpty:
                // Headings, list items and quotes only start a line.
                result.append("\\")
                result.append(character)
            case "\\", "*", "_", "~", "`", "|", "[", "]", "<":
                result.append("\\")
                result.append(character)
            case "\n", "\r":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    /// Whether `text` contains a markdown character that `escape` would have escaped, unescaped.
    /// Used by the tests that render every message with hostile values.
    public static func hasUnescapedMarkup(_ text: some StringProtocol) -> Bool {
        var escaped = false
        for character in text {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if "*_~`|".contains(character) { return true }
        }
        return false
    }
}
