/// LavaLyrics' lyrics object. Timed lyrics have `lines` (each with its timestamp); plain lyrics
/// have only `text`.
public struct Lyrics: Sendable, Hashable, Decodable {
    public struct Line: Sendable, Hashable, Decodable {
        /// Milliseconds from the start of the track.
        public var timestamp: Int64
        public var duration: Int64?
        public var line: String
        public var plugin: JSONValue

        enum CodingKeys: String, CodingKey { case timestamp, duration, line, plugin }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            timestamp = try container.decode(Int64.self, forKey: .timestamp)
            duration = try container.decodeIfPresent(Int64.self, forKey: .duration)
            line = try container.decode(String.self, forKey: .line)
            plugin = try container.decodeIfPresent(JSONValue.self, forKey: .plugin) ?? .emptyObject
        }
    }

    /// The lyrics source (`spotify`, `deezer`, `youtube`, …).
    public var sourceName: String
    /// Who provided them on that source (e.g. `MusixMatch`).
    public var provider: String
    public var text: String?
    public var lines: [Line]
    public var plugin: JSONValue

    enum CodingKeys: String, CodingKey { case sourceName, provider, text, lines, plugin }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sourceName = try container.decode(String.self, forKey: .sourceName)
        provider = try container.decodeIfPresent(String.self, forKey: .provider) ?? ""
        text = try container.decodeIfPresent(String.self, forKey: .text)
        lines = try container.decodeIfPresent([Line].self, forKey: .lines) ?? []
        plugin = try container.decodeIfPresent(JSONValue.self, forKey: .plugin) ?? .emptyObject
    }

    public var isTimed: Bool { !lines.isEmpty }

    /// The whole text: the plain text, or the timed lines joined.
    public var fullText: String {
        if let text, !text.isEmpty { return text }
        return lines.map(\.line).joined(separator: "\n")
    }
}
