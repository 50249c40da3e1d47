import Foundation

/// Everything the master knows about one music session, as one value: what `MusicSession` reads
/// and returns, and what a store adapter keeps under the session key with compare-and-set on
/// `version` (one round trip: a Lua script in Redis, a transaction in SQLite).
///
/// Invariants (checked by the session tests, kept by `MusicSession`):
/// - at most one entry plays: `nowPlaying` is the only entry handed to a player, and an entry id
///   appears at most once in `queue` + `nowPlaying`;
/// - a session is bound only to a live worker: `binding` is cleared (or moved to another worker)
///   when its worker is reported dead, or when reconciliation finds it missing for longer than
///   the worker grace period;
/// - no queue entry is lost or duplicated: an entry leaves `queue`/`nowPlaying` only by playing
///   (into `history`), by a member's command (remove, clear, skip to, stop, leave) or when the
///   session ends (idle, alone).
public struct SessionRecord: Sendable, Hashable, Codable {
    /// The layout of this type; raised when a stored record needs migrating.
    public static let currentFormat = 1

    public var format: Int
    /// Compare-and-set version: a store saves a record only over version `version - 1`
    /// (0: nothing stored yet). `MusicSession` raises it once per input that changed anything.
    public var version: Int
    public var session: SessionKey
    public var binding: SessionBinding?
    public var queue: [QueueEntry]
    public var nowPlaying: NowPlaying?
    /// Played entries, oldest first, at most `SessionPolicy.historyLimit`.
    public var history: [QueueEntry]
    public var loop: LoopMode
    public var autoplay: Bool
    /// Lavalink volume.
    public var volume: Int
    /// The filter preset in force; nil means none.
    public var filter: String?
    /// `/stay`: exempt from idle reclaim.
    public var stay: Bool
    /// Where replies cannot reach (notices, the now-playing message) the session posts.
    public var textChannel: ChannelID?
    /// The language of those posts (the guild's).
    public var locale: DiscordLocale?
    /// The now-playing message in `textChannel`, edited rather than re-posted.
    public var boardMessage: MessageID?
    /// Jobs sent (or held while the worker is away) and not yet acknowledged.
    public var pending: [PendingJob]
    /// Numbers job ids and autoplay entries; never reused within a session.
    public var counter: UInt64
    /// Which life of the channel's session this is, part of every job id: once a session ends
    /// and its record is deleted, the next one counts from zero again, and without it its jobs
    /// would reuse the ids the worker's ledger still remembers as done (and answer without
    /// acting). Nil only in records stored before it existed.
    public var incarnation: UInt64?
    /// Since when nothing has been playing (nil while a track plays unpaused).
    public var idleSince: Date?
    /// Since when the voice channel has had no listeners (playback was paused for that reason).
    public var aloneSince: Date?
    /// An autoplay search was asked for and not answered yet.
    public var autoplayAsked: Bool
    /// The worker that last played this channel: routing prefers it (kept when the session ends).
    public var lastWorker: WorkerID?
    /// Since when reconciliation has seen the bound worker's player with no track while the
    /// current entry should play: seen so again a moment later, the track ended and its
    /// `trackEnd` was lost (a single look could race the play that is just starting it).
    public var playerEmptySince: Date?
    /// How autoplay picks (nil: `similar`, as records stored before modes existed).
    public var autoplayMode: AutoplayMode?
    /// Autoplay searches asked so far: `mixed` alternates by it.
    public var autoplayTurns: Int?
    /// The segment SponsorBlock last skipped in the current entry, for the now-playing message.
    public var skippedSegment: SkippedSegment?
    /// Votes to skip the current entry (`SkipVotes`); dropped whenever the current entry changes.
    public var skipVotes: SkipVotes?

    public init(session: SessionKey, now: Date, volume: Int = 100,
                incarnation: UInt64 = .random(in: 1...UInt64.max)) {
        format = Self.currentFormat
        self.incarnation = incarnation
        version = 0
        self.session = session
        binding = nil
        queue = []
        nowPlaying = nil
        history = []
        loop = .off
        autoplay = false
        self.volume = volume
        filter = nil
        stay = false
        textChannel = nil
        locale = nil
        boardMessage = nil
        pending = []
        counter = 0
        idleSince = now
        aloneSince = nil
        autoplayAsked = false
        lastWorker = nil
        playerEmptySince = nil
        skipVotes = nil
    }

    /// Whether a track is playing (bound, something current, not paused).
    public var isPlaying: Bool { binding != nil && nowPlaying.map { !$0.paused } == true }

