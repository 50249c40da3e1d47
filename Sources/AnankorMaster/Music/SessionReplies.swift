import AnankorCore
import DiscordKit
import Foundation
import Synchronization

/// Where the answers of member commands meet the commands waiting for them. A command registers
/// its id before the session handles it; the reply effect, whenever it comes (at once, or when the
/// worker acknowledges the job), completes it. A wait is bounded and cancellable.
final class SessionReplies: Sendable {
    private enum Slot {
        case expected
        case waiting(CheckedContinuation<CommandResult?, Never>)
        case answered(CommandResult)
    }

    private let slots = Mutex<[CommandID: Slot]>([:])
    let clock: any Clock<Duration>

    init(clock: any Clock<Duration>) { self.clock = clock }

    /// Registers `command` so that an answer arriving before `result(for:)` is kept.
    func expect(_ command: CommandID) {
        slots.withLock { $0[command] = .expected }
    }

    /// Delivers an answer; false when no command of this master waits for it (another master, or
    /// a command that gave up).
    @discardableResult
    func deliver(_ result: CommandResult, to command: CommandID) -> Bool {
        let waiter = slots.withLock { slots -> CheckedContinuation<CommandResult?, Never>?? in
            switch slots[command] {
            case .expected?:
                slots[command] = .answered(result)
                return .some(nil)
            case .waiting(let continuation)?:
                slots[command] = nil
                return .some(continuation)
            case .answered?, nil:
                return nil
            }
        }
        guard let waiter else { return false }
        waiter?.resume(returning: result)
        return true
    }

    /// The answer to `command`, or nil when none came within `patience` (or the task was
    /// cancelled). The slot is gone afterwards.
    func result(for command: CommandID, patience: Duration) async -> CommandResult? {
        if let ready = slots.withLock({ slots -> CommandResult? in
            guard case .answered(let result)? = slots[command] else { return nil }
            slots[command] = nil
            return result
        }) {
            return ready
        }
        return await withTaskGroup(of: CommandResult?.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let immediate = self.slots.withLock { slots -> CommandResult?? in
                            switch slots[command] {
                            case .answered(let result)?:
                                slots[command] = nil
                                return .some(result)
                            case .expected?:
                                slots[command] = .waiting(continuation)
                                return nil
                            case .waiting?, nil:
                                return .some(nil)  // given up already, or never expected
                            }
                        }
                        if let immediate { continuation.resume(returning: immediate) }
                    }
                } onCancel: {
                    self.abandon(command)
                }
            }
            group.addTask {
                try? await self.clock.sleep(for: patience)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Gives up waiting: a waiter is resumed with nil, a slot is forgotten.
    func abandon(_ command: CommandID) {
        let waiter = slots.withLock { slots -> CheckedContinuation<CommandResult?, Never>? in
            defer { slots[command] = nil }
            if case .waiting(let continuation)? = slots[command] { return continuation }
            return nil
        }
        waiter?.resume(returning: nil)
    }
}

/// How a command can be answered by a master that did not receive it: kept (opaque) with the
/// command in the session record while its job is under way. The interaction token is a
/// short-lived credential; it is never logged.
struct CommandHandle: Codable, Sendable, Hashable {
    /// The interaction's id and token, for an interaction; nil for a text command.
    var interaction: UInt64?
    var token: String?
    /// For a text command: the channel to answer in.
    var channel: UInt64?
    var locale: String
    var ephemeral: Bool

    enum CodingKeys: String, CodingKey {
        case interaction = "i", token = "t", channel = "c", locale = "l", ephemeral = "e"
    }

    var encoded: String? {
        (try? JSONEncoder().encode(self)).flatMap { String(data: $0, encoding: .utf8) }
    }

    init(interaction: UInt64?, token: String?, channel: UInt64?, locale: AnankorCore.DiscordLocale, ephemeral: Bool) {
        self.interaction = interaction
        self.token = token
        self.channel = channel
        self.locale = locale.rawValue
        self.ephemeral = ephemeral
    }

    init?(_ encoded: String?) {
        guard let data = encoded?.data(using: .utf8), let handle = try? JSONDecoder().decode(Self.self, from: data)
        else { return nil }
        self = handle
    }
}

/// The member-facing text of what a session command did, in the member's language.
struct CommandResultText {
    let context: MasterContext

