import Foundation

/// Hot coordination state shared by masters and workers (DESIGN §2, §4, §5). Every method is one
/// atomic step: no caller ever sees half of an operation, and concurrent callers (several masters)
/// cannot break an invariant. Time is always passed in (`now`), never read from a clock, so tests
/// and replays are deterministic.
public protocol StateStore: SessionRecordStore, SessionBindings, SessionQueues, SessionActivity, LeaseRegistry,
    WorkerRegistry, DurableSchedule, ResumeInfoStore, SessionDetailsStore, LobbyStore {}

/// `guild/channel` → worker, at most `cap` per guild and one channel per worker per guild.
public protocol SessionBindings: Sendable {
    /// Binds `session` to `worker` unless the session is bound already (returns that binding),
    /// the guild holds `cap` sessions, or the worker plays elsewhere in the guild.
    func bind(_ session: SessionKey, to worker: WorkerID, cap: Int, now: Date) async throws -> BindOutcome
    /// Removes the binding; with `worker`, only if the session is bound to that worker.
    @discardableResult
    func unbind(_ session: SessionKey, ifBoundTo worker: WorkerID?) async throws -> Binding?
    func binding(for session: SessionKey) async throws -> Binding?
    /// Bindings of one guild, by channel id.
    func bindings(in guild: GuildID) async throws -> [Binding]
    /// Bindings of one worker across guilds, by session.
    func bindings(of worker: WorkerID) async throws -> [Binding]
}

/// Per-session queue, history and now-playing; the master owns them.
public protocol SessionQueues: Sendable {
    /// Adds entries (in order) at the end or before the rest; returns the queue length after.
    @discardableResult
    func enqueue(_ entries: [QueueEntry], in session: SessionKey, at placement: QueuePlacement) async throws -> Int
    /// Moves to the next entry if the now-playing entry is `expected` (nil: nothing playing),
    /// following the loop mode: the current goes to history (and, looping the queue, to its end).
    func advance(_ session: SessionKey, expecting expected: QueueEntryID?, reason: AdvanceReason, now: Date)
        async throws -> AdvanceOutcome
    /// `/previous`: the last history entry plays again; the current one goes back to the queue front.
    func previous(_ session: SessionKey, now: Date) async throws -> QueueEntry?
    func queuePage(_ session: SessionKey, offset: Int, limit: Int) async throws -> QueuePage
    /// Removes the entry at `index` (0 = next up).
    @discardableResult
    func removeFromQueue(_ session: SessionKey, at index: Int) async throws -> QueueEntry?
    /// Moves the entry at `from` to `to`; nil when either is out of range.
    @discardableResult
    func moveInQueue(_ session: SessionKey, from: Int, to: Int) async throws -> QueueEntry?
    /// Shuffles the queue; the same seed and queue give the same order on every adapter.
    func shuffleQueue(_ session: SessionKey, seed: UInt64) async throws
    /// Empties the queue (not history, not now-playing); returns how many entries it held.
    @discardableResult
    func clearQueue(_ session: SessionKey) async throws -> Int
    /// Most recent first.
    func history(_ session: SessionKey, limit: Int) async throws -> [QueueEntry]
    func setLoopMode(_ mode: LoopMode, for session: SessionKey) async throws
    func loopMode(_ session: SessionKey) async throws -> LoopMode
    func nowPlaying(_ session: SessionKey) async throws -> NowPlaying?
    /// Records a position report for `entry`; ignored (false) when another entry plays now.
    /// `paused` nil keeps the stored flag: a periodic position report must not undo a pause that
    /// was decided while it travelled.
    @discardableResult
    func updatePosition(_ session: SessionKey, entry: QueueEntryID, positionMs: Int64, paused: Bool?, at: Date)
        async throws -> Bool
    /// Forgets everything of a session: queue, history, now-playing, loop mode, activity.
    func endSession(_ session: SessionKey) async throws
}

