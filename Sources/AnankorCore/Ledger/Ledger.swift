import Foundation

/// At-most-once processing of keyed work: interactions, jobs, reminders. Every `Ledger` is one;
/// distributed deployments also keep short-lived claims (interactions, jobs) in Redis
/// (`RedisIdempotencyStore`), off DynamoDB's round trips (docs/performance.md).
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for processing. Exactly one of any number of concurrent callers gets
    /// `.claimed`; the others see `.inProgress` (or `.completed` once it is done). An in-progress
    /// claim whose `expiresAt` has passed is taken over by the next caller (`takeover: true`).
    /// A completed record is remembered until its retention ends, then the key is new again.
    func claim(_ key: IdempotencyKey, lease: Duration, now: Date) async throws(LedgerError) -> IdempotencyClaim

    /// Marks a claim done and stores `result` (at most `IdempotencyKey.maxResultBytes`) so that
    /// redeliveries can answer the same way; the record is kept for `retention`. Throws
    /// `.claimLost` when the claim expired and someone else took it over.
    func complete(
        _ key: IdempotencyKey, token: ClaimToken, result: [UInt8], retention: Duration, now: Date
    ) async throws(LedgerError)

    /// Gives up an in-progress claim (processing failed) so a redelivery can try again at once.
    /// Does nothing when the claim is no longer held with `token`.
    func release(_ key: IdempotencyKey, token: ClaimToken) async throws(LedgerError)
}

/// Durable records (DESIGN §2): idempotency claims, guild and voice-channel settings,
/// voice-channel → worker affinity, game session summaries with stats, and saved playlists.
///
/// Adapters: `SQLiteLedger` (embedded) and `DynamoLedger` (distributed); one contract suite
/// (Tests/PortContractTests/Ledger*) holds both to the same behaviour. Every call that depends on
/// time takes `now`, so callers and tests control the clock.
public protocol Ledger: IdempotencyStore {
    // MARK: Settings and affinity

    /// The guild's settings; defaults (version 0) when none were saved.
    func guildSettings(_ guild: GuildID) async throws(LedgerError) -> GuildSettings

    /// Saves `settings` if nobody saved since it was read (`settings.version` is the version that
    /// was read); returns the stored settings with the new version, or throws `.conflict`.
    @discardableResult
    func saveGuildSettings(_ settings: GuildSettings) async throws(LedgerError) -> GuildSettings

    /// A voice channel's settings; defaults when none were saved.
    func voiceChannelSettings(_ session: SessionKey) async throws(LedgerError) -> VoiceChannelSettings

    /// The guild's settings and the voice channel's (defaults for what was never saved), in one
    /// round trip: what the master reads on a command's first use of a guild and channel.
    func settings(of session: SessionKey) async throws(LedgerError) -> (guild: GuildSettings, channel: VoiceChannelSettings)

    func saveVoiceChannelSettings(_ settings: VoiceChannelSettings) async throws(LedgerError)
    /// Every voice channel of `guild` with a setting of its own (saved values equal to the
    /// defaults are left out), ordered by channel id; for `/settings show`.
    func voiceChannelSettings(in guild: GuildID) async throws(LedgerError) -> [VoiceChannelSettings]

    /// The worker that last played in the channel, if any.
    func affinity(_ session: SessionKey) async throws(LedgerError) -> WorkerAffinity?

    /// Records that `worker` plays in the channel as of `at`. An older record never replaces a
    /// newer one (out-of-order events cannot roll affinity back).
    func recordAffinity(_ affinity: WorkerAffinity) async throws(LedgerError)

    // MARK: Game sessions

    /// Writes a finished session's summary once. Returns `false` (and changes nothing) when a
    /// summary with the same guild and id already exists, e.g. a redelivered completion job.
    @discardableResult
    func recordGameSession(_ summary: GameSessionSummary) async throws(LedgerError) -> Bool

    /// The guild's sessions, most recently ended first, `limit` (1...100) per page. Pass the
    /// returned `next` cursor to read the following page; `nil` means there is none.
    func gameSessions(
        guild: GuildID, limit: Int, after cursor: GameSessionCursor?
    ) async throws(LedgerError) -> GameSessionPage

    /// What `user` played: in one guild, or everywhere when `guild` is nil.
    func gameStats(user: UserID, guild: GuildID?) async throws(LedgerError) -> UserGameStats

    // MARK: Saved playlists

    /// Saves (or replaces) the owner's playlist with the same name (names match case-insensitively).
    func savePlaylist(_ playlist: SavedPlaylist) async throws(LedgerError)

    /// The owner's playlists by name, without their tracks.
    func playlists(owner: UserID) async throws(LedgerError) -> [SavedPlaylistSummary]

    func playlist(owner: UserID, name: String) async throws(LedgerError) -> SavedPlaylist?

    /// Returns whether a playlist was deleted.
    @discardableResult
    func deletePlaylist(owner: UserID, name: String) async throws(LedgerError) -> Bool
}

extension Ledger {
    /// Reads, changes and saves the guild's settings, retrying when another writer got there
    /// first (optimistic concurrency on `version`).
    @discardableResult
    public func updateGuildSettings(
        _ guild: GuildID, attempts: Int = 5, _ change: (inout GuildSettings) -> Void
    ) async throws(LedgerError) -> GuildSettings {
        var attempt = 0
        while true {
            attempt += 1
            var settings = try await guildSettings(guild)
            change(&settings)
            do throws(LedgerError) {
                return try await saveGuildSettings(settings)
            } catch {
                guard error.code == .conflict, attempt < attempts else { throw error }
            }
        }
    }
}

/// A ledger failure: its kind, a message an operator can act on, and the storage error beneath.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The input breaks a documented limit (empty key, too many tracks, …).
        case invalidInput
        /// Another writer changed the record since it was read.
        case conflict
        /// The idempotency claim expired and was taken over; the work must not be committed.
        case claimLost
        /// The store could not be reached or refused the request.
        case unavailable
        /// A stored record could not be read back.
        case corruptRecord
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        var text = "ledger \(code.rawValue): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
