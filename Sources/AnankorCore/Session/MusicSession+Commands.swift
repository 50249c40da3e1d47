import Foundation

extension SessionStep {
    mutating func command(_ command: MemberCommand, from origin: CommandOrigin) {
        let id = origin.command
        handle = origin.handle
        switch command {
        case .play(let tracks, let placement, let playlist, let routing):
            play(tracks, placement: placement, playlist: playlist, routing: routing, origin: origin)
            return
        case .stay(let on):
            record.stay = on
            // Turning it off starts the idle clock afresh, as a touch of the session did before.
            if !on, record.idleSince != nil { record.idleSince = now }
            reply(id, .stay(on))
            return
        default:
            break
        }
        guard record.binding != nil else { return reply(id, .refused(.notBound)) }
        switch command {
        case .play, .stay:
            break  // handled above
        case .skip(let to):
            guard let current = record.nowPlaying else { return reply(id, .refused(.nothingPlaying)) }
            if let to, to > 1 {
                guard to <= record.queue.count else {
                    return reply(id, .refused(.positionInvalid(position: to, count: record.queue.count)))
                }
                // Entries before the target are skipped too.
                record.queue.removeFirst(to - 1)
            }
            advance(.skipped, waiting: waiting(id, .skipped(title: current.entry.track.title)))
        case .voteSkip(let vote):
            guard let current = record.nowPlaying else { return reply(id, .refused(.nothingPlaying)) }
            voteSkip(current, vote, from: origin)
        case .previous:
            guard let previous = record.history.popLast() else { return reply(id, .refused(.noPrevious)) }
            // Under loop-queue the entry is also back in the queue: it moves rather than doubles.
            record.queue.removeAll { $0.id == previous.id }
            if let current = record.nowPlaying, current.entry.id != previous.id {
                record.queue.insert(current.entry, at: 0)
            }
            record.nowPlaying = NowPlaying(entry: previous, positionMs: 0, paused: false, updatedAt: now)
            sendJob(.play(previous, positionMs: 0, paused: false, volume: record.volume),
                    waiting: waiting(id, .previousPlaying(title: previous.track.title)))
        case .pause:
            setPaused(true, command: id)
        case .resume:
            setPaused(false, command: id)
        case .togglePause:
            setPaused(!(record.nowPlaying?.paused ?? true), command: id)
        case .stop:
            record.loop = .off
            record.queue.removeAll()
            if record.nowPlaying != nil {
                advance(.skipped, waiting: waiting(id, .stopped), autoplay: false)
            } else {
                sendJob(.stop, waiting: waiting(id, .stopped))
            }
        case .leave:
            end(.requested, notice: nil, waiting: id)
        case .seek(let target):
            guard let current = record.nowPlaying else { return reply(id, .refused(.nothingPlaying)) }
            let track = current.entry.track
            guard !track.isStream, target >= 0, target <= track.lengthMs else {
                return reply(id, .refused(.seekInvalid(positionMs: target, durationMs: track.isStream ? nil : track.lengthMs)))
            }
            sendJob(.seek(target), waiting: waiting(id, .seeked(positionMs: target)))
        case .replay:
            guard record.nowPlaying != nil else { return reply(id, .refused(.nothingPlaying)) }
            sendJob(.seek(0), waiting: waiting(id, .seeked(positionMs: 0)))
        case .volume(let level):
            guard policy.volumeRange.contains(level) else { return reply(id, .refused(.volumeOutOfRange(level))) }
            sendJob(.volume(level), waiting: waiting(id, .volumeSet(level)))
        case .filter(let preset):
            sendJob(.filter(preset), waiting: waiting(id, .filterApplied(preset)))
        case .loop(let chosen):
            let all = LoopMode.allCases
            let mode = chosen ?? all[(all.firstIndex(of: record.loop)! + 1) % all.count]
            record.loop = mode
            reply(id, .loop(mode))
        case .shuffle(let seed):
            QueueRules.shuffle(&record.queue, seed: seed)
            reply(id, .shuffled(count: record.queue.count))
        case .remove(let position):
            guard record.queue.indices.contains(position - 1) else {
                return reply(id, .refused(.positionInvalid(position: position, count: record.queue.count)))
            }
            let removed = record.queue.remove(at: position - 1)
            reply(id, .removed(title: removed.track.title))
        case .move(let from, let to):
            guard record.queue.indices.contains(from - 1), record.queue.indices.contains(to - 1) else {
                return reply(id, .refused(.positionInvalid(position: max(from, to), count: record.queue.count)))
            }
            let moved = record.queue.remove(at: from - 1)
            record.queue.insert(moved, at: to - 1)
            reply(id, .moved(title: moved.track.title, position: to))
        case .clear:
            let count = record.queue.count
            record.queue.removeAll()
            reply(id, .cleared(count: count))
        case .autoplay(let chosen):
            record.autoplay = chosen ?? !record.autoplay
            reply(id, record.autoplay ? .autoplayMode(record.autoplayMode ?? .similar) : .autoplay(false))
        case .autoplayMode(let mode):
            record.autoplay = true
            record.autoplayMode = mode
            reply(id, .autoplayMode(mode))
        }
    }

