import Foundation

/// What the master remembers about a music session besides its queue: where it talks, the
/// now-playing message it edits in place, and how the player is set. Kept in the `StateStore` so a
/// restarted (or second) master carries on editing the same message with the same settings.
public struct SessionDetails: Sendable, Hashable, Codable {
    public var session: SessionKey
    /// The text channel where `/play` was last used: notices and the now-playing message go there.
    public var textChannel: ChannelID?
    /// The now-playing message in `textChannel`, edited rather than re-posted.
    public var nowPlayingMessage: MessageID?
    /// The locale of channel posts (the guild's, or its override).
    public var locale: DiscordLocale?
    /// Lavalink volume, 0...1000.
    public var volume: Int
    /// The filter preset in force; nil means none.
    public var filterPreset: String?
    /// `/autoplay`: when the queue runs dry, queue something related to the last track.
    public var autoplay: Bool
    /// Set when the channel emptied of humans and playback was paused for that reason; the master
    /// resumes when someone comes back and reclaims the session when nobody does.
    public var aloneSince: Date?

    public init(session: SessionKey, textChannel: ChannelID? = nil, nowPlayingMessage: MessageID? = nil,
                locale: DiscordLocale? = nil, volume: Int = 100, filterPreset: String? = nil, autoplay: Bool = false,
                aloneSince: Date? = nil) {
        self.session = session
        self.textChannel = textChannel
        self.nowPlayingMessage = nowPlayingMessage
        self.locale = locale
        self.volume = volume
        self.filterPreset = filterPreset
        self.autoplay = autoplay
        self.aloneSince = aloneSince
    }
}

/// Per-session details (see `SessionDetails`); `SessionQueues.endSession` forgets them too.
public protocol SessionDetailsStore: Sendable {
    func sessionDetails(_ session: SessionKey) async throws -> SessionDetails?
    /// Replaces the stored details of `details.session`.
    func saveSessionDetails(_ details: SessionDetails) async throws
}
