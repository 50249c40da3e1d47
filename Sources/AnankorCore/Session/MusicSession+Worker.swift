import Foundation

extension SessionStep {
    /// Worker reports. Acknowledgements match pending jobs by id (whoever sends them); playback
    /// events count only from the bound worker and for the current entry, so a late, duplicated or
    /// foreign event changes nothing.
    mutating func report(_ report: WorkerReport, from worker: WorkerID) {
        switch report {
        case .jobAcked(let job):
            acknowledged(job)
        case .jobFailed(let job, let reason):
            failed(job, .workerFailed(reason: reason))
        case .dead(let routing):
            guard record.binding?.worker == worker else { return }
            detach(routing: routing)
        default:
            break
        }
        guard record.binding?.worker == worker else { return }
        switch report {
        case .jobAcked, .jobFailed, .dead:
            break  // handled above
        case .voiceConnected:
            connected()
        case .connectFailed(let reason):
            connectFailed(.workerFailed(reason: reason))
        case .removed(let movedTo):
            // The session ends there, its queue kept; a bot moved elsewhere is taken out of that
            // channel too (its player would go on playing to the wrong people).
            failPending(of: worker, .workerGone)
            if movedTo != nil { effects.append(.destroyPlayer(worker)) }
            record.binding = nil
            if var current = record.nowPlaying {
                current.positionMs = current.position(at: now)
                current.updatedAt = now
                record.nowPlaying = current
            }
            retireBoard()
            notice(movedTo == nil ? .botRemoved : .botMoved)
        case .offline:
            if record.binding?.awaySince == nil { record.binding?.awaySince = now }
            record.binding?.stopping = true
            record.binding?.playersKept = nil
        case .handingOver:
            if record.binding?.awaySince == nil { record.binding?.awaySince = now }
            record.binding?.stopping = true
            record.binding?.playersKept = true
        case .online:
            let rejoin = record.binding?.stopping == true && record.binding?.playersKept != true
                && record.binding?.voice == .connected
            record.binding?.awaySince = nil
            record.binding?.stopping = nil
            record.binding?.playersKept = nil
            if rejoin {
                // The stopped process left the channel; the spare now holding its token joins
                // again, then plays on where the session was and sends what was held.
                record.binding?.voice = .connecting
                sendJob(.connect(textChannel: record.textChannel), waiting: nil)
            } else {
                flushHeld()
            }
        case .trackStarted(let entry):
            guard record.nowPlaying?.entry.id == entry else { return }
            if record.binding?.playFailures != 0 { record.binding?.playFailures = 0 }
            if record.playerEmptySince != nil { record.playerEmptySince = nil }
            effects.append(.refreshBoard)
            if let track = record.nowPlaying?.entry.track { effects.append(.voiceStatus(Self.voiceStatus(of: track), worker: worker)) }
        case .trackEnded(let entry, let reason):
            // replaced/stopped: whoever replaced or stopped it has moved the session on already.
            guard record.nowPlaying?.entry.id == entry, reason.mayStartNext else { return }
            advance(.finished)
        case .trackStuck(let entry):
            guard record.nowPlaying?.entry.id == entry else { return }
            advance(.skipped)
        case .trackException(let entry, let message):
            guard let current = record.nowPlaying, current.entry.id == entry else { return }
            // Lavalink follows with trackEnd(loadFailed), which moves on.
            notice(.trackFailed(title: current.entry.track.title, reason: message))
        case .position(let entry, let positionMs, let paused, let at):
            guard var current = record.nowPlaying, current.entry.id == entry, at >= current.updatedAt else { return }
            // A report that agrees with the position the record extrapolates (within
            // `positionTolerance`) changes nothing anyone would notice after a restart or a
            // takeover: no save. Reports come every few seconds from every playing session.
            let pausedAsBefore = paused == nil || paused == current.paused || hasPendingPause()
            if pausedAsBefore, abs(current.position(at: at) - positionMs) < SessionStep.positionTolerance { return }
            current.positionMs = positionMs
            current.updatedAt = at
            if let paused, !hasPendingPause() { current.paused = paused }
            record.nowPlaying = current
        case .segmentSkipped(let entry, let part):
            guard let current = record.nowPlaying, entry == nil || entry == current.entry.id else { return }
            record.skippedSegment = SkippedSegment(entry: current.entry.id, part: part)
        }
    }

    /// How far a position report may be from the record's extrapolation and still be left out.
    static let positionTolerance: Int64 = 1_000

    /// The bound worker is in voice: what was held for it goes out.
    private mutating func connected() {
        guard let binding = record.binding, binding.voice == .connecting else { return }
        record.binding?.voice = .connected
        let connect = record.pending.filter { if case .connect = $0.job { $0.worker == binding.worker } else { false } }
        record.pending.removeAll { job in connect.contains { $0.id == job.id } }
        for job in connect { answer(job.waiting) }
        flushHeld()
        if record.nowPlaying != nil, !hasPending(for: binding.worker, { if case .play = $0 { true } else { false } }) {
            resumePlayback()
        }
    }

