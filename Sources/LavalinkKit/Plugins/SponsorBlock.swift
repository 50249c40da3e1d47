/// The SponsorBlock plugin: per player, the segment categories the node skips in YouTube videos,
/// and the events it sends about segments and chapters.
public enum SponsorBlock {
    /// A SponsorBlock segment category (`sponsor`, `selfpromo`, …). Open: unknown names survive.
    public struct Category: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var description: String { rawValue }

        public static let sponsor = Category("sponsor")
        public static let selfPromo = Category("selfpromo")
        public static let interaction = Category("interaction")
        public static let intro = Category("intro")
        public static let outro = Category("outro")
        public static let preview = Category("preview")
        public static let musicOffTopic = Category("music_offtopic")
        public static let filler = Category("filler")

        /// The categories SponsorBlock defines, in its order.
        public static let all: [Category] = [.sponsor, .selfPromo, .interaction, .intro, .outro, .preview, .musicOffTopic, .filler]
    }

    /// A segment of a video; times in milliseconds.
    public struct Segment: Sendable, Hashable, Codable {
        public var category: Category
        public var start: Int64
        public var end: Int64

        public init(category: Category, start: Int64, end: Int64) {
            self.category = category
            self.start = start
            self.end = end
        }
    }

    /// A chapter of a video; times and duration in milliseconds.
    public struct Chapter: Sendable, Hashable, Codable {
        public var name: String
        public var start: Int64
        public var end: Int64
        public var duration: Int64

        public init(name: String, start: Int64, end: Int64, duration: Int64) {
            self.name = name
            self.start = start
            self.end = end
            self.duration = duration
        }
    }
}

/// Events of plugins this client knows (`op: event` with a plugin's `type`).
public enum PluginEvent: Sendable, Hashable {
    /// SponsorBlock found segments of the categories set for the player in the track that started.
    case segmentsLoaded([SponsorBlock.Segment])
    /// SponsorBlock skipped a segment: playback jumped from its start to its end.
    case segmentSkipped(SponsorBlock.Segment)
    case chaptersLoaded([SponsorBlock.Chapter])
    case chapterStarted(SponsorBlock.Chapter)
}
