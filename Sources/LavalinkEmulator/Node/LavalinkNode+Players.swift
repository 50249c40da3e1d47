import Foundation

extension LavalinkNode {
    func existingSession(_ sessionId: String) throws(LavalinkHTTPError) -> Session {
        guard let session = sessions[sessionId] else { throw .sessionNotFound }
        return session
    }

    static func validGuildId(_ guildId: String) throws(LavalinkHTTPError) -> String {
        guard !guildId.isEmpty, guildId.count <= 20, UInt64(guildId) != nil else {
            throw .badRequest("guildId must be a snowflake")
        }
        return guildId
    }

    func playersJSON(sessionId: String) throws(LavalinkHTTPError) -> JSONValue {
        let session = try existingSession(sessionId)
        let now = self.now
        return .array(session.sortedGuildIds.compactMap { session.players[$0].map { playerJSON($0, now: now) } })
    }

    func playerJSON(sessionId: String, guildId: String) throws(LavalinkHTTPError) -> JSONValue {
        let session = try existingSession(sessionId)
        guard let player = session.players[try Self.validGuildId(guildId)] else { throw .playerNotFound }
        return playerJSON(player, now: now)
    }

    /// `DELETE …/players/{guildId}`: a playing track ends with `cleanup`.
    func destroyPlayer(sessionId: String, guildId: String) throws(LavalinkHTTPError) {
        _ = try existingSession(sessionId)
        let guildId = try Self.validGuildId(guildId)
        tick()
        // Taken out and put back below: changed while `sessions` kept a copy, the session's whole
        // player table would be copied.
        guard var session = sessions.removeValue(forKey: sessionId) else { throw .sessionNotFound }
        // The SponsorBlock plugin forgets a destroyed player's categories.
        session.sponsorBlockCategories[guildId] = nil
        guard var player = session.players.removeValue(forKey: guildId) else {
            sessions[sessionId] = session
            return
        }
        let now = self.now
        player.settle(at: now, progressWithoutVoice: progressWithoutVoice)
        if let track = player.track {
            session.send(trackEnd(track, player: player, reason: "cleanup"), queueIfDisconnected: true)
        }
        sessions[sessionId] = session
        wake.signal()
    }

    /// `PATCH …/players/{guildId}`, applied in Lavalink's order: voice, pause/seek (when no new
    /// track), volume, filters, then the track.
    func updatePlayer(
        sessionId: String, guildId: String, update: PlayerUpdate, noReplace: Bool, receivedAt: Date
    ) throws(LavalinkHTTPError) -> JSONValue {
        _ = try existingSession(sessionId)
        let guildId = try Self.validGuildId(guildId)
        tick()
        // Taken out and put back below (nothing in between throws): see `destroyPlayer`.
        guard var session = sessions.removeValue(forKey: sessionId) else { throw .sessionNotFound }
        let now = self.now
        var player = session.players[guildId] ?? Player(guildId: guildId, now: now)
        player.settle(at: now, progressWithoutVoice: progressWithoutVoice)
        var sendUpdate = false
        let startsTrack: Bool
        if case .play = update.track { startsTrack = true } else { startsTrack = false }

        var voiceClosed = false
        if let voice = update.voice, voice != player.voice || (!player.voiceConnected && player.voiceReadyAt == nil) {
            // A new voice server means a new voice connection: not connected until it is ready.
            player.voice = voice
            player.voiceConnected = false
            player.voiceReadyAt = nil
            if daveRequired {
                session.send(eventMessage("WebSocketClosedEvent", guildId: guildId, [
                    ("code", 4017), ("reason", "E2EE/DAVE protocol required"), ("byRemote", true),
                ]), queueIfDisconnected: true)
                voiceClosed = true
            } else {
                player.voiceReadyAt = now + configuration.voiceReadyDelayMs
            }
        }
        if !startsTrack, let paused = update.paused { player.paused = paused }
        if !startsTrack, let position = update.position, player.track != nil {
            player.basePosition = position
            player.stuckSince = nil
            player.seekedChapters()
            sendUpdate = true
        }
        if let volume = update.volume { player.volume = volume }
        if let filters = update.filters {
            player.filters = filters
            sendUpdate = true
        }
        switch update.endTime {
        case .absent: break
        case .null: if !startsTrack { player.endTime = nil }
        case .value(let end): if !startsTrack { player.endTime = end }
        }

        switch update.track {
        case nil:
            break
        case .userData(let data):
            player.track?.userData = data
        case .stop where noReplace && player.track != nil, .play where noReplace && player.track != nil:
            break
        case .stop:
            player.paused = update.paused ?? false
            if let old = player.track {
                session.send(trackEnd(old, player: player, reason: "stopped"), queueIfDisconnected: true)
            }
            clearTrack(&player)
        case .play(let track):
            player.paused = update.paused ?? false
            if let old = player.track {
                session.send(trackEnd(old, player: player, reason: "replaced"), queueIfDisconnected: true)
            }
            clearTrack(&player)
            player.track = track
            player.fault = takeInjectedFault(for: track.info.identifier) ?? takeSourceFailure(source: track.info.sourceName)
                ?? TrackFault.builtIn(for: track.info.identifier)
            player.basePosition = update.position ?? (try? LavaplayerTrackCodec.decode(track.encoded).position) ?? 0
            if case .value(let end) = update.endTime { player.endTime = end }
            session.send(eventMessage("TrackStartEvent", guildId: guildId, [("track", track.json(position: player.basePosition))]),
                         queueIfDisconnected: true)
            loadSponsorBlock(&player, session: &session)
            trackStarts.append(TrackStartRecord(
                sessionId: sessionId, userId: session.userId, guildId: guildId, identifier: track.info.identifier,
                title: track.info.title, position: player.basePosition,
                receivedAtUnixMs: receivedAt.timeIntervalSince1970 * 1000, virtualTime: now
            ))
            sendUpdate = true
        }
        player.anchor = now
        // Lavalink follows every WebSocketClosedEvent with a playerUpdate.
        if sendUpdate || voiceClosed {
            player.lastUpdateSent = now
            session.send(playerUpdateMessage(player, now: now), queueIfDisconnected: false)
        }
        session.players[guildId] = player
        sessions[sessionId] = session
        wake.signal()
        return playerJSON(player, now: now)
    }

    func clearTrack(_ player: inout Player) {
        player.track = nil
        player.fault = nil
        player.endTime = nil
        player.basePosition = 0
        player.stuckSince = nil
        player.stuckReported = false
        player.segments = []
        player.chapters = []
        player.nextChapter = 0
    }

    func trackEnd(_ track: Track, player: Player, reason: String) -> JSONValue {
        eventMessage("TrackEndEvent", guildId: player.guildId, [
            ("track", track.json(position: player.basePosition)), ("reason", .string(reason)),
        ])
    }

    func takeInjectedFault(for identifier: String) -> TrackFault? {
        guard var queue = injectedFaults[identifier], !queue.isEmpty else { return nil }
        let fault = queue.removeFirst()
        injectedFaults[identifier] = queue.isEmpty ? nil : queue
        return fault
    }
}

extension LavalinkNode {
    func sessionExists(_ sessionId: String) -> Bool { sessions[sessionId] != nil }
}
