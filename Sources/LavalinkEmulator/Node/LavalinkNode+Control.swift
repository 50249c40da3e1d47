/// A player as the control API shows it.
public struct PlayerSnapshot: Sendable, Equatable {
    public var sessionId: String
    public var userId: String
    public var guildId: String
    public var track: TrackInfo?
    public var encodedTrack: String?
    public var userData: JSONValue?
    /// Playback position in milliseconds at the time of the snapshot.
    public var position: Int64
    public var paused: Bool
    public var volume: Int
    public var endTime: Int64?
    /// The filters object as the node echoes it.
    public var filters: JSONValue
    /// The voice server update the client forwarded (empty strings until it did).
    public var voice: VoiceState
    public var voiceConnected: Bool
    /// Whether the track is frozen by a stuck fault.
    public var stuck: Bool

    var json: JSONValue {
        [
            "sessionId": .string(sessionId), "userId": .string(userId), "guildId": .string(guildId),
            "track": track?.json(position: position) ?? .null, "encodedTrack": .optional(encodedTrack),
            "userData": userData ?? .null, "position": .int(position), "paused": .bool(paused),
            "volume": .int(volume), "endTime": endTime.map { .int($0) } ?? .null, "filters": filters,
            "voice": voice.json, "voiceConnected": .bool(voiceConnected), "stuck": .bool(stuck),
        ]
    }
}

/// A client session as the control API shows it.
public struct SessionSnapshot: Sendable, Equatable {
    public var sessionId: String
    public var userId: String
    public var clientName: String
    public var connected: Bool
    public var resuming: Bool
    public var timeoutSeconds: Int64
    public var queuedEvents: Int
    public var playerCount: Int

    var json: JSONValue {
        [
            "sessionId": .string(sessionId), "userId": .string(userId), "clientName": .string(clientName),
            "connected": .bool(connected), "resuming": .bool(resuming), "timeout": .int(timeoutSeconds),
            "queuedEvents": .int(queuedEvents), "players": .int(playerCount),
        ]
    }
}

extension LavalinkNode {
    func playerSnapshots() -> [PlayerSnapshot] {
        tick()
        let now = self.now
        return sessions.keys.sorted().flatMap { sessionId -> [PlayerSnapshot] in
            guard let session = sessions[sessionId] else { return [] }
            return session.sortedGuildIds.compactMap { guildId in
                guard let player = session.players[guildId] else { return nil }
                return PlayerSnapshot(
                    sessionId: sessionId, userId: session.userId, guildId: guildId, track: player.track?.info,
                    encodedTrack: player.track?.encoded, userData: player.track?.userData,
                    position: player.position(at: now, progressWithoutVoice: progressWithoutVoice),
                    paused: player.paused, volume: player.volume, endTime: player.endTime, filters: player.filters.json,
                    voice: player.voice, voiceConnected: player.voiceConnected, stuck: player.stuckSince != nil
                )
            }
        }
    }

    func sessionSnapshots() -> [SessionSnapshot] {
        sessions.keys.sorted().compactMap { id in
            sessions[id].map {
                SessionSnapshot(
                    sessionId: id, userId: $0.userId, clientName: $0.clientName, connected: $0.connection != nil,
                    resuming: $0.resuming, timeoutSeconds: $0.timeoutSeconds, queuedEvents: $0.queued.count,
                    playerCount: $0.players.count
                )
            }
        }
    }

    func injectFault(_ fault: TrackFault, identifier: String) {
        injectedFaults[identifier, default: []].append(fault)
    }

    func dropTrackEnds(guildId: String, count: Int) {
        droppedTrackEnds[guildId, default: 0] += max(0, count)
    }

    func setDaveRequired(_ required: Bool) { daveRequired = required }

    func setLoad(_ load: NodeLoad) { self.load = load }

    func recordedTrackStarts() -> [TrackStartRecord] { trackStarts }

    func recordedTrackEnds() -> [TrackEndRecord] { trackEnds }

    /// Discord closed a player's voice connection: `WebSocketClosedEvent` and playback halts.
    func closeVoice(guildId: String, sessionId: String?, code: Int, reason: String, byRemote: Bool) -> Bool {
        var closed = false
        let now = self.now
        for id in sessions.keys.sorted() where sessionId == nil || sessionId == id {
            guard var session = sessions[id], var player = session.players[guildId] else { continue }
            player.settle(at: now, progressWithoutVoice: progressWithoutVoice)
            player.voiceConnected = false
            player.voiceReadyAt = nil
            session.send(eventMessage("WebSocketClosedEvent", guildId: guildId, [
                ("code", .int(code)), ("reason", .string(reason)), ("byRemote", .bool(byRemote)),
            ]), queueIfDisconnected: true)
            // Lavalink follows every WebSocketClosedEvent with a playerUpdate (connected: false).
            player.lastUpdateSent = now
            session.send(playerUpdateMessage(player, now: now), queueIfDisconnected: false)
            session.players[guildId] = player
            sessions[id] = session
            closed = true
        }
        wake.signal()
        return closed
    }
}
