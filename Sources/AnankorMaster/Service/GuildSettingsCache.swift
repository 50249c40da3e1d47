import AnankorCore
import Foundation
import Synchronization

/// Guild settings as the master reads them on every command (DJ role, locale, session cap,
/// default volume), and a voice channel's own (volume, DJ-only), kept for a few seconds: they
/// change rarely, and a Ledger read per use put several round trips on each command
/// (docs/performance.md). A change made through this master is seen at once (the settings
/// commands hand what they saved to `remember`); one made through another master within
/// `lifetime`.
final class GuildSettingsCache: Sendable {
    private struct Entry<Value: Sendable>: Sendable {
        var value: Value
        var readAt: ContinuousClock.Instant
    }

    private let ledger: any Ledger
    private let lifetime: Duration
    private let entries = Mutex<[GuildID: Entry<GuildSettings>]>([:])
    private let channels = Mutex<[SessionKey: Entry<VoiceChannelSettings>]>([:])
    /// Bounds memory for masters in very many guilds: past this many, the cache starts over.
    private let capacity: Int

    init(ledger: any Ledger, lifetime: Duration = .seconds(5), capacity: Int = 50_000) {
        self.ledger = ledger
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func settings(of guild: GuildID) async throws(LedgerError) -> GuildSettings {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[guild] }), now - entry.readAt < lifetime { return entry.value }
        let settings = try await ledger.guildSettings(guild)
        remember(settings, for: guild, at: now)
        return settings
    }

    /// A voice channel's own settings (defaults when it has none).
    func settings(of channel: SessionKey) async throws(LedgerError) -> VoiceChannelSettings {
        let now = ContinuousClock.now
        if let entry = channels.withLock({ $0[channel] }), now - entry.readAt < lifetime { return entry.value }
        let settings = try await ledger.voiceChannelSettings(channel)
        remember(settings, at: now)
        return settings
    }

    /// Makes sure the guild's and the voice channel's settings are both fresh, reading whatever
    /// is not in one round trip (`Ledger.settings(of:)`): a command in a voice channel uses both
    /// (the DJ gate, a fresh session's volume), which cost two reads on a guild's first command.
    func warm(_ session: SessionKey) async throws(LedgerError) {
        let now = ContinuousClock.now
        let guildFresh = entries.withLock { $0[session.guild] }.map { now - $0.readAt < lifetime } ?? false
        let channelFresh = channels.withLock { $0[session] }.map { now - $0.readAt < lifetime } ?? false
        guard !guildFresh || !channelFresh else { return }
        let (guild, channel) = try await ledger.settings(of: session)
        remember(guild, for: session.guild, at: now)
        remember(channel, at: now)
    }

    /// Records settings this master just saved.
    func remember(_ settings: GuildSettings, for guild: GuildID, at now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[guild] == nil { entries.removeAll(keepingCapacity: true) }
            entries[guild] = Entry(value: settings, readAt: now)
        }
    }

    /// Records a voice channel's settings this master just saved.
    func remember(_ settings: VoiceChannelSettings, at now: ContinuousClock.Instant = .now) {
        channels.withLock { channels in
            if channels.count >= capacity, channels[settings.session] == nil { channels.removeAll(keepingCapacity: true) }
            channels[settings.session] = Entry(value: settings, readAt: now)
        }
    }
}
