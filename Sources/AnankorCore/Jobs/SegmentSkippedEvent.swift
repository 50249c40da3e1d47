/// `segmentSkipped`: Lavalink's SponsorBlock plugin skipped a segment of the playing track (one
/// of the guild's chosen categories); the master announces it in the session's text channel.
public struct SegmentSkippedEvent: VersionedPayload {
    public static let kind = "segmentSkipped"
    public static let version = 1
    public var session: SessionKey
    /// The queue entry playing, when the worker knows it.
    public var entry: QueueEntryID?
    /// SponsorBlock's category name (`sponsor`, `selfpromo`, …).
    public var category: String
    public var startMs: Int64
    public var endMs: Int64

    public init(session: SessionKey, entry: QueueEntryID?, category: String, startMs: Int64, endMs: Int64) {
        self.session = session
        self.entry = entry
        self.category = category
        self.startMs = startMs
        self.endMs = endMs
    }
}
