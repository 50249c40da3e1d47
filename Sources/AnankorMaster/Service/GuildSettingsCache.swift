import AnankorCore
import Foundation
import Synchronization

/// Guild settings as the master reads them on every command (DJ role, locale, session cap,
/// default volume), kept for a few seconds: they change rarely, and a Ledger read per use put
/// several DynamoDB round trips on each command (docs/performance.md). A change made through
/// this master is seen at once; one made through another master within `lifetime`.
final class GuildSettingsCache: Sendable {
    private struct Entry {
        var settings: GuildSettings
        var readAt: ContinuousClock.Instant
    }

    private let ledger: any Ledger
    private let lifetime: Duration
    private let entries = Mutex<[GuildID: Entry]>([:])
    /// Bounds memory for masters in very many guilds: past this many, the cache starts over.
    private let capacity: Int

    init(ledger: any Ledger, lifetime: Duration = .seconds(5), capacity: Int = 50_000) {
        self.ledger = ledger
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func settings(of guild: GuildID) async throws(LedgerError) -> GuildSettings {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[guild] }), now - entry.readAt < lifetime { return entry.settings }
        let settings = try await ledger.guildSettings(guild)
        remember(settings, for: guild, at: now)
        return settings
    }

    /// Records settings this master just saved.
    func remember(_ settings: GuildSettings, for guild: GuildID, at now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[guild] == nil { entries.removeAll(keepingCapacity: true) }
            entries[guild] = Entry(settings: settings, readAt: now)
        }
    }
}