    func reply(_ result: CommandResult, session: SessionKey, locale: AnankorCore.DiscordLocale,
               invites: [(key: MessageKey, arguments: [String: String])] = []) -> Reply {
        let channel = context.mention(channel: session.channel)
        func text(_ key: MessageKey, _ arguments: [String: String] = [:]) -> String { context.text(key, locale, arguments) }
        switch result {
        case .queued(let title, let lengthMs, let position):
            return Reply(text(.musicQueuedTrack, ["title": title, "duration": PlaybackTime.format(milliseconds: lengthMs),
                                                  "position": "\(position)"]))
        case .queuedPlaylist(let name, let count):
            return Reply(text(.musicQueuedPlaylist, ["count": "\(count)", "playlist": name]))
        case .skipped(let title): return Reply(text(.musicSkipped, ["title": title]))
        case .skipVoted(let title, let votes, let needed, let counted):
            return Reply(text(counted ? .musicSkipVoted : .musicSkipVoteRepeated,
                              ["title": title, "votes": "\(votes)", "needed": "\(needed)"]), ephemeral: !counted)
        case .skippedByVote(let title, let votes, let needed):
            return Reply(text(.musicSkippedByVote, ["title": title, "votes": "\(votes)", "needed": "\(needed)"]))
        case .previousPlaying(let title): return Reply(text(.musicPreviousPlaying, ["title": title]))
        case .paused: return Reply(text(.musicPaused))
        case .resumed: return Reply(text(.musicResumed))
        case .stopped: return Reply(text(.musicStopped))
        case .left: return Reply(text(.musicLeft, ["channel": channel]))
        case .seeked(let position): return Reply(text(.musicSeeked, ["position": PlaybackTime.format(milliseconds: position)]))
        case .volumeSet(let level): return Reply(text(.musicVolumeSet, ["volume": "\(level)"]))
        case .loop(let mode):
            let key: MessageKey = switch mode {
            case .off: .musicLoopOff
            case .track: .musicLoopTrack
            case .queue: .musicLoopQueue
            }
            return Reply(text(key))
        case .shuffled(let count): return Reply(text(.musicShuffled, ["count": "\(count)"]))
        case .removed(let title): return Reply(text(.musicRemoved, ["title": title]))
        case .moved(let title, let position): return Reply(text(.musicMoved, ["title": title, "position": "\(position)"]))
        case .cleared: return Reply(text(.musicCleared))
        case .autoplay(let on): return Reply(text(on ? .musicAutoplayOn : .musicAutoplayOff))
        case .autoplayMode(let mode):
            let key: MessageKey = switch mode {
            case .similar: .musicAutoplayOn
            case .artist: .musicAutoplayArtist
            case .mixed: .musicAutoplayMixed
            }
            return Reply(text(key))
        case .filterApplied(let preset): return Reply(text(.musicFilterApplied, ["filter": preset ?? "off"]))
        case .stay(let on):
            let minutes = Int(context.configuration.idleTimeout.components.seconds / 60)
            return Reply(text(on ? .musicStayOn : .musicStayOff, ["channel": channel, "minutes": "\(minutes)"]))
        case .notCarriedOut:
            return Reply(text(.musicNotCarriedOut, ["channel": channel]), ephemeral: true)
        case .refused(let refusal):
            let lines = [refusalText(refusal, channel: channel, locale: locale)]
                + invites.map { context.text($0.key, locale, $0.arguments) }
            return Reply(lines.joined(separator: "\n"), ephemeral: true)
        }
    }

    private func refusalText(_ refusal: CommandRefusal, channel: String, locale: AnankorCore.DiscordLocale) -> String {
        func text(_ key: MessageKey, _ arguments: [String: String] = [:]) -> String { context.text(key, locale, arguments) }
        switch refusal {
        case .nothingToQueue: return text(.musicNothingToQueue)
        case .notBound, .nothingPlaying: return text(.musicNothingPlaying)
        case .noPrevious: return text(.musicNoPrevious)
        case .positionInvalid(let position, let count):
            return text(.musicPositionInvalid, ["position": "\(position)", "count": "\(count)"])
        case .seekInvalid(let position, let duration):
            return text(.musicSeekInvalid, ["position": PlaybackTime.format(milliseconds: position),
                                             "duration": duration.map { PlaybackTime.format(milliseconds: $0) } ?? "LIVE"])
        case .volumeOutOfRange:
            // The template of `/volume`'s own check; the range is the sessions' policy's.
            return text(.musicVolumeOutOfRange, ["max": "\(SessionPolicy().volumeRange.upperBound)"])
        case .routing(.capReached(_, let busy)) where busy.isEmpty, .routing(.noFreeWorker(let busy)) where busy.isEmpty:
            // No channel to name as busy (no bot in the server at all): the sentence without the list.
            return text(.musicNoWorkerFree, ["channel": channel])
        case .routing(.capReached(let cap, let busy)):
            return text(.musicSessionCapReached, ["cap": "\(cap)", "channels": channelList(busy)])
        case .routing(.noFreeWorker(let busy)):
            return text(.musicNoFreeWorker, ["channel": channel, "channels": channelList(busy)])
        case .routing(.notPermitted(let missing)):
            let names = missing.map { name in Self.permissionKeys[name].map { text($0) } ?? name }
            return text(.musicNoWorkerPermitted, ["channel": channel,
                                                  "permissions": names.map { "**\($0)**" }.joined(separator: ", ")])
        case .skipAheadNeedsDJ: return text(.musicSkipAheadNeedsDJ)
        }
    }

    private func channelList(_ busy: [ChannelID]) -> String {
        busy.map { context.mention(channel: $0) }.joined(separator: ", ")
    }

    /// `VoicePermissions.required`'s names (Discord's English ones) to their names in the
    /// reader's Discord client, where an admin looks for them.
    static let permissionKeys: [String: MessageKey] = [
        "View Channel": .permissionViewChannel, "Connect": .permissionConnect, "Speak": .permissionSpeak,
    ]

    /// The post for a session notice, in the session's language.
    func notice(_ notice: SessionNotice, session: SessionKey, locale: AnankorCore.DiscordLocale) -> String {
        let channel = context.mention(channel: session.channel)
        switch notice {
        case .playbackCrashed: return context.text(.musicPlaybackCrashed, locale, ["channel": channel])
        case .workerStopped: return context.text(.musicWorkerStopped, locale, ["channel": channel])
        case .idleLeft(let minutes): return context.text(.musicIdleLeft, locale, ["channel": channel, "minutes": "\(minutes)"])
        case .pausedEmptyChannel: return context.text(.musicPausedEmptyChannel, locale, ["channel": channel])
        case .leftAlone: return context.text(.musicLeft, locale, ["channel": channel])
        case .trackFailed(let title, let reason): return context.text(.musicTrackFailed, locale, ["title": title, "reason": reason])
        case .connectFailed: return context.text(.musicJoinFailed, locale, ["channel": channel])
        case .botRemoved: return context.text(.musicWorkerRemoved, locale, ["channel": channel])
        case .botMoved: return context.text(.musicBotMoved, locale, ["channel": channel])
        }
    }
}
