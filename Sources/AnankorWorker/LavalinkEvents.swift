import AnankorCore
import LavalinkKit

/// Lavalink events → `WorkerEvent`s, with the session key and queue entry the worker keeps per
/// guild; and, after taking a token over, adoption of the players of the resumed session.
///
/// Player events are read from each node (not from the pool), accepted when the pool places the
/// guild's player on that node — the pool's own rule. The pool drops events of players it does
/// not know, and after a takeover it does not know the resumed session's players until they are
/// adopted; the events the node queued while nobody was connected (a track that ended in the gap)
/// arrive right after `ready`. So a resumed node's player events are held (`AdoptionHold`) until
/// its players are adopted and then delivered in order, also for a player that adoption rebuilt
/// on another node (its old copy's events are still the session's).
extension WorkerBot {
    func handle(_ event: PoolEvent) async {
        switch event {
        case .node(let name, let nodeEvent):
            await nodeStatus(nodeEvent, of: name)
        case .nodeRefused(let name, let message):
            context.board.node(name, connected: false)
            logger.error("Lavalink node refused", metadata: ["lavalink.node": "\(name)", "error": "\(message)"])
            await giveUpAdoption(on: name)
        case .player:
            // Taken from the nodes (`handle(_:fromNode:)`).
            break
        case .playerUpdate(let guildId, let state):
            guard let guild = GuildID(guildId), let session = await voice.session(in: guild) else { return }
            await events.publish(.playerUpdate(PlayerUpdateEvent(
                session: session, positionMs: state.position, connected: state.connected, pingMs: Int(state.ping),
                timeMs: state.time)))
        case .playerMoved(let guildId, let from, let to):
            logger.info("player moved to another Lavalink node", metadata: [
                "guild.id": "\(guildId)", "from": "\(from ?? "none")", "lavalink.node": "\(to)",
            ])
            if let guild = GuildID(guildId) { await applySponsorBlock(in: guild) }
        case .playerWaiting(let guildId):
            logger.warning("player waits for a Lavalink node", metadata: ["guild.id": "\(guildId)"])
        }
    }

    /// A node's connection as the pool reports it: readiness, the session id to save, adoption.
    private func nodeStatus(_ event: NodeEvent, of node: String) async {
        switch event {
        case .ready(let sessionId, let resumed):
            noteLavalinkSession(node: node, sessionId: sessionId)
            // Saved at once: a master stops a dead worker's players with it.
            await saveResumeRecords(now: context.now())
            context.board.node(node, connected: true)
            lavalinkReady.open()
            if firstReady(of: node) {
                if resumed { await adoptPlayers(on: node, sessionId: sessionId) }
                await releaseHeldEvents(of: node, adopted: true)
                adoptionDone[node]?.open()
            }
        case .disconnected:
            context.board.node(node, connected: false)
        case .lost:
            context.board.node(node, connected: false)
            await giveUpAdoption(on: node)
        case .playerUpdate, .stats, .player:
            break
        }
    }

    /// A node's own event stream: player events of the players the pool places on that node,
    /// held while a resumed session's players are adopted. Never waits for the adoption.
    func handle(_ event: NodeEvent, fromNode node: String) async {
        switch event {
        case .ready(_, let resumed):
            // The events queued for a resumed session come next: hold them until it is adopted.
            if resumed { adoptionHolds[node]?.resumedReady() }
        case .player(let playerEvent):
            if let hold = adoptionHolds[node] {
                let (deliverNow, dropped) = hold.admit(playerEvent)
                if let dropped, dropped == 1 || dropped % 100 == 0 {
                    logger.warning("too many Lavalink events during adoption: dropping the oldest",
                                   metadata: ["lavalink.node": "\(node)", "dropped": "\(dropped)"])
                }
                guard deliverNow else { return }
            }
            guard await pool.snapshot(guildId: playerEvent.guildId)?.node == node else { return dropped(playerEvent) }
            await handle(playerEvent)
        case .playerUpdate, .stats, .disconnected, .lost:
            break
        }
    }

