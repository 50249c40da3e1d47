import Logging

/// Where players and loads go: voice region, load, and the per-source breakers.
extension LavalinkNodePool {
    /// A track that has played this long (milliseconds) with its voice connected proves its source.
    static let playedEnough: Int64 = 3_000

    /// The node for a player: a connected node in the voice server's region (else its area, else
    /// any) with the lowest penalty, among those whose breaker for `source` is closed — or due a
    /// probe, or, when all are open, the least recently opened.
    public func placement(voice: VoiceState?, source: String?, excluding excluded: Set<String> = []) -> LavalinkNode? {
        let candidates = nodes.filter { available.contains($0.name) && !excluded.contains($0.name) }
            .map { NodeCandidate(name: $0.name, region: $0.configuration.region, penalty: penalty(of: $0.name)) }
        var ranked = NodePlacement.rank(candidates, voiceRegion: voice.flatMap { NodeRegion.of(voiceEndpoint: $0.endpoint) })
        if let source { ranked = breakers.order(ranked, source: source, probesFirst: false) }
        return ranked.first.flatMap { node(named: $0) }
    }

    /// Every source breaker there is, for metrics and readiness reports.
    public nonisolated func breakerReports() -> [SourceBreakers.Report] { breakers.reports() }

    func recordSourceFailure(node: String, source: String) { breakers.recordFailure(node: node, source: source) }

    func recordSourceSuccess(node: String, source: String) { breakers.recordSuccess(node: node, source: source) }

    /// A new track for a player whose node has the track's source breaker open goes to a node
    /// where that source works: the player is rebuilt there with the update applied (the old
    /// one destroyed). Nil when it stays where it is.
    func relocateAwayFromOpenBreaker(_ snapshot: PlayerSnapshot, _ update: PlayerUpdate) async throws -> Player? {
        let now = monotonicNow()
        guard let source = Self.source(of: update), let from = snapshot.node,
            !breakers.admission(node: from, source: source).isAdmitted,
            let target = placement(voice: snapshot.voice, source: source, excluding: [from]),
            breakers.admission(node: target.name, source: source).isAdmitted
        else { return nil }
        let guildId = snapshot.guildId
        moving.insert(guildId)
        defer { finishMove(guildId) }
        var restoring = snapshot.restoringUpdate(now: now)
        restoring.track = update.track
        restoring.position = update.position
        restoring.endTime = update.endTime.flatMap { if case .milliseconds = $0 { $0 } else { nil } }
        if let volume = update.volume { restoring.volume = volume }
        if let paused = update.paused { restoring.paused = paused }
        if let filters = update.filters { restoring.filters = filters }
        if let voice = update.voice { restoring.voice = voice }
        var moved = snapshot
        moved.node = target.name
        players[guildId] = moved
        let player: Player
        do {
            let sessionId = try await target.requireSession()
            player = try await target.rest.updatePlayer(sessionId: sessionId, guildId: guildId, restoring)
        } catch {
            if players[guildId]?.node == target.name { players[guildId] = snapshot }
            throw error
        }
        if var current = players[guildId], current.node == target.name {
            current.apply(restoring)
            if case .milliseconds(let end)? = restoring.endTime { current.endTime = end } else { current.endTime = nil }
            current.apply(player, receivedAt: monotonicNow())
            players[guildId] = current
        }
        if let old = node(named: from) { await destroyTolerantly(guildId, on: old) }
        logger.info("player moved off a node whose source breaker is open", metadata: [
            "guild.id": "\(guildId)", "lavalink.node": "\(target.name)", "from": "\(from)", "lavalink.source": "\(source)",
        ])
        broadcast.yield(.playerMoved(guildId: guildId, from: from, to: target.name))
        return player
    }

    /// Logs each breaker opening (warning) and closing (info), then passes it on.
    static func logging(
        _ forward: @escaping SourceBreakerBoard.TransitionHandler, to logger: Logger
    ) -> SourceBreakerBoard.TransitionHandler {
        { node, source, transition in
            forward(node, source, transition)
            switch transition {
            case .opened(let backoff):
                logger.warning("source breaker opened: loads and new players avoid this source on this node", metadata: [
                    "lavalink.node": "\(node)", "lavalink.source": "\(source)", "backoff": "\(backoff)",
                ])
            case .closed:
                logger.info("source breaker closed: the source works again", metadata: [
                    "lavalink.node": "\(node)", "lavalink.source": "\(source)",
                ])
            case .none:
                break
            }
        }
    }

    /// The source of the track an update starts, nil when it starts none.
    static func source(of update: PlayerUpdate) -> String? {
        switch update.track {
        case .encoded(let encoded, _)?: TrackSource.of(encodedTrack: encoded)
        case .identifier(let identifier, _)?: TrackSource.of(identifier: identifier)
        case .stop?, .userData?, nil: nil
        }
    }

    static func source(of track: Track) -> String {
        if !track.info.sourceName.isEmpty { return track.info.sourceName.lowercased() }
        return TrackSource.of(encodedTrack: track.encoded) ?? "unknown"
    }
}
