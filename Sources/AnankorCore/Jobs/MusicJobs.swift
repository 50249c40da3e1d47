import Foundation

/// `music.voice.connect`: join the session's voice channel (the worker sends gateway op 4).
public struct VoiceConnectJob: VersionedPayload {
    public static let kind = "music.voice.connect"
    public static let version = 1
    public var session: SessionKey
    /// Where the worker posts notices about this session (crash, kicked, …).
    public var textChannel: ChannelID?
    public var selfDeaf: Bool
    /// The guild's SponsorBlock categories as the master knows them (its settings cache), so the
    /// joining worker need not read the guild's settings; nil (an older master, or the settings
    /// could not be read): the worker reads them itself.
    public var sponsorBlock: [String]?

    public init(session: SessionKey, textChannel: ChannelID? = nil, selfDeaf: Bool = true, sponsorBlock: [String]? = nil) {
        self.session = session
        self.textChannel = textChannel
        self.selfDeaf = selfDeaf
        self.sponsorBlock = sponsorBlock
    }
}

/// `music.voice.leave`: destroy the player and leave the voice channel.
public struct VoiceLeaveJob: VersionedPayload {
    public static let kind = "music.voice.leave"
    public static let version = 1
    public var session: SessionKey
    public var reason: LeaveReason

    public enum LeaveReason: String, Sendable, Hashable, Codable {
        case requested, idle, alone, reclaimed, unknown
        public init(from decoder: any Decoder) throws {
            self = Self(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .unknown
        }
    }

    public init(session: SessionKey, reason: LeaveReason) {
        self.session = session
        self.reason = reason
    }
}

/// `music.voice.status`: show `status` under the session's voice channel name (the current
/// track), or clear it with nil. Best effort: skipped when the bot lacks the permission.
public struct VoiceStatusJob: VersionedPayload {
    public static let kind = "music.voice.status"
    public static let version = 1
    public var session: SessionKey
    /// At most 500 characters (Discord's limit; longer text is cut); nil clears the status.
    public var status: String?

    public init(session: SessionKey, status: String?) {
        self.session = session
        self.status = status
    }
}

/// `music.playback.play`: play one queue entry now (the master streams one track at a time).
public struct PlaybackPlayJob: VersionedPayload {
    public static let kind = "music.playback.play"
    public static let version = 1
    public var session: SessionKey
    public var entry: QueueEntry
    public var startPositionMs: Int64
    public var volume: Int?
    public var paused: Bool
    /// The guild's SponsorBlock categories as the master knows them now (a change through
    /// `/settings sponsorblock` takes effect from the next track); nil: the worker reads them.
    public var sponsorBlock: [String]?

    public init(session: SessionKey, entry: QueueEntry, startPositionMs: Int64 = 0, volume: Int? = nil,
                paused: Bool = false, sponsorBlock: [String]? = nil) {
        self.session = session
        self.entry = entry
        self.startPositionMs = startPositionMs
        self.volume = volume
        self.paused = paused
        self.sponsorBlock = sponsorBlock
    }
}

/// `music.player.update`: change the running player; absent fields stay as they are.
public struct PlayerUpdateJob: VersionedPayload {
    public static let kind = "music.player.update"
    public static let version = 1
    public var session: SessionKey
    public var paused: Bool?
    public var positionMs: Int64?
    public var volume: Int?
    /// A filter preset name (`bassboost`, `nightcore`, …); `"none"` clears filters.
    public var filterPreset: String?
    /// Stops the current track without leaving.
    public var stop: Bool

    public init(session: SessionKey, paused: Bool? = nil, positionMs: Int64? = nil, volume: Int? = nil,
                filterPreset: String? = nil, stop: Bool = false) {
        self.session = session
        self.paused = paused
        self.positionMs = positionMs
        self.volume = volume
        self.filterPreset = filterPreset
        self.stop = stop
    }
}
