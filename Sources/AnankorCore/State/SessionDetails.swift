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
    /// The stored version this value was read at (0: never saved). Masters change details
    /// concurrently; a save only succeeds on the version it read (see `updateSessionDetails`).
    public var version: Int

    public init(session: SessionKey, textChannel: ChannelID? = nil, nowPlayingMessage: MessageID? = nil,
                locale: DiscordLocale? = nil, volume: Int = 100, filterPreset: String? = nil, autoplay: Bool = false,
                aloneSince: Date? = nil, version: Int = 0) {
        self.version = version
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
    /// Saves `details` if the stored version is still `details.version` (0: nothing stored yet);
    /// returns what was stored (version raised by one), or nil when another writer saved first.
    func saveSessionDetails(_ details: SessionDetails) async throws -> SessionDetails?
}

extension SessionDetailsStore {
    /// Reads, changes and saves a session's details, starting from defaults when there are none,
    /// and retries when another writer got there first. Returns the details as stored.
    @discardableResult
    public func updateSessionDetails(_ session: SessionKey, _ change: (inout SessionDetails) -> Void) async throws
        -> SessionDetails
    {
        for _ in 0..<16 {
            var details = try await sessionDetails(session) ?? SessionDetails(session: session)
            change(&details)
            if let saved = try await saveSessionDetails(details) { return saved }
        }
        throw StateStoreError(code: .unavailable, message: "details of \(session) keep changing under concurrent writers")
    }

    /// Like `updateSessionDetails`, but only when details exist (a session that ended stays ended).
    @discardableResult
    public func updateExistingSessionDetails(_ session: SessionKey, _ change: (inout SessionDetails) -> Void)
        async throws -> SessionDetails?
    {
        for _ in 0..<16 {
            guard var details = try await sessionDetails(session) else { return nil }
            change(&details)
            if let saved = try await saveSessionDetails(details) { return saved }
        }
        throw StateStoreError(code: .unavailable, message: "details of \(session) keep changing under concurrent writers")
    }
}
