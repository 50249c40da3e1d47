import Foundation

extension SessionStep {
    /// Level-triggered repair: compares what the session should be doing with what was last
    /// observed and acts on the difference, so a lost or duplicated event delays a session but
    /// cannot leave it wrong.
    ///
    /// - jobs past their deadline fail (their commands are answered);
    /// - a bound worker that is not live gets the grace period, then the session moves to a free
    ///   worker at its extrapolated position or ends with the crash notice;
    /// - a player in the channel that is not the bound worker's is destroyed;
    /// - the bound worker's player is brought to the record: a finished track whose `trackEnd`
    ///   was lost advances, a missing or wrong track is played at its position, a paused/playing
    ///   mismatch is corrected, a player with nothing to play is stopped; a lost `connect` is sent
    ///   again.
    mutating func reconcile(_ observation: SessionObservation) {
        expire()
        if let binding = record.binding {
            if observation.routing.isLive(binding.worker) {
                if binding.awaySince != nil {
                    record.binding?.awaySince = nil
                    record.binding?.stopping = nil
                    record.binding?.playersKept = nil
                    flushHeld()
                }
            } else if let since = binding.awaySince {
                // A worker that handed its token over left its players playing for a spare, which
                // needs a moment to take the lease and resume: twice the grace before moving on.
                let grace = binding.playersKept == true ? policy.workerGrace * 2 : policy.workerGrace
                if since.addingTimeInterval(grace.timeInterval) <= now { detach(routing: observation.routing) }
            } else {
                record.binding?.awaySince = now  // the offline event was lost: the grace starts now
            }
        }
        for worker in observation.players.keys.sorted() where worker != record.binding?.worker {
            effects.append(.destroyPlayer(worker))
        }
        guard let binding = record.binding, binding.awaySince == nil else { return }
        switch binding.voice {
        case .connecting:
            if !hasPending(for: binding.worker, { if case .connect = $0 { true } else { false } }) {
                sendJob(.connect(textChannel: record.textChannel), waiting: nil)
            }
        case .connected:
            repairPlayer(observation.players[binding.worker])
        }
    }

    private mutating func repairPlayer(_ observed: ObservedPlayer?) {
        guard let worker = record.binding?.worker else { return }
        let playing = hasPending(for: worker) { if case .play = $0 { true } else { false } }
        let stopping = hasPending(for: worker) { if case .stop = $0 { true } else { false } }
        guard !playing else { return }  // its acknowledgement (or deadline) comes first
        guard let current = record.nowPlaying else {
            if !record.queue.isEmpty {
                advance(.finished)
            } else if observed?.entry != nil, !stopping {
                sendJob(.stop, waiting: nil)
            }
            return
        }
        let track = current.entry.track
        if let observed, observed.entry == nil, !current.paused {
            // The player is there and has nothing: the track ended (a lost play would have been
            // reported by its job). Confirmed by a second look, since a play may be starting.
            if let since = record.playerEmptySince,
                observed.at.timeIntervalSince(since) >= policy.emptyPlayerConfirmation.timeInterval
            {
                return advance(.finished)
            }
            if record.playerEmptySince == nil { record.playerEmptySince = observed.at }
            return
        }
        if record.playerEmptySince != nil { record.playerEmptySince = nil }
        if let observed, observed.entry == current.entry.id {
            let elapsed = observed.paused ? 0 : Int64(max(0, now.timeIntervalSince(observed.at)) * 1000)
            if !track.isStream, observed.positionMs + elapsed >= track.lengthMs {
                return advance(.finished)  // finished, and its trackEnd never came
            }
            if observed.at > current.updatedAt {
                var synced = current
                synced.positionMs = observed.positionMs
                synced.updatedAt = observed.at
                record.nowPlaying = synced
            }
            if observed.paused != current.paused, !hasPendingPause() {
                sendJob(.pause(current.paused), waiting: nil)
            }
            return
        }
        // No player, or another track: play the current entry where it should be by now.
        let position = current.position(at: now)
        if !track.isStream, position >= track.lengthMs { return advance(.finished) }
        var resumed = current
        resumed.positionMs = position
        resumed.updatedAt = now
        record.nowPlaying = resumed
        sendJob(.play(current.entry, positionMs: position, paused: current.paused, volume: record.volume), waiting: nil)
    }
}