    /// Delivers what a node held during adoption, oldest first, until nothing is held; the
    /// node's reader delivers from then on. An event of a player adoption rebuilt elsewhere is
    /// still delivered when it is the session's (`AdoptionHold.reportsHeldEventOfRebuiltPlayer`).
    func releaseHeldEvents(of node: String, adopted: Bool) async {
        guard let hold = adoptionHolds[node] else { return }
        while let batch = hold.drain(adopted: adopted) {
            for event in batch {
                let placedHere = await pool.snapshot(guildId: event.guildId)?.node == node
                guard placedHere
                    || (hold.wasRebuiltElsewhere(event.guildId) && AdoptionHold.reportsHeldEventOfRebuiltPlayer(event))
                else {
                    dropped(event)
                    continue
                }
                await handle(event)
            }
        }
    }

    /// A node unreachable before its first `ready` in this hold: jobs stop waiting for its
    /// players (a job in a guild it played in fails "not in voice" rather than waiting). Should
    /// it come back with the session resumed, its players are still adopted then.
    private func giveUpAdoption(on node: String) async {
        guard !hasBeenReady(node), resumingNodes.contains(node), adoptionDone[node]?.isOpen == false else { return }
        logger.warning("a resumed Lavalink node is unreachable; jobs stop waiting for its players",
                       metadata: ["lavalink.node": "\(node)"])
        await releaseHeldEvents(of: node, adopted: false)
        adoptionDone[node]?.open()
    }

    private func handle(_ event: PlayerEvent) async {
        guard let guild = GuildID(event.guildId) else { return }
        switch event.kind {
        case .trackStart(let track):
            guard let (session, entry) = await voice.trackStarted(
                guild: guild, encoded: track.encoded, userDataEntry: Self.entry(in: track))
            else { return dropped(event) }
            await events.publish(.trackStart(TrackStartEvent(session: session, entry: entry)))
        case .trackEnd(let track, let reason):
            guard let (session, entry) = await voice.trackEnded(
                guild: guild, encoded: track.encoded, userDataEntry: Self.entry(in: track))
            else { return dropped(event) }
            await events.publish(.trackEnd(TrackEndEvent(
                session: session, entry: entry, reason: AnankorCore.TrackEndReason(rawValue: reason.rawValue))))
        case .trackException(let track, let exception):
            guard let (session, entry) = await voice.trackEntry(
                guild: guild, encoded: track.encoded, userDataEntry: Self.entry(in: track))
            else { return dropped(event) }
            await events.publish(.trackException(TrackExceptionEvent(
                session: session, entry: entry, message: exception.message, severity: exception.severity.rawValue,
                cause: exception.cause)))
        case .trackStuck(let track, let thresholdMs):
            guard let (session, entry) = await voice.trackEntry(
                guild: guild, encoded: track.encoded, userDataEntry: Self.entry(in: track))
            else { return dropped(event) }
            await events.publish(.trackStuck(TrackStuckEvent(session: session, entry: entry, thresholdMs: thresholdMs)))
        case .webSocketClosed(let code, let reason, let byRemote):
            guard let session = await voice.session(in: guild) else { return dropped(event) }
            if code == Self.voiceDisconnectedByDiscord {
                // Discord's voice side of a kick or a move: the gateway's VOICE_STATE_UPDATE
                // reports those (with `movedTo` for a move, and the player follows the bot).
                logger.debug("voice close 4014 left to the gateway's voice state", metadata: ["session.key": "\(session)"])
                return
            }
            await voice.voiceConnectionClosed(guild: guild)
            logger.info("Lavalink's voice connection closed", metadata: [
                "session.key": "\(session)", "code": "\(code)", "by_remote": "\(byRemote)",
            ])
            await events.publish(.voiceDisconnected(VoiceDisconnectedEvent(
                session: session, code: code, reason: reason, byRemote: byRemote)))
        case .plugin(.segmentSkipped(let segment)):
            guard let session = await voice.session(in: guild) else { return dropped(event) }
            let entry = await pool.snapshot(guildId: event.guildId)?.track.flatMap(Self.entry(in:))
            await events.publish(.segmentSkipped(SegmentSkippedEvent(
                session: session, entry: entry, category: segment.category.rawValue, startMs: segment.start, endMs: segment.end)))
        case .plugin:
            // Segments and chapters loaded, a chapter started: nothing the master acts on.
            break
        case .unknown(let type):
            logger.debug("ignoring an unknown Lavalink event", metadata: ["type": "\(type)"])
        }
    }

