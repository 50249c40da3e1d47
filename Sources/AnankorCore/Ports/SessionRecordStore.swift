import Foundation

/// One versioned `SessionRecord` per music session, read and written whole. A save is a
/// compare-and-set in one round trip (a Lua script in Redis, one transaction in SQLite): it
/// succeeds only when the stored record's version is `record.version - 1` (nothing stored counts
/// as version 0), so two masters handling the same session never both win.
///
/// The same atomic step keeps the indexes routing and timers read: which sessions of a guild are
/// bound (and to which worker), which sessions a worker plays, and when each session next needs
/// the master (`due`).
public protocol SessionRecordStore: Sendable {
    /// The stored record, or nil when the session has none (never played, or deleted).
    func sessionRecord(_ session: SessionKey) async throws -> SessionRecord?
    /// Stores `record` over version `record.version - 1`; false (and nothing changes) when the
    /// stored version differs, or when `record.binding`'s worker is bound to another session of
    /// the same guild (a worker plays one channel per guild: two masters routing two channels at
    /// once cannot both take it; the loser re-reads the bindings and routes again). `due` is the
    /// earliest time the master must hand the session a timer tick (nil: none); `dueSessions`
    /// lists it from then on.
    func saveSessionRecord(_ record: SessionRecord, due: Date?) async throws -> Bool
    /// Deletes the record if it is still at `version`; false otherwise. Indexes follow.
    @discardableResult
    func deleteSessionRecord(_ session: SessionKey, version: Int) async throws -> Bool
    /// The bound sessions of a guild (from each record's `binding`), by channel id.
    func boundSessions(in guild: GuildID) async throws -> [Binding]
    /// The sessions bound to `worker`, across guilds, by session.
    func boundSessions(of worker: WorkerID) async throws -> [Binding]
    /// Sessions whose `due` is at or before `now`, earliest first.
    func dueSessions(at now: Date, limit: Int) async throws -> [SessionKey]
}
