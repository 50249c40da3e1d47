import AnankorCore
import DiscordKit
import Foundation
import Synchronization

/// The worker bots' roles in each guild, which the master's own gateway does not deliver (without
/// the members intent it hears only of its own member). Routing needs them to tell whether a
/// worker may connect and speak in a channel (`VoicePermissions`).
///
/// Each worker records its own roles in the registry as its gateway reports them (GUILD_CREATE,
/// GUILD_MEMBER_UPDATE): the master reads a guild's at once, one store round trip per guild per
/// `reportedLifetime`, shared by every route that needs them meanwhile. Discord is asked
/// (`GET /guilds/{guild}/members/{worker}` with the master's token) only for a worker that
/// reported nothing there, and after `forget` (Discord refused that worker's join: what it
/// reported may be stale); that answer is kept for `lifetime`. Asking Discord for every
/// candidate of every route spent the master's 50 requests a second on routing: 25 `/play`s in
/// a guild with 25 bots made 625 calls. Overlapping loads of one guild or worker are one load.
/// A GUILD_MEMBER_UPDATE for a worker that the master receives replaces its roles at once;
/// GUILD_MEMBER_REMOVE or a guild going away forgets them. Role permissions and channel
/// overwrites come from the guild cache, which the gateway keeps current. A load that fails
/// leaves the roles unknown: routing then does not refuse on a guess.
final class WorkerRoles: Sendable {
    typealias Fetch = @Sendable (GuildID, WorkerID) async throws -> [Snowflake<Role>]
    typealias Reported = @Sendable (GuildID) async throws -> [WorkerID: [RoleID]]

    private struct Key: Hashable {
        var guild: UInt64
        var worker: UInt64
    }

    private struct Entry {
        var roles: [Snowflake<Role>]
        var fetchedAt: Date
    }

    private struct GuildEntry {
        var roles: [UInt64: [Snowflake<Role>]]
        var readAt: Date
    }

    private struct State {
        /// Discord's answers and gateway updates, per worker and guild.
        var answered: [Key: Entry] = [:]
        /// What the workers reported, per guild.
        var reported: [UInt64: GuildEntry] = [:]
        /// Workers whose reported roles are not trusted until Discord answered again.
        var distrusted: Set<Key> = []
    }

    private let state = Mutex(State())
    private let lifetime: TimeInterval
    private let reportedLifetime: TimeInterval
    private let now: @Sendable () -> Date
    private let fetch: Fetch
    private let readReported: Reported
    private let guildLoads = SharedLoads<UInt64, [WorkerID: [RoleID]]>()
    private let fetches = SharedLoads<Key, [Snowflake<Role>]>()
    /// Bounded: a miss costs one read or one REST call.
    static let capacity = 50_000

    init(lifetime: Duration = .seconds(300), reportedLifetime: Duration = .seconds(30),
         now: @escaping @Sendable () -> Date, reported: @escaping Reported, fetch: @escaping Fetch) {
        self.lifetime = lifetime.timeInterval
        self.reportedLifetime = reportedLifetime.timeInterval
        self.now = now
        self.readReported = reported
        self.fetch = fetch
    }

    /// Reading the registry, and asking Discord with the master's REST client.
    convenience init(rest: DiscordREST, registry: any WorkerRegistry, now: @escaping @Sendable () -> Date) {
        self.init(now: now, reported: { guild in try await registry.workerRoles(in: guild) }) { guild, worker in
            try await rest.getGuildMember(guildID: Snowflake(guild.rawValue), userID: Snowflake(worker.rawValue)).roles
        }
    }

    /// `worker`'s roles in `guild`, nil when they cannot be had now.
    func roles(of worker: WorkerID, in guild: GuildID) async -> [Snowflake<Role>]? {
        let key = Key(guild: guild.rawValue, worker: worker.rawValue)
        let at = now()
        let (answered, distrusted) = state.withLock { state in
            (state.answered[key].flatMap { at.timeIntervalSince($0.fetchedAt) < lifetime ? $0.roles : nil },
             state.distrusted.contains(key))
        }
        if let answered { return answered }
        if !distrusted, let roles = await reportedRoles(in: guild, at: at)?[key.worker] { return roles }
        guard let roles = await fetches.value(for: key, load: { try? await fetch(guild, worker) }) else { return nil }
        state.withLock { state in
            if state.answered.count >= Self.capacity, state.answered[key] == nil { state.answered.removeAll(keepingCapacity: true) }
            state.answered[key] = Entry(roles: roles, fetchedAt: at)
            state.distrusted.remove(key)
        }
        return roles
    }

    /// The guild's reported roles, read when not read within `reportedLifetime`; nil when the
    /// registry cannot be read.
    private func reportedRoles(in guild: GuildID, at: Date) async -> [UInt64: [Snowflake<Role>]]? {
        if let entry = state.withLock({ $0.reported[guild.rawValue] }), at.timeIntervalSince(entry.readAt) < reportedLifetime {
            return entry.roles
        }
        guard let read = await guildLoads.value(for: guild.rawValue, load: { try? await readReported(guild) }) else {
            return nil
        }
        var roles: [UInt64: [Snowflake<Role>]] = [:]
        for (worker, list) in read { roles[worker.rawValue] = list.map { Snowflake($0.rawValue) } }
        state.withLock { state in
            if state.reported.count >= Self.capacity, state.reported[guild.rawValue] == nil {
                state.reported.removeAll(keepingCapacity: true)
            }
            state.reported[guild.rawValue] = GuildEntry(roles: roles, readAt: at)
        }
        return roles
    }

    /// Forgets what is known of `worker` in `guild` (a join Discord refused may mean its roles
    /// changed): the next look asks Discord.
    func forget(_ worker: WorkerID, in guild: GuildID) {
        let key = Key(guild: guild.rawValue, worker: worker.rawValue)
        state.withLock { state in
            state.answered[key] = nil
            state.distrusted.insert(key)
        }
    }

    /// Keeps the cache in step with the gateway.
    func apply(_ event: GatewayEvent) {
        switch event {
        case .guildMemberAdd(let event), .guildMemberUpdate(let event):
            guard let user = event.member.user else { return }
            let key = Key(guild: event.guildID.rawValue, worker: user.id.rawValue)
            // Only workers already looked up are kept; others are not ours to remember.
            state.withLock { state in
                let known = state.answered[key] != nil || state.reported[key.guild]?.roles[key.worker] != nil
                guard known else { return }
                state.answered[key] = Entry(roles: event.member.roles, fetchedAt: now())
                state.distrusted.remove(key)
            }
        case .guildMemberRemove(let event):
            let key = Key(guild: event.guildID.rawValue, worker: event.user.id.rawValue)
            state.withLock { state in
                state.answered[key] = nil
                state.reported[key.guild]?.roles[key.worker] = nil
            }
        case .guildDelete(let guild):
            state.withLock { state in
                state.answered = state.answered.filter { $0.key.guild != guild.id.rawValue }
                state.reported[guild.id.rawValue] = nil
                state.distrusted = state.distrusted.filter { $0.guild != guild.id.rawValue }
            }
        default:
            break
        }
    }
}