    private mutating func acknowledged(_ id: SessionJobID) {
        guard let index = record.pending.firstIndex(where: { $0.id == id }) else { return }
        let job = record.pending[index]
        if case .connect = job.job, record.binding?.worker == job.worker {
            connected()  // the acknowledgement may arrive before (or instead of) voiceConnected
            return
        }
        record.pending.remove(at: index)
        // Player settings take effect in the record when the worker confirms them.
        switch job.job {
        case .pause(let paused):
            if var current = record.nowPlaying {
                current.positionMs = current.position(at: now)
                current.updatedAt = now
                current.paused = paused
                record.nowPlaying = current
            }
            if !paused { record.aloneSince = nil }
        case .seek(let target):
            if var current = record.nowPlaying {
                current.positionMs = target
                current.updatedAt = now
                record.nowPlaying = current
            }
        case .volume(let level):
            record.volume = level
        case .filter(let preset):
            record.filter = preset
        case .play:
            if record.binding?.worker == job.worker, record.binding?.playFailures != 0 { record.binding?.playFailures = 0 }
        case .leave where record.binding?.worker == job.worker:
            // The session took this bot again before it had left (a /play right after /leave):
            // its join may have been answered from the voice state before the leave. Join again;
            // what plays is sent once the bot is back in the channel.
            record.binding?.voice = .connecting
            if !hasPending(for: job.worker, { if case .connect = $0 { true } else { false } }) {
                sendJob(.connect(textChannel: record.textChannel), waiting: nil)
            }
        case .connect, .stop, .leave:
            break
        }
        answer(job.waiting)
    }

    private mutating func failed(_ id: SessionJobID, _ failure: CommandFailure) {
        guard let index = record.pending.firstIndex(where: { $0.id == id }) else { return }
        let job = record.pending[index]
        if case .connect = job.job, record.binding?.worker == job.worker {
            return connectFailed(failure)
        }
        record.pending.remove(at: index)
        if let waiting = job.waiting { reply(waiting.command, .notCarriedOut(failure)) }
        switch job.job {
        case .leave:
            // A leave that did not happen must not leave a bot behind.
            effects.append(.destroyPlayer(job.worker))
        case .play where record.binding?.worker == job.worker:
            // A timeout is retried by reconciliation at its own pace; a worker answering "failed"
            // at once would make rejoin-and-retry a hot loop, hence the limit.
            guard case .workerFailed = failure else { break }
            record.binding?.playFailures += 1
            if let binding = record.binding, binding.playFailures >= policy.playFailureLimit {
                detach(routing: nil)  // this worker cannot play: give it up rather than loop
            } else if record.binding?.voice == .connected {
                // Most often the bot is not in voice (a restarted worker lost it): join again;
                // the entry is played once the worker is in the channel.
                record.binding?.voice = .connecting
                sendJob(.connect(textChannel: record.textChannel), waiting: nil)
            }
        default:
            break
        }
    }

    /// Pending jobs past their deadline count as failed.
    mutating func expire() {
        for job in record.pending where job.deadline <= now {
            failed(job.id, .timedOut)
        }
    }

    mutating func tick(_ timer: SessionTimer) {
        switch timer {
        case .ackDeadline:
            expire()
        case .idle:
            guard let since = record.idleSince, !record.stay,
                since.addingTimeInterval(policy.idleTimeout.timeInterval) <= now
            else { return }
            if record.binding != nil {
                let minutes = max(1, Int(policy.idleTimeout.timeInterval / 60))
                end(.idle, notice: .idleLeft(minutes: minutes), waiting: nil)
            } else if !record.entries.isEmpty || !record.history.isEmpty {
                end(.idle, notice: nil, waiting: nil)
            }
        case .alone:
            guard record.binding != nil, let since = record.aloneSince,
                since.addingTimeInterval(policy.aloneTimeout.timeInterval) <= now
            else { return }
            end(.alone, notice: .leftAlone, waiting: nil)
        }
    }

    /// Nobody listening pauses playback; someone coming back resumes what was paused that way.
    private mutating func listeners(_ count: Int) {
        guard record.binding != nil else { return }
        if count == 0, record.aloneSince == nil {
            record.aloneSince = now
            if let current = record.nowPlaying, !current.paused { sendJob(.pause(true), waiting: nil) }
            notice(.pausedEmptyChannel)
        } else if count > 0, record.aloneSince != nil {
            record.aloneSince = nil
            if let current = record.nowPlaying, current.paused { sendJob(.pause(false), waiting: nil) }
        }
    }

    /// The humans in the channel now: counted as listeners, and skip votes recounted without
    /// those who left (which can make the remaining votes enough).
    mutating func presence(_ users: Set<UserID>) {
        listeners(users.count)
        guard let votes = record.skipVotes, votes.entry == record.nowPlaying?.entry.id, record.binding != nil else { return }
        let recounted = votes.counting(users)
        if recounted.voters.isEmpty {
            record.skipVotes = nil
        } else if recounted.passed {
            record.skipVotes = nil
            advance(.skipped)
        } else {
            record.skipVotes = recounted
        }
    }

    /// What the voice channel's status shows while `track` plays (Discord cuts it at 500
    /// characters; so does the worker).
    static func voiceStatus(of track: Track) -> String {
        track.author.isEmpty ? "🎵 \(track.title)" : "🎵 \(track.title) — \(track.author)"
    }

    /// Autoplay's search came back: queue the track if the session is still waiting for one.
    mutating func autoplayFound(_ track: Track?) {
        guard record.autoplayAsked else { return }
        record.autoplayAsked = false
        guard let track, record.binding != nil, record.nowPlaying == nil, record.queue.isEmpty,
            let last = record.history.last
        else { return }
        // Never again what just played, whatever the search returned.
        guard AutoplayQuery.pick(from: [track], last: last.track, recent: recentlyPlayed) != nil else { return }
        record.counter += 1
        let entry = QueueEntry(id: QueueEntryID("\(record.session)~\(record.counter)"), track: track,
                               requester: last.requester, addedAt: now)
        record.queue.append(entry)
        advance(.finished)
    }
}