    /// `/play`: binds a worker when needed (routing over `routing`), queues, and starts playback
    /// when nothing plays. Entry ids derive from the command id, so a redelivered command is
    /// recognised and changes nothing.
    private mutating func play(_ tracks: [Track], placement: QueuePlacement, playlist: String?, routing: RoutingSnapshot,
                               origin: CommandOrigin) {
        let id = origin.command
        guard !tracks.isEmpty else { return reply(id, .refused(.nothingToQueue)) }
        let entries = tracks.enumerated().map { index, track in
            QueueEntry(id: QueueEntryID("\(id)-\(index)"), track: track, requester: origin.user, addedAt: now)
        }
        let known = Set((record.entries + record.history).map(\.id))
        guard !entries.contains(where: { known.contains($0.id) }) else { return }
        let fresh = record.binding == nil
        if fresh {
            switch SessionRouting.choose(for: record.session, in: routing) {
            case .failure(let refusal): return reply(id, .refused(.routing(refusal)))
            case .success(let worker):
                remember(origin)
                bind(worker)
            }
        } else {
            remember(origin)
        }
        switch placement {
        case .end: record.queue.append(contentsOf: entries)
        case .next: record.queue.insert(contentsOf: entries, at: 0)
        }
        let done: CommandResult = if let playlist {
            .queuedPlaylist(name: playlist, count: entries.count)
        } else {
            .queued(title: entries[0].track.title, lengthMs: entries[0].track.isStream ? nil : entries[0].track.lengthMs,
                    position: placement == .next ? 1 : record.queue.count)
        }
        let waiting = waiting(id, done)
        if record.nowPlaying == nil {
            advance(.finished, waiting: waiting)
        } else if fresh {
            resumePlayback(waiting: waiting)  // a session kept after a crash goes on where it was
        } else {
            answer(waiting)
        }
    }

    /// `/play` sets where the session posts; a new text channel gets a new now-playing message.
    private mutating func remember(_ origin: CommandOrigin) {
        if let locale = origin.postLocale { record.locale = locale }
        guard let channel = origin.textChannel, channel != record.textChannel else { return }
        retireBoard()
        record.textChannel = channel
    }

    /// `SkipVotes`' rule: few listeners, or the member who queued the track, skip outright;
    /// otherwise the vote is counted (once per member) and the track skipped when enough agree.
    private mutating func voteSkip(_ current: NowPlaying, _ vote: SkipVoteContext, from origin: CommandOrigin) {
        let id = origin.command
        let title = current.entry.track.title
        var present = vote.listeners
        present.insert(origin.user)  // the master let only a member of the channel vote
        if present.count <= SkipVotes.votelessListeners || current.entry.requester == origin.user {
            return command(.skip(to: vote.to), from: origin)
        }
        if let to = vote.to, to > 1 { return reply(id, .refused(.skipAheadNeedsDJ)) }
        var votes = record.skipVotes.flatMap { $0.entry == current.entry.id ? $0 : nil }
            ?? SkipVotes(entry: current.entry.id, voters: [], listeners: present.count, share: vote.share)
        votes.share = vote.share
        votes = votes.counting(present)
        let counted = !votes.voters.contains(origin.user)
        if counted { votes.voters.append(origin.user) }
        guard votes.passed else {
            record.skipVotes = votes
            return reply(id, .skipVoted(title: title, votes: votes.voters.count, needed: votes.needed, counted: counted))
        }
        record.skipVotes = nil
        advance(.skipped, waiting: waiting(id, .skippedByVote(title: title, votes: votes.voters.count, needed: votes.needed)))
    }

    private mutating func setPaused(_ paused: Bool, command id: CommandID) {
        guard let current = record.nowPlaying else { return reply(id, .refused(.nothingPlaying)) }
        let done: CommandResult = paused ? .paused : .resumed
        if current.paused == paused, !hasPendingPause() { return reply(id, done) }
        sendJob(.pause(paused), waiting: waiting(id, done))
    }

    func hasPendingPause() -> Bool {
        guard let worker = record.binding?.worker else { return false }
        return hasPending(for: worker) { if case .pause = $0 { true } else { false } }
    }
}
