import Foundation

/// Hot coordination state shared by masters and workers (DESIGN §2, §4, §5). Every method is one
/// atomic step: no caller ever sees half of an operation, and concurrent callers (several masters)
/// cannot break an invariant. Time is always passed in (`now`), never read from a clock, so tests
/// and replays are deterministic.
public protocol StateStore: SessionRecordStore, LeaseRegistry, WorkerRegistry, DurableSchedule, ResumeInfoStore,
    LobbyStore
{
    /// What routing a session of `guild` reads, in one round trip (one SQLite transaction, one
    /// Redis pipeline): the record of `session` (when given), the guild's bound sessions
    /// (`boundSessions(in:)`) and the worker bots in the guild (`workers(in:)`). The parts need
    /// not be one atomic snapshot: a routing decision over them is saved with compare-and-set,
    /// which refuses a stale record or a worker bound meanwhile.
    func guildSessions(in guild: GuildID, record session: SessionKey?) async throws -> GuildSessions
}

/// The answer of `StateStore.guildSessions(in:record:)`.
public struct GuildSessions: Sendable, Hashable {
    /// The record asked for; nil when none was asked for or the session has none.
    public var record: SessionRecord?
    /// The guild's bound sessions, by channel id.
    public var bindings: [Binding]
    /// The worker bots in the guild.
    public var workers: Set<WorkerID>

    public init(record: SessionRecord?, bindings: [Binding], workers: Set<WorkerID>) {
        self.record = record
        self.bindings = bindings
        self.workers = workers
    }
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
    /// Records the roles `worker`'s bot has in `guild`, as its own gateway reports them
    /// (GUILD_CREATE, GUILD_MEMBER_UPDATE): the masters route by them without asking Discord.
    /// Leaving the guild (`setMembership(false)`, `setGuilds` without it) forgets them.
    func setRoles(_ roles: [RoleID], of worker: WorkerID, in guild: GuildID) async throws
    /// The roles each worker reported for `guild`, by worker (one read for the whole guild);
    /// a worker that reported none is absent.
    func workerRoles(in guild: GuildID) async throws -> [WorkerID: [RoleID]]
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
