/// A segment SponsorBlock skipped in one queue entry: the now-playing message says so until that
/// entry stops playing.
public struct SkippedSegment: Sendable, Hashable, Codable {
    /// What was skipped, as the plugin reported it.
    public struct Part: Sendable, Hashable, Codable {
        /// SponsorBlock's category name (`sponsor`, `selfpromo`, …).
        public var category: String
        public var startMs: Int64
        public var endMs: Int64

        public init(category: String, startMs: Int64, endMs: Int64) {
            self.category = category
            self.startMs = startMs
            self.endMs = endMs
        }

        enum CodingKeys: String, CodingKey { case category = "c", startMs = "s", endMs = "e" }
    }

    public var entry: QueueEntryID
    public var part: Part

    public init(entry: QueueEntryID, part: Part) {
        self.entry = entry
        self.part = part
    }

    enum CodingKeys: String, CodingKey { case entry = "q", part = "p" }
}
