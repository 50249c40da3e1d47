/// Why a track ended, as Lavalink reports it; unknown reasons from newer nodes are kept.
public enum TrackEndReason: Sendable, Hashable, Codable {
    case finished, loadFailed, stopped, replaced, cleanup
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "finished": self = .finished
        case "loadFailed": self = .loadFailed
        case "stopped": self = .stopped
        case "replaced": self = .replaced
        case "cleanup": self = .cleanup
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .finished: "finished"
        case .loadFailed: "loadFailed"
        case .stopped: "stopped"
        case .replaced: "replaced"
        case .cleanup: "cleanup"
        case .other(let value): value
        }
    }

    /// Whether the master should start the next queue entry (Lavalink's `mayStartNext`).
    public var mayStartNext: Bool { self == .finished || self == .loadFailed }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public struct TrackStartEvent: VersionedPayload {
    public static let kind = "trackStart"
    public static let version = 1
    public var session: SessionKey
    public var entry: QueueEntryID
    public init(session: SessionKey, entry: QueueEntryID) {
        self.session = session
        self.entry = entry
    }
}

public struct TrackEndEvent: VersionedPayload {
    public static let kind = "trackEnd"
    public static let version = 1
    public var session: SessionKey
    public var entry: QueueEntryID
    public var reason: TrackEndReason
    public init(session: SessionKey, entry: QueueEntryID, reason: TrackEndReason) {
        self.session = session
        self.entry = entry
        self.reason = reason
    }
}

public struct TrackExceptionEvent: VersionedPayload {
    public static let kind = "trackException"
    public static let version = 1
    public var session: SessionKey
    public var entry: QueueEntryID
    public var message: String?
    /// Lavalink's severity: `common`, `suspicious` or `fault`.
    public var severity: String
    public var cause: String?
    public init(session: SessionKey, entry: QueueEntryID, message: String?, severity: String, cause: String? = nil) {
        self.session = session
        self.entry = entry
        self.message = message
        self.severity = severity
        self.cause = cause
    }
}

public struct TrackStuckEvent: VersionedPayload {
    public static let kind = "trackStuck"
    public static let version = 1
    public var session: SessionKey
    public var entry: QueueEntryID
    public var thresholdMs: Int64
    public init(session: SessionKey, entry: QueueEntryID, thresholdMs: Int64) {
        self.session = session
        self.entry = entry
        self.thresholdMs = thresholdMs
    }
}

public struct QueueEmptyEvent: VersionedPayload {
    public static let kind = "queueEmpty"
    public static let version = 1
    public var session: SessionKey
    public init(session: SessionKey) { self.session = session }
}

public struct PlayerUpdateEvent: VersionedPayload {
    public static let kind = "playerUpdate"
    public static let version = 1
    public var session: SessionKey
    public var positionMs: Int64
    public var connected: Bool
    /// Voice ping in ms, -1 when not connected.
    public var pingMs: Int
    /// When the node measured the position, epoch milliseconds (Lavalink's `state.time`).
    public var timeMs: Int64
    public init(session: SessionKey, positionMs: Int64, connected: Bool, pingMs: Int, timeMs: Int64) {
        self.session = session
        self.positionMs = positionMs
        self.connected = connected
        self.pingMs = pingMs
        self.timeMs = timeMs
    }
}

public struct VoiceDisconnectedEvent: VersionedPayload {
    public static let kind = "voiceDisconnected"
    public static let version = 1
    public var session: SessionKey
    /// The voice websocket close code, when there was one.
    public var code: Int?
    public var reason: String?
    /// Whether Discord (a moderator, a kick) ended it rather than the worker.
    public var byRemote: Bool
    /// Set when a moderator moved the bot to another voice channel of the guild (it still plays,
    /// now there) rather than disconnecting it.
    public var movedTo: ChannelID?
    public init(session: SessionKey, code: Int?, reason: String?, byRemote: Bool, movedTo: ChannelID? = nil) {
        self.session = session
        self.code = code
        self.reason = reason
        self.byRemote = byRemote
        self.movedTo = movedTo
    }
}