    /// What outlives the session's end (or its hand-over to another channel): the version, the
    /// job counter and incarnation (ids stay unique), `/stay`, the channel's last worker, the
    /// jobs still awaited (`pending`), and where and in which language to post (the notice, a
    /// later /play's posts). The queue, what played and the player's settings go.
    func remains(now: Date, pending: [PendingJob]) -> SessionRecord {
        var rest = SessionRecord(session: session, now: now)
        rest.version = version
        rest.counter = counter
        rest.incarnation = incarnation
        rest.stay = stay
        rest.lastWorker = lastWorker
        rest.pending = pending
        rest.textChannel = textChannel
        rest.locale = locale
        return rest
    }

    /// Every entry that is queued or current, current first.
    public var entries: [QueueEntry] { (nowPlaying.map { [$0.entry] } ?? []) + queue }

    // Short keys: the record is stored and rewritten on every change, so its size matters.
    enum CodingKeys: String, CodingKey {
        case format = "f", version = "v", session = "s", binding = "b", queue = "q", nowPlaying = "np"
        case history = "h", loop = "l", autoplay = "ap", volume = "vol", filter = "fx", stay = "st"
        case textChannel = "tc", locale = "lc", boardMessage = "bm", pending = "p", counter = "n", incarnation = "i", idleSince = "is", aloneSince = "as"
        case autoplayAsked = "aa", lastWorker = "lw", playerEmptySince = "pe", skipVotes = "sv"
        case autoplayMode = "am", autoplayTurns = "at", skippedSegment = "ss"
    }
}

/// The worker a session is bound to, and how far its voice connection got.
public struct SessionBinding: Sendable, Hashable, Codable {
    public enum Voice: String, Sendable, Hashable, Codable {
        /// `connect` sent; playback starts once the worker reports it is in the channel.
        case connecting
        case connected
    }

    public var worker: WorkerID
    public var boundAt: Date
    public var voice: Voice
    /// The worker announced it is stopping (or reconciliation stopped seeing it): jobs are held
    /// until it is back (a spare took its token over) or the grace period ends.
    public var awaySince: Date?
    /// Play jobs failed in a row on this worker; at `SessionPolicy.playFailureLimit` it is given up.
    public var playFailures: Int
    /// The worker said it is stopping (rather than going silent): members are told it was
    /// stopped, not that it crashed, if no spare takes over.
    public var stopping: Bool?
    /// The stopping worker handed its token over with its players playing (`handingOver`): the
    /// spare that takes the token over resumes them, so it does not join again.
    public var playersKept: Bool?

    public init(worker: WorkerID, boundAt: Date, voice: Voice = .connecting, awaySince: Date? = nil,
                playFailures: Int = 0) {
        self.worker = worker
        self.boundAt = boundAt
        self.voice = voice
        self.awaySince = awaySince
        self.playFailures = playFailures
    }
}

/// Identifies one job a session sent; the worker acknowledges or fails it by this id. Coded as
/// a bare string (the standard library's `RawRepresentable` coding).
public struct SessionJobID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The `number`th job of one life of `session`.
    public init(session: SessionKey, incarnation: UInt64?, number: UInt64) {
        if let incarnation {
            rawValue = "\(session)#\(String(incarnation, radix: 36)).\(number)"
        } else {
            rawValue = "\(session)#\(number)"
        }
    }
}

/// What a session asks its worker to do.
public enum SessionJob: Sendable, Hashable, Codable {
    case connect(textChannel: ChannelID?)
    case play(QueueEntry, positionMs: Int64, paused: Bool, volume: Int)
    case pause(Bool)
    case seek(Int64)
    case volume(Int)
    case filter(String?)
    /// Stop the current track, stay in the channel.
    case stop
    /// Destroy the player and leave the channel.
    case leave(VoiceLeaveJob.LeaveReason)
}

/// A job waiting for its acknowledgement, and who is waiting for it.
public struct PendingJob: Sendable, Hashable, Codable {
    public var id: SessionJobID
    public var worker: WorkerID
    public var job: SessionJob
    /// Past this, the job counts as failed (`CommandFailure.timedOut`).
    public var deadline: Date
    /// Not sent yet: the worker is away and the job waits for it to come back.
    public var held: Bool
    /// The member command that waits for this job, and what to tell them when it is done.
    public var waiting: WaitingCommand?

    public init(id: SessionJobID, worker: WorkerID, job: SessionJob, deadline: Date, held: Bool,
                waiting: WaitingCommand?) {
        self.id = id
        self.worker = worker
        self.job = job
        self.deadline = deadline
        self.held = held
        self.waiting = waiting
    }
}

/// A command whose reply waits for a job.
public struct WaitingCommand: Sendable, Hashable, Codable {
    public var command: CommandID
    /// The reply once the job is carried out.
    public var done: CommandResult
    /// `CommandOrigin.handle`: lets whichever master sees the acknowledgement answer.
    public var handle: String?

    public init(command: CommandID, done: CommandResult, handle: String? = nil) {
        self.command = command
        self.done = done
        self.handle = handle
    }
}
