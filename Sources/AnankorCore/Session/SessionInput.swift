import Foundation

/// Identifies the member command (the interaction) a reply answers.
public struct CommandID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// Who ran a command and where.
public struct CommandOrigin: Sendable, Hashable, Codable {
    public var command: CommandID
    public var user: UserID
    public var textChannel: ChannelID?
    /// The language of the session's channel posts (the guild's, or its override).
    public var postLocale: DiscordLocale?
    /// Opaque to the session: what a master needs to answer the command when the acknowledgement
    /// its reply waits for reaches another master. Kept with the waiting command.
    public var handle: String?

    public init(command: CommandID, user: UserID, textChannel: ChannelID? = nil, postLocale: DiscordLocale? = nil,
                handle: String? = nil) {
        self.command = command
        self.user = user
        self.textChannel = textChannel
        self.postLocale = postLocale
        self.handle = handle
    }
}

/// What `MusicSession` reacts to.
public enum SessionInput: Sendable, Hashable {
    case command(MemberCommand, from: CommandOrigin)
    /// Something a worker reported about this session (or about itself).
    case worker(WorkerID, WorkerReport)
    /// A timer the session scheduled came due (early or repeated ticks are harmless).
    case tick(SessionTimer)
    /// A reconciliation pass: what workers and Lavalink last reported.
    case observed(SessionObservation)
    /// The answer to `SessionEffect.findAutoplay` (nil: nothing found).
    case autoplayFound(Track?)
    /// The master posted the now-playing message.
    case boardPosted(MessageID)
    /// Everyone listening is being moved into `channel` of the guild (a game lobby gathering its
    /// players): the session goes along (`SessionEffect.handOver`) or, when it cannot, ends now.
    case handOver(to: ChannelID)
    /// A session handed over from another channel of the guild, as it stood then: this channel
    /// takes it on (same bot, queue and position) unless it has music of its own.
    case takeOver(SessionRecord)
    /// The humans in the voice channel now, after a voice change: none pauses the session,
    /// someone coming back resumes it, and the skip votes of those who left are dropped.
    case presence(Set<UserID>)
}

/// Member commands, with everything already resolved (tracks loaded, options parsed).
public enum MemberCommand: Sendable, Hashable {
    /// `/play`: `tracks` are resolved; `routing` is used when the session is not bound yet.
    case play([Track], placement: QueuePlacement, playlist: String?, routing: RoutingSnapshot)
    /// `/skip [to]` (1-based queue position).
    case skip(to: Int?)
    /// `/skip` by a member who may not skip outright (not a DJ): a vote when more than two
    /// listen, else a skip (`SkipVotes`).
    case voteSkip(SkipVoteContext)
    case previous
    case pause
    case resume
    /// The ⏯️ button.
    case togglePause
    case stop
    case leave
    case seek(Int64)
    case volume(Int)
    /// nil: cycle off → track → queue (the 🔁 button).
    case loop(LoopMode?)
    /// The seed comes from outside so the session stays pure.
    case shuffle(seed: UInt64)
    /// 1-based.
    case remove(position: Int)
    /// 1-based.
    case move(from: Int, to: Int)
    case clear
    case replay
    /// nil toggles.
    case autoplay(Bool?)
    /// `/autoplay mode:`: on, picking the next tracks this way.
    case autoplayMode(AutoplayMode)
    /// nil clears filters.
    case filter(String?)
    case stay(Bool)
}

/// Worker acknowledgements and events.
public enum WorkerReport: Sendable, Hashable {
    case voiceConnected
    case connectFailed(reason: String)
    case jobAcked(SessionJobID)
    case jobFailed(SessionJobID, reason: String)
    case trackStarted(QueueEntryID)
    case trackEnded(QueueEntryID, reason: TrackEndReason)
    case trackStuck(QueueEntryID)
    case trackException(QueueEntryID, message: String)
    case position(QueueEntryID, positionMs: Int64, paused: Bool?, at: Date)
    /// A moderator disconnected the bot from the channel, or moved it to `movedTo`.
    case removed(movedTo: ChannelID?)
    /// The worker is stopping and has left voice (its token may be taken over by a spare).
    case offline
    /// The worker stopped and handed its token over: it left its players playing and its gateway
    /// and Lavalink sessions resumable, so a spare that takes the token over plays on as it is.
    case handingOver
    /// The worker (or the spare that took its token) is running.
    case online
    /// SponsorBlock skipped a segment of `entry` (nil: whatever plays); the board shows it.
    case segmentSkipped(QueueEntryID?, SkippedSegment.Part)
    /// The worker's lease expired: it is gone. `routing` is used to rebind elsewhere.
    case dead(routing: RoutingSnapshot)
}

public enum SessionTimer: String, Sendable, Hashable, Codable, CaseIterable {
    /// The earliest pending job deadline.
    case ackDeadline
    /// Nothing played for `SessionPolicy.idleTimeout`.
    case idle
    /// Nobody listened for `SessionPolicy.aloneTimeout`.
    case alone
}

/// What reconciliation saw: the players that exist for this session's voice channel (from worker
/// heartbeats and Lavalink's REST API) and the workers that are live. It must be complete for the
/// bound worker: a worker missing from `players` is taken to have no player, and the current
/// entry is played again. The master runs a pass at least once per worker grace period, so a
/// worker that stopped without a spare is replaced or reported within about twice that time.
public struct SessionObservation: Sendable, Hashable {
    /// Players in this session's channel, by worker. A worker missing here has no player.
    public var players: [WorkerID: ObservedPlayer]
    public var routing: RoutingSnapshot

    public init(players: [WorkerID: ObservedPlayer], routing: RoutingSnapshot) {
        self.players = players
        self.routing = routing
    }
}

public struct ObservedPlayer: Sendable, Hashable {
    /// The entry the player has loaded; nil when it has none (a track ended, nothing started).
    public var entry: QueueEntryID?
    public var positionMs: Int64
    public var paused: Bool
    /// When the position was measured.
    public var at: Date

    public init(entry: QueueEntryID?, positionMs: Int64, paused: Bool, at: Date) {
        self.entry = entry
        self.positionMs = positionMs
        self.paused = paused
        self.at = at
    }
}
