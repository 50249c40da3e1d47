import AnankorCore
import DiscordKit
import Foundation
import Synchronization

/// The worker bots' roles in each guild, which the master's own gateway does not deliver (without
/// the members intent it hears only of its own member). Routing needs them to tell whether a
/// worker may connect and speak in a channel (`VoicePermissions`).
///
/// Fetched over REST with the master's token (`GET /guilds/{guild}/members/{worker}`) when first
/// needed and kept for `lifetime`; a GUILD_MEMBER_UPDATE for a worker (when the master receives
/// one) replaces its roles at once, and GUILD_MEMBER_REMOVE or a guild going away forgets them.
/// Role permissions and channel overwrites come from the guild cache, which the gateway keeps
/// current, so only a change of a worker's role list can be up to `lifetime` late. A fetch that
/// fails leaves the roles unknown: routing then does not refuse on a guess.
final class WorkerRoles: Sendable {
    typealias Fetch = @Sendable (GuildID, WorkerID) async throws -> [Snowflake<Role>]

    private struct Key: Hashable {
        var guild: UInt64
        var worker: UInt64
    }

    private struct Entry {
        var roles: [Snowflake<Role>]
        var fetchedAt: Date
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let lifetime: TimeInterval
    private let now: @Sendable () -> Date
    private let fetch: Fetch
    /// Bounded: a miss costs one REST call.
    static let capacity = 50_000

    init(lifetime: Duration = .seconds(300), now: @escaping @Sendable () -> Date, fetch: @escaping Fetch) {
        self.lifetime = lifetime.timeInterval
        self.now = now
        self.fetch = fetch
    }

    /// Fetching with the master's REST client.
    convenience init(rest: DiscordREST, now: @escaping @Sendable () -> Date) {
        self.init(now: now) { guild, worker in
            try await rest.getGuildMember(guildID: Snowflake(guild.rawValue), userID: Snowflake(worker.rawValue)).roles
        }
    }

    /// `worker`'s roles in `guild`, nil when they cannot be had now.
    func roles(of worker: WorkerID, in guild: GuildID) async -> [Snowflake<Role>]? {
        let key = Key(guild: guild.rawValue, worker: worker.rawValue)
        let at = now()
        if let entry = entries.withLock({ $0[key] }), at.timeIntervalSince(entry.fetchedAt) < lifetime {
            return entry.roles
        }
        guard let roles = try? await fetch(guild, worker) else { return nil }
        store(roles, for: key, at: at)
        return roles
    }

    /// Forgets what is cached of `worker` in `guild` (a join Discord refused may mean its roles changed).
    func forget(_ worker: WorkerID, in guild: GuildID) {
        _ = entries.withLock { $0.removeValue(forKey: Key(guild: guild.rawValue, worker: worker.rawValue)) }
    }

    /// Keeps the cache in step with the gateway.
    func apply(_ event: GatewayEvent) {
        switch event {
        case .guildMemberAdd(let event), .guildMemberUpdate(let event):
            guard let user = event.member.user else { return }
            let key = Key(guild: event.guildID.rawValue, worker: user.id.rawValue)
            // Only workers already looked up are kept; others are not ours to remember.
            entries.withLock { entries in
                if entries[key] != nil { entries[key] = Entry(roles: event.member.roles, fetchedAt: now()) }
            }
        case .guildMemberRemove(let event):
            _ = entries.withLock { $0.removeValue(forKey: Key(guild: event.guildID.rawValue, worker: event.user.id.rawValue)) }
        case .guildDelete(let guild):
            entries.withLock { entries in entries = entries.filter { $0.key.guild != guild.id.rawValue } }
        default:
            break
        }
    }

    private func store(_ roles: [Snowflake<Role>], for key: Key, at: Date) {
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(roles: roles, fetchedAt: at)
        }
    }
}