public struct WorkerOnlineEvent: VersionedPayload {
    public static let kind = "workerOnline"
    public static let version = 1
    public var worker: WorkerID
    public var fencingToken: FencingToken
    public var guildCount: Int
    public init(worker: WorkerID, fencingToken: FencingToken, guildCount: Int) {
        self.worker = worker
        self.fencingToken = fencingToken
        self.guildCount = guildCount
    }
}

public struct WorkerOfflineEvent: VersionedPayload {
    public static let kind = "workerOffline"
    public static let version = 1
    public var worker: WorkerID
    public var reason: String
    /// The worker handed its token over: its players play on and its gateway and Lavalink
    /// sessions were left resumable for the spare that takes the token next (a graceful stop).
    /// nil or false: it left voice first. Absent in events from older workers.
    public var playersKept: Bool?
    public init(worker: WorkerID, reason: String, playersKept: Bool? = nil) {
        self.worker = worker
        self.reason = reason
        self.playersKept = playersKept
    }
}

/// A job the worker could not carry out (Discord refused it, missing permission, …).
public struct JobFailedEvent: VersionedPayload {
    public static let kind = "jobFailed"
    public static let version = 1
    public var job: EnvelopeID
    public var jobKind: String
    public var reason: String
    /// For game jobs: the lobby and guild, so the master can tell that lobby's channel.
    public var lobby: LobbyID?
    public var guild: GuildID?
    /// Discord refused for lack of a permission (50013), rather than anything else.
    public var missingPermission: Bool
    /// For music jobs: the session the job was for, so the master can tell its channel that a
    /// command did not take effect. Absent in events from older workers.
    public var session: SessionKey?
    public init(job: EnvelopeID, jobKind: String, reason: String, lobby: LobbyID? = nil, guild: GuildID? = nil,
                missingPermission: Bool = false, session: SessionKey? = nil) {
        self.session = session
        self.job = job
        self.jobKind = jobKind
        self.reason = reason
        self.lobby = lobby
        self.guild = guild
        self.missingPermission = missingPermission
    }

    enum CodingKeys: String, CodingKey { case job, jobKind, reason, lobby, guild, missingPermission, session }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        job = try container.decode(EnvelopeID.self, forKey: .job)
        jobKind = try container.decode(String.self, forKey: .jobKind)
        reason = try container.decode(String.self, forKey: .reason)
        lobby = try container.decodeIfPresent(LobbyID.self, forKey: .lobby)
        guild = try container.decodeIfPresent(GuildID.self, forKey: .guild)
        missingPermission = try container.decodeIfPresent(Bool.self, forKey: .missingPermission) ?? false
        session = try container.decodeIfPresent(SessionKey.self, forKey: .session)
    }
}

public struct TempChannelCreatedEvent: VersionedPayload {
    public static let kind = "tempChannelCreated"
    public static let version = 1
    public var lobby: LobbyID
    public var guild: GuildID
    public var channel: ChannelID
    public init(lobby: LobbyID, guild: GuildID, channel: ChannelID) {
        self.lobby = lobby
        self.guild = guild
        self.channel = channel
    }
}

/// A music job the worker carried out (the player took the change, the bot is in the channel).
/// The master answers the command that waited for it only now: a reply says what happened.
public struct JobAckedEvent: VersionedPayload {
    public static let kind = "jobAcked"
    public static let version = 1
    /// The envelope id of the job (for session jobs, `EnvelopeID(sessionJob:)`).
    public var job: EnvelopeID
    public var jobKind: String
    public var session: SessionKey

    public init(job: EnvelopeID, jobKind: String, session: SessionKey) {
        self.job = job
        self.jobKind = jobKind
        self.session = session
    }
}
