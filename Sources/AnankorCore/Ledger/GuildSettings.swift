import Foundation

/// Per-guild configuration an administrator changes with commands.
public struct GuildSettings: Sendable, Hashable, Codable {
    public var guild: GuildID
    /// When set, destructive music commands need this role.
    public var djRole: RoleID?
    /// A Discord locale (`de`, `pt-BR`) for channel posts, overriding the guild's own locale.
    public var localeOverride: DiscordLocale?
    /// Player volume for new sessions, 0...1000 (Lavalink's range); nil means 100.
    public var defaultVolume: Int?
    /// Prefix for text commands (1...8 characters); nil means the default.
    public var prefix: String?
    /// Simultaneous music sessions this guild wants, 1...`Anankor.maximumGuildSessionCap`; nil means
    /// the operator's cap. The effective cap is the smaller of this and the operator's.
    public var sessionCap: Int?
    /// Voice channels exempt from idle reclaim (`/stay`, 24/7).
    public var stayChannels: Set<ChannelID>
    /// SponsorBlock segment categories skipped in YouTube videos (`sponsor`, `selfpromo`, …); nil
    /// means `defaultSponsorBlockCategories`, an empty list skips nothing.
    public var sponsorBlockCategories: [String]?
    /// Percent of a voice channel's listeners whose `/skip` votes skip a track, 1...100; nil
    /// means `SkipVotes.defaultShare`.
    public var voteSkipShare: Int?
    /// The version this value was read at; 0 when nothing was ever saved. `saveGuildSettings`
    /// only succeeds while the stored version still equals it.
    public var version: Int

    public init(
        guild: GuildID, djRole: RoleID? = nil, localeOverride: DiscordLocale? = nil, defaultVolume: Int? = nil,
        prefix: String? = nil, sessionCap: Int? = nil, stayChannels: Set<ChannelID> = [],
        sponsorBlockCategories: [String]? = nil, voteSkipShare: Int? = nil, version: Int = 0
    ) {
        self.voteSkipShare = voteSkipShare
        self.sponsorBlockCategories = sponsorBlockCategories
        self.guild = guild
        self.djRole = djRole
        self.localeOverride = localeOverride
        self.defaultVolume = defaultVolume
        self.prefix = prefix
        self.sessionCap = sessionCap
        self.stayChannels = stayChannels
        self.version = version
    }

    /// The most 24/7 channels one guild can have.
    public static let maxStayChannels = 50

    /// The categories SponsorBlock defines.
    public static let sponsorBlockCategoryNames = [
        "sponsor", "selfpromo", "interaction", "intro", "outro", "preview", "music_offtopic", "filler",
    ]
    /// Skipped unless a guild chooses otherwise: paid promotion, self-promotion, "like and subscribe".
    public static let defaultSponsorBlockCategories = ["sponsor", "selfpromo", "interaction"]

    /// The share of listeners whose votes skip a track here (a channel may override it).
    public var effectiveVoteSkipShare: Int { voteSkipShare ?? SkipVotes.defaultShare }

    /// The categories the guild's players skip.
    public var effectiveSponsorBlockCategories: [String] { sponsorBlockCategories ?? Self.defaultSponsorBlockCategories }

    /// Rejects values outside the documented ranges.
    public func validate() throws(LedgerError) {
        if let defaultVolume, !(0...1000).contains(defaultVolume) {
            throw LedgerError(.invalidInput, "default volume must be 0...1000, got \(defaultVolume)")
        }
        if let prefix, !(1...8).contains(prefix.count) || prefix.contains(where: \.isWhitespace) {
            throw LedgerError(.invalidInput, "prefix must be 1...8 characters without spaces")
        }
        if let sessionCap, !(1...Anankor.maximumGuildSessionCap).contains(sessionCap) {
            throw LedgerError(.invalidInput, "session cap must be 1...\(Anankor.maximumGuildSessionCap), got \(sessionCap)")
        }
        if let locale = localeOverride?.rawValue, !(2...10).contains(locale.count)
            || !locale.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") })
        {
            throw LedgerError(.invalidInput, "locale override must look like de or pt-BR")
        }
        if stayChannels.count > Self.maxStayChannels {
            throw LedgerError(.invalidInput, "at most \(Self.maxStayChannels) 24/7 channels per guild")
        }
        if let unknown = sponsorBlockCategories?.first(where: { !Self.sponsorBlockCategoryNames.contains($0) }) {
            throw LedgerError(.invalidInput, "unknown SponsorBlock category \(unknown.prefix(40)); known: "
                + Self.sponsorBlockCategoryNames.joined(separator: ", "))
        }
        if let voteSkipShare, !(1...100).contains(voteSkipShare) {
            throw LedgerError(.invalidInput, "vote skip share must be 1...100 percent, got \(voteSkipShare)")
        }
        if version < 0 { throw LedgerError(.invalidInput, "version must not be negative") }
    }
}

/// Settings of one voice channel (one music session's channel).
public struct VoiceChannelSettings: Sendable, Hashable, Codable {
    public var session: SessionKey
    /// Volume for sessions in this channel, 0...1000; overrides the guild default.
    public var volume: Int?
    /// Keep playing related tracks when the queue runs out.
    public var autoplay: Bool
    /// Only members with the DJ role may control playback here.
    public var djOnly: Bool
    /// Where now-playing messages go; nil means the channel the command came from.
    public var announceChannel: ChannelID?
    /// Percent of listeners whose votes skip a track here, 1...100; overrides the guild's.
    public var voteSkipShare: Int?

    public init(
        session: SessionKey, volume: Int? = nil, autoplay: Bool = false, djOnly: Bool = false,
        announceChannel: ChannelID? = nil, voteSkipShare: Int? = nil
    ) {
        self.voteSkipShare = voteSkipShare
        self.session = session
        self.volume = volume
        self.autoplay = autoplay
        self.djOnly = djOnly
        self.announceChannel = announceChannel
    }

    /// True when nothing differs from a channel without settings.
    public var isDefault: Bool { volume == nil && !autoplay && !djOnly && announceChannel == nil && voteSkipShare == nil }

    public func validate() throws(LedgerError) {
        if let volume, !(0...1000).contains(volume) {
            throw LedgerError(.invalidInput, "volume must be 0...1000, got \(volume)")
        }
        if let voteSkipShare, !(1...100).contains(voteSkipShare) {
            throw LedgerError(.invalidInput, "vote skip share must be 1...100 percent, got \(voteSkipShare)")
        }
    }
}

/// The worker last used in a voice channel; routing prefers it (DESIGN §4).
public struct WorkerAffinity: Sendable, Hashable, Codable {
    public var session: SessionKey
    public var worker: WorkerID
    public var lastUsed: Date

    public init(session: SessionKey, worker: WorkerID, lastUsed: Date) {
        self.session = session
        self.worker = worker
        self.lastUsed = lastUsed
    }
}
