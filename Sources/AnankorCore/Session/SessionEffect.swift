import Foundation

/// What the master carries out for `MusicSession`, in order.
public enum SessionEffect: Sendable, Hashable {
    /// Send a job to a worker; it answers with `WorkerReport.jobAcked`/`.jobFailed` for `id`.
    case send(SessionJobID, SessionJob, to: WorkerID)
    /// End a player nobody should own and take the bot out of the channel, without the worker
    /// (Lavalink's REST API with the saved session id, then a Move Members disconnect): a dead or
    /// replaced worker's player must not keep playing next to the new one.
    case destroyPlayer(WorkerID)
    /// Answer a member command with what happened.
    case reply(CommandID, CommandResult)
    /// Bring the now-playing message up to date (`record.boardMessage`; when there is none, post
    /// one and report it with `SessionInput.boardPosted`).
    case refreshBoard
    /// This now-playing message no longer describes a running session.
    case retireBoard(MessageID)
    /// Post in the session's text channel, in the guild's language.
    case notice(SessionNotice, channel: ChannelID, locale: DiscordLocale?)
    /// Store the record (compare-and-set over `record.version - 1`).
    case persist(SessionRecord)
    /// Deliver `SessionInput.tick(timer)` at `at` (replacing an earlier schedule of that timer).
    case schedule(SessionTimer, at: Date)
    /// Autoplay: find one track after `after` by `mode` (`similar` or `artist`; `mixed` is
    /// resolved per turn already) that is none of `excluding` (recently played), and answer with
    /// `SessionInput.autoplayFound`.
    case findAutoplay(after: Track, mode: AutoplayMode, excluding: [Track])
    /// The session moved on with its listeners: deliver `SessionInput.takeOver(record)` to the
    /// session `to` (the record as it stood, its bot still bound, its position brought to now).
    case handOver(SessionRecord, to: SessionKey)
    /// Show `status` under the voice channel's name (nil clears it), through `worker`'s bot, which
    /// must be in the channel. Best effort: skipped where the bot lacks Set Voice Channel Status.
    case voiceStatus(String?, worker: WorkerID)
}

/// What a command did. A command that needs a job is answered when the job is acknowledged, or
/// with `.notCarriedOut` when it failed or was not acknowledged in time.
public enum CommandResult: Sendable, Hashable, Codable {
    /// `position` is 1-based in the queue as the member sees it (the next entry is 1).
    case queued(title: String, lengthMs: Int64?, position: Int)
    case queuedPlaylist(name: String, count: Int)
    case skipped(title: String)
    /// A `/skip` vote: `votes` of the `needed` are in; `counted` is false for a repeated vote.
    case skipVoted(title: String, votes: Int, needed: Int, counted: Bool)
    /// The vote passed: `title` was skipped.
    case skippedByVote(title: String, votes: Int, needed: Int)
    case previousPlaying(title: String)
    case paused
    case resumed
    case stopped
    case left
    case seeked(positionMs: Int64)
    case volumeSet(Int)
    case loop(LoopMode)
    case shuffled(count: Int)
    case removed(title: String)
    case moved(title: String, position: Int)
    case cleared(count: Int)
    case autoplay(Bool)
    /// Autoplay is on, in this mode.
    case autoplayMode(AutoplayMode)
    case filterApplied(String?)
    case stay(Bool)
    case refused(CommandRefusal)
    case notCarriedOut(CommandFailure)
}

/// Why a command was not accepted; carries what the localized reply needs.
public enum CommandRefusal: Sendable, Hashable, Codable {
    case nothingToQueue
    case notBound
    case nothingPlaying
    case noPrevious
    case positionInvalid(position: Int, count: Int)
    /// `durationMs` nil: a stream.
    case seekInvalid(positionMs: Int64, durationMs: Int64?)
    case volumeOutOfRange(Int)
    case routing(RoutingRefusal)
    /// `/skip to:` by a member who must vote: only the current track is put to a vote.
    case skipAheadNeedsDJ
}

/// Why an accepted command did not happen.
public enum CommandFailure: Sendable, Hashable, Codable {
    /// The worker reported the job failed.
    case workerFailed(reason: String)
    /// No acknowledgement before the deadline.
    case timedOut
    /// The worker died or left before carrying it out.
    case workerGone
}

/// Posts in the session's text channel, for what nobody asked for.
public enum SessionNotice: Sendable, Hashable, Codable {
    /// The worker is gone and no other could take over: the queue is kept for `/play`.
    case playbackCrashed
    /// The worker was stopped (it said so) and no spare or other worker took over; queue kept.
    case workerStopped
    /// Left after `minutes` with nothing playing.
    case idleLeft(minutes: Int)
    /// Paused: nobody is listening.
    case pausedEmptyChannel
    /// Left after nobody listened for the alone timeout.
    case leftAlone
    case trackFailed(title: String, reason: String)
    /// The worker could not join the voice channel.
    case connectFailed(reason: String)
    /// A moderator disconnected the bot; the queue is kept for `/play`.
    case botRemoved
    /// A moderator moved the bot to another channel; it was taken out of there too.
    case botMoved
}
