import AnankorCore
import Foundation
import GRDB

extension SQLiteLedger {
    public func guildSettings(_ guild: GuildID) async throws(LedgerError) -> GuildSettings {
        try await read("guild settings") { db in try Self.guildSettings(db, guild) }
    }

    /// The guild's settings and one voice channel's, in one read transaction.
    public func settings(of session: SessionKey) async throws(LedgerError) -> (guild: GuildSettings, channel: VoiceChannelSettings) {
        try await read("guild and voice channel settings") { db in
            (try Self.guildSettings(db, session.guild), try Self.voiceChannelSettings(db, session))
        }
    }

    private static func guildSettings(_ db: Database, _ guild: GuildID) throws -> GuildSettings {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM ledger_guild_settings WHERE guild = ?", arguments: [guild.column])
        else { return GuildSettings(guild: guild) }
        let stay = try Self.decode([ChannelID].self, row["stay_channels"], what: "24/7 channels")
        let sponsorBlock = try (row["sponsorblock_categories"] as Data?).map {
            try Self.decode([String].self, $0, what: "SponsorBlock categories")
        }
        return GuildSettings(
            guild: guild, djRole: (row["dj_role"] as Int64?).map(RoleID.init(column:)),
            localeOverride: (row["locale"] as String?).map(DiscordLocale.init(rawValue:)), defaultVolume: row["default_volume"], prefix: row["prefix"],
            sessionCap: row["session_cap"], stayChannels: Set(stay), sponsorBlockCategories: sponsorBlock,
            voteSkipShare: row["vote_skip_share"], version: row["version"])
    }

    @discardableResult
    public func saveGuildSettings(_ settings: GuildSettings) async throws(LedgerError) -> GuildSettings {
        try settings.validate()
        let stay: Data
        let sponsorBlock: Data?
        do {
            stay = try Self.encode(settings.stayChannels.sorted())
            sponsorBlock = try settings.sponsorBlockCategories.map { try Self.encode($0) }
        } catch {
            throw LedgerError(.invalidInput, "24/7 channels could not be encoded", underlying: error)
        }
        return try await write("save guild settings") { db in
            let arguments: StatementArguments = [
                settings.version + 1, settings.djRole?.column, settings.localeOverride?.rawValue, settings.defaultVolume,
                settings.prefix, settings.sessionCap, stay, sponsorBlock, settings.voteSkipShare, settings.guild.column,
            ]
            if settings.version == 0 {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO ledger_guild_settings
                        (version, dj_role, locale, default_volume, prefix, session_cap, stay_channels,
                        sponsorblock_categories, vote_skip_share, guild)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: arguments)
            } else {
                try db.execute(
                    sql: """
                        UPDATE ledger_guild_settings SET version = ?, dj_role = ?, locale = ?, default_volume = ?,
                        prefix = ?, session_cap = ?, stay_channels = ?, sponsorblock_categories = ?,
                        vote_skip_share = ?
                        WHERE guild = ? AND version = ?
                        """, arguments: arguments + [settings.version])
            }
            guard db.changesCount == 1 else {
                throw LedgerError(.conflict, "settings of guild \(settings.guild) changed since they were read")
            }
            var saved = settings
            saved.version += 1
            return saved
        }
    }

    public func voiceChannelSettings(_ session: SessionKey) async throws(LedgerError) -> VoiceChannelSettings {
        try await read("voice channel settings") { db in try Self.voiceChannelSettings(db, session) }
    }

    private static func voiceChannelSettings(_ db: Database, _ session: SessionKey) throws -> VoiceChannelSettings {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM ledger_voice_channel_settings WHERE guild = ? AND channel = ?",
                arguments: [session.guild.column, session.channel.column])
        else { return VoiceChannelSettings(session: session) }
        return VoiceChannelSettings(
            session: session, volume: row["volume"], autoplay: row["autoplay"], djOnly: row["dj_only"],
            announceChannel: (row["announce_channel"] as Int64?).map(ChannelID.init(column:)),
            voteSkipShare: row["vote_skip_share"])
    }

    public func saveVoiceChannelSettings(_ settings: VoiceChannelSettings) async throws(LedgerError) {
        try settings.validate()
        try await write("save voice channel settings") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO ledger_voice_channel_settings
                    (guild, channel, volume, autoplay, dj_only, announce_channel, vote_skip_share)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    settings.session.guild.column, settings.session.channel.column, settings.volume,
                    settings.autoplay, settings.djOnly, settings.announceChannel?.column, settings.voteSkipShare,
                ])
        }
    }

    public func voiceChannelSettings(in guild: GuildID) async throws(LedgerError) -> [VoiceChannelSettings] {
        try await read("voice channel settings of a guild") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ledger_voice_channel_settings WHERE guild = ?",
                arguments: [guild.column]
            ).map { row in
                VoiceChannelSettings(
                    session: SessionKey(guild: guild, channel: ChannelID(column: row["channel"])), volume: row["volume"],
                    autoplay: row["autoplay"], djOnly: row["dj_only"],
                    announceChannel: (row["announce_channel"] as Int64?).map(ChannelID.init(column:)),
                    voteSkipShare: row["vote_skip_share"])
            }.filter { !$0.isDefault }
            // Ids above Int64.max are stored bit-cast (negative): order by the id itself.
            .sorted { $0.session.channel.rawValue < $1.session.channel.rawValue }
        }
    }

    public func affinity(_ session: SessionKey) async throws(LedgerError) -> WorkerAffinity? {
        try await read("affinity") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT worker, last_used FROM ledger_affinity WHERE guild = ? AND channel = ?",
                    arguments: [session.guild.column, session.channel.column])
            else { return nil }
            return WorkerAffinity(
                session: session, worker: WorkerID(column: row["worker"]),
                lastUsed: Date(epochMilliseconds: row["last_used"]))
        }
    }

    public func recordAffinity(_ affinity: WorkerAffinity) async throws(LedgerError) {
        try await write("record affinity") { db in
            // Only a newer (or equally recent) record replaces the stored one.
            try db.execute(
                sql: """
                    INSERT INTO ledger_affinity (guild, channel, worker, last_used) VALUES (?, ?, ?, ?)
                    ON CONFLICT (guild, channel) DO UPDATE SET worker = excluded.worker, last_used = excluded.last_used
                    WHERE excluded.last_used >= ledger_affinity.last_used
                    """,
                arguments: [
                    affinity.session.guild.column, affinity.session.channel.column, affinity.worker.column,
                    affinity.lastUsed.epochMilliseconds,
                ])
        }
    }
}
