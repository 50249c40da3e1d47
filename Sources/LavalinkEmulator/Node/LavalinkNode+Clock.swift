import Foundation

extension LavalinkNode {
    /// Emits everything due by the current virtual time (track ends, faults, stuck reports,
    /// periodic player updates and stats, expired resume windows) and returns the virtual time
    /// at which something next falls due.
    @discardableResult
    func tick() -> Int64? {
        let now = self.now
        var next: Int64?
        func consider(_ time: Int64?) {
            guard let time else { return }
            next = min(next ?? time, time)
        }
        for sessionId in Array(sessions.keys) {
            if let since = sessions[sessionId]?.disconnectedAt, let timeout = sessions[sessionId]?.timeoutSeconds {
                let expiry = since + timeout * 1000
                if now >= expiry {
                    destroySession(sessionId)
                    continue
                }
                consider(expiry)
            }
            // Taken out while it is worked on: a copy left in `sessions` would make every change
            // below copy the session's whole player table (on every tick, for every session).
            guard var session = sessions.removeValue(forKey: sessionId) else { continue }
            for guildId in session.sortedGuildIds {
                guard var player = session.players[guildId] else { continue }
                if let readyAt = player.voiceReadyAt {
                    if readyAt <= now {
                        // koe's gatewayReady: the player starts pulling audio from then on.
                        player.settle(at: readyAt, progressWithoutVoice: progressWithoutVoice)
                        player.voiceReadyAt = nil
                        player.voiceConnected = true
                        player.lastUpdateSent = readyAt
                        session.send(playerUpdateMessage(player, now: readyAt), queueIfDisconnected: false)
                    } else {
                        consider(readyAt)
                    }
                }
                advance(&player, in: &session, to: now)
                consider(player.nextMilestone(progressWithoutVoice: progressWithoutVoice)?.time)
                if let since = player.stuckSince, !player.stuckReported {
                    consider(since + configuration.trackStuckThresholdMs)
                }
                if session.connection != nil, player.track != nil {
                    let due = player.lastUpdateSent + configuration.playerUpdateIntervalMs
                    if now >= due {
                        player.lastUpdateSent = now
                        session.send(playerUpdateMessage(player, now: now), queueIfDisconnected: false)
                        consider(now + configuration.playerUpdateIntervalMs)
                    } else {
                        consider(due)
                    }
                }
                session.players[guildId] = player
            }
            sessions[sessionId] = session
            if session.connection != nil {
                let due = session.lastStatsSent + configuration.statsIntervalMs
                if now >= due {
                    sessions[sessionId]?.lastStatsSent = now
                    let stats = statsMessage(frameStats: true)
                    sessions[sessionId]?.send(stats, queueIfDisconnected: false)
                    consider(now + configuration.statsIntervalMs)
                } else {
                    consider(due)
                }
            }
        }
        return next
    }

    /// Plays `player` forward to `now`, emitting the events it passes on the way, in order.
    private func advance(_ player: inout Player, in session: inout Session, to now: Int64) {
        while let (time, position, milestone) = player.nextMilestone(progressWithoutVoice: progressWithoutVoice), time <= now {
            player.basePosition = position
            player.anchor = time
            guard let track = player.track else { return }
            switch milestone {
            case .end:
                if let pending = droppedTrackEnds[player.guildId], pending > 0 {
                    droppedTrackEnds[player.guildId] = pending > 1 ? pending - 1 : nil  // lost on the way
                } else {
                    session.send(trackEnd(track, player: player, reason: "finished"), queueIfDisconnected: true)
                }
                trackEnds.append(TrackEndRecord(
                    sessionId: session.id, userId: session.userId, guildId: player.guildId,
                    identifier: track.info.identifier, sentAtUnixMs: Date().timeIntervalSince1970 * 1000, virtualTime: time))
                clearTrack(&player)
            case .fault(.exception(_, let message, let severity)):
                let exception = TrackException(
                    message: message, severity: severity,
                    cause: "java.lang.RuntimeException: \(message)"
                )
                session.send(eventMessage("TrackExceptionEvent", guildId: player.guildId, [
                    ("track", track.json(position: position)), ("exception", exception.json),
                ]), queueIfDisconnected: true)
                // lavaplayer: a track that fails before producing audio ends with loadFailed;
                // one that fails later ends with finished.
                session.send(trackEnd(track, player: player, reason: position == 0 ? "loadFailed" : "finished"),
                             queueIfDisconnected: true)
                clearTrack(&player)
            case .fault(.stuck):
                player.fault = nil
                player.stuckSince = time
            case .segment(let segment):
                // The plugin seeks past the segment and says so.
                player.basePosition = segment.end
                session.send(eventMessage("SegmentSkipped", guildId: player.guildId, [("segment", segment.json)]),
                             queueIfDisconnected: true)
            case .chapter(let index):
                player.nextChapter = index + 1
                session.send(eventMessage("ChapterStarted", guildId: player.guildId, [("chapter", player.chapters[index].json)]),
                             queueIfDisconnected: true)
            }
        }
        if let since = player.stuckSince, !player.stuckReported, let track = player.track,
            now >= since + configuration.trackStuckThresholdMs
        {
            player.stuckReported = true
            session.send(eventMessage("TrackStuckEvent", guildId: player.guildId, [
                ("track", track.json(position: player.basePosition)), ("thresholdMs", .int(configuration.trackStuckThresholdMs)),
            ]), queueIfDisconnected: true)
        }
        if !player.isProgressing(progressWithoutVoice: progressWithoutVoice) {
            player.anchor = max(player.anchor, now)
        }
    }
}