    /// Discord's voice close code for "disconnected" (kicked, moved, channel deleted).
    static let voiceDisconnectedByDiscord = 4014

    private func dropped(_ event: PlayerEvent) {
        // A player the worker no longer has a session for (left, kicked): nobody to tell.
        logger.debug("Lavalink event without a session", metadata: ["guild.id": "\(event.guildId)"])
    }

    /// The `userData` the worker attaches to every track it plays.
    static func userData(for entry: QueueEntryID) -> LavalinkKit.JSONValue {
        .object([VoiceSessions.userDataEntryKey: .string(entry.rawValue)])
    }

    static func entry(in track: LavalinkKit.Track) -> QueueEntryID? {
        guard case .object(let data) = track.userData, case .string(let id)? = data[VoiceSessions.userDataEntryKey],
            !id.isEmpty
        else { return nil }
        return QueueEntryID(id)
    }

    /// After resuming the previous holder's Lavalink session: its players become this worker's
    /// sessions again (entry ids from `userData`), owned by the pool, and the masters learn that
    /// this worker plays them through a `playerUpdate` each.
    private func adoptPlayers(on nodeName: String, sessionId: String) async {
        guard let node = await pool.node(named: nodeName) else { return }
        let players: [Player]
        do {
            players = try await node.rest.players(sessionId: sessionId)
        } catch {
            logger.warning("could not list the resumed session's players", metadata: ["error": "\(error)"])
            return
        }
        for player in players {
            // The pool's own rule for a new player (voice region, then load) decides where it stays.
            let placesHere = await pool.placement(voice: player.voice, source: nil)?.name == nodeName
            await adopt(player, node: node, sessionId: sessionId, placesHere: placesHere)
        }
    }

    private func adopt(_ player: Player, node: LavalinkNode, sessionId: String, placesHere: Bool) async {
        guard let guild = GuildID(player.guildId), let state = player.voice, !state.token.isEmpty,
            let channel = state.channelId.flatMap({ ChannelID($0) }), await membership.mayBeMember(guild)
        else {
            // Nothing this worker can carry on with (no voice, a guild it left).
            try? await node.rest.destroyPlayer(sessionId: sessionId, guildId: player.guildId)
            return
        }
        let session = SessionKey(guild: guild, channel: channel)
        let playing = player.track.flatMap { track in Self.entry(in: track).map { (track.encoded, $0) } }
        // Read before adopting: what the resumed gateway said about the bot in the meantime.
        let seen = await voice.unclaimedVoiceState(in: guild)
        guard await voice.adopt(session, voice: state, playing: playing) else { return }
        do {
            if placesHere {
                // Registers the player with the pool on the node it lives on (same voice: no reconnect).
                try await pool.update(guildId: player.guildId, PlayerUpdate(voice: state), noReplace: true)
            } else {
                // Before the destroy, so the events the old copy queued still count (not its
                // `cleanup` end).
                adoptionHolds[node.name]?.rebuiltElsewhere(player.guildId)
                try? await node.rest.destroyPlayer(sessionId: sessionId, guildId: player.guildId)
                try await pool.update(guildId: player.guildId, PlayerUpdate(
                    track: player.track.map { .encoded($0.encoded, userData: $0.userData) },
                    position: player.track == nil ? nil : player.state.position, volume: player.volume,
                    paused: player.paused, filters: player.filters, voice: state))
            }
        } catch {
            logger.warning("could not adopt a resumed player", metadata: ["session.key": "\(session)", "error": "\(error)"])
            await voice.forget(guild)
            return
        }
        logger.info("adopted a player of the resumed Lavalink session", metadata: ["session.key": "\(session)"])
        if let seen {
            // Kicked or moved while the token changed hands: handled as if it happened now.
            await perform(await voice.botVoiceState(guild: guild, channel: seen.channel, sessionID: seen.sessionID), in: guild)
        }
        guard let current = await voice.session(in: guild) else { return }
        await events.publish(.playerUpdate(PlayerUpdateEvent(
            session: current, positionMs: player.state.position, connected: player.state.connected,
            pingMs: Int(player.state.ping), timeMs: player.state.time)))
    }
}