/// Activity timestamps for idle reclaim.
public protocol SessionActivity: Sendable {
    func touchSession(_ session: SessionKey, at: Date) async throws
    /// `/stay`: a session that stays is never listed as idle. A session never touched before is
    /// registered with activity at the epoch, so turning `/stay` off makes it reclaimable at once.
    func setStay(_ stay: Bool, for session: SessionKey) async throws
    /// Sessions whose last activity is at or before `cutoff`, oldest first, `/stay` ones excluded.
    func idleSessions(since cutoff: Date, limit: Int) async throws -> [SessionKey]
}

/// Leases with fencing tokens: a worker bot's token, a master's gateway shard.
public protocol LeaseRegistry: Sendable {
    /// Takes the lease when it is free or expired (a new, higher fencing token), or extends it when
    /// `holder` holds it already (same token); otherwise reports the current lease.
    func acquireLease(_ name: LeaseName, holder: LeaseHolder, ttl: Duration, now: Date) async throws -> LeaseOutcome
    /// Extends a lease still held with that token and not expired; nil when it was lost.
    func renewLease(_ lease: Lease, ttl: Duration, now: Date) async throws -> Lease?
    /// Gives the lease up (only with its current token); the counter is kept so tokens keep rising.
    @discardableResult
    func releaseLease(_ lease: Lease) async throws -> Bool
    /// The unexpired lease on `name`, if any.
    func currentLease(_ name: LeaseName, now: Date) async throws -> Lease?
}

/// Workers' liveness, load and guild membership.
public protocol WorkerRegistry: Sendable {
    /// Records that `worker` is alive until `now + ttl` with `load`; throws `.staleFence` unless
    /// `fencingToken` is the current, unexpired token lease of that worker.
    func heartbeat(_ worker: WorkerID, fencingToken: FencingToken, load: Int, ttl: Duration, now: Date) async throws
    /// Workers whose heartbeat has not expired at `now`, by id.
    func liveWorkers(now: Date) async throws -> [WorkerStatus]
    /// Registered workers whose heartbeat expired at or before `now` (dead), by id.
    func expiredWorkers(now: Date) async throws -> [WorkerStatus]
    /// Removes a worker from the registry (after its death was handled, or at clean shutdown).
    func removeWorker(_ worker: WorkerID) async throws
    /// Replaces the set of guilds the worker's bot is in (READY / GUILD_CREATE / GUILD_DELETE).
    func setGuilds(_ guilds: Set<GuildID>, of worker: WorkerID) async throws
    func setMembership(_ isMember: Bool, of worker: WorkerID, in guild: GuildID) async throws
    func guilds(of worker: WorkerID) async throws -> Set<GuildID>
    func workers(in guild: GuildID) async throws -> Set<WorkerID>
}

/// Durable schedule (reminders), each item executed once even across crashes.
public protocol DurableSchedule: Sendable {
    /// Adds an item; false (and nothing changes) when the id exists already.
    @discardableResult
    func schedule(_ item: ScheduleItem) async throws -> Bool
    /// Claims up to `limit` items due at `now` for `claimant` until `now + lease`, earliest first.
    /// An item is claimed by one claimant at a time; an unfinished claim is retried after its lease.
    func claimDue(now: Date, limit: Int, claimant: LeaseHolder, lease: Duration) async throws -> [ScheduleClaim]
    /// Deletes the item if `claim` is still its current claim; false when it was cancelled or
    /// re-claimed by someone else after the lease ran out.
    @discardableResult
    func complete(_ claim: ScheduleClaim) async throws -> Bool
    @discardableResult
    func cancelScheduled(_ id: ScheduleItemID) async throws -> Bool
    /// Cancels every item of a group; returns how many.
    @discardableResult
    func cancelScheduled(group: String) async throws -> Int
    func scheduledItem(_ id: ScheduleItemID) async throws -> ScheduleItem?
}

/// Gateway and Lavalink resume data per bot token and shard.
public protocol ResumeInfoStore: Sendable {
    func saveResumeInfo(_ info: ResumeInfo, for key: ResumeKey) async throws
    func resumeInfo(for key: ResumeKey) async throws -> ResumeInfo?
    func clearResumeInfo(for key: ResumeKey) async throws
}
