import Foundation
import Logging
import ServiceLifecycle

/// What the pool reports: node lifecycle, player events and moves.
public enum PoolEvent: Sendable, Hashable {
    case node(String, NodeEvent)
    /// The node refused to serve (too old, wrong password); it takes no players.
    case nodeRefused(String, message: String)
    /// A player event from the node that currently owns the guild's player.
    case player(PlayerEvent)
    case playerUpdate(guildId: String, state: PlayerState)
    /// The player now lives on `to` (`from` is nil for a player that waited for a node).
    case playerMoved(guildId: String, from: String?, to: String)
    /// No node can take the player now; it moves as soon as one connects.
    case playerWaiting(guildId: String)
}

/// Several nodes behind one player API. A new player goes to a node in its voice server's region
/// (else the same area, else any), the least loaded first, avoiding nodes whose breaker for the
/// track's source is open (see `SourceBreakers`); loads fail over the same way. When a node is
/// lost its players are rebuilt elsewhere from their last known state. Each player lives on one
/// node at a time, and calls for a player that is moving wait until the move is done.
public actor LavalinkNodePool: Service {
    public nonisolated let nodes: [LavalinkNode]
    private let maxConcurrentMoves: Int
    /// How long a call for a player waits for its node to reconnect before failing.
    private let reconnectWait: Duration
    private let clock: any Clock<Duration>
    /// Monotonic time on this side, to extrapolate a moving player's position by the time since
    /// its last report arrived (the node's own `time` may be skewed against ours).
    let monotonicNow: @Sendable () -> Duration
    let logger: Logger
    let broadcast = EventBroadcast<PoolEvent>()

    var players: [String: PlayerSnapshot] = [:]
    var available: Set<String> = []
    private var stats: [String: NodeStats] = [:]
    var moving: Set<String> = []
    private var moveWaiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]
    /// Players moved away from a node whose destroy failed; destroyed if that node comes back
    /// with its old session, so a guild never plays on two nodes.
    private var orphans: [String: Set<String>] = [:]
    /// Per node and source: consecutive load failures and track exceptions open a breaker.
    let breakers: SourceBreakerBoard
    /// When each disconnected node went silent (its websocket closed), on `monotonicNow`.
    private var silentSince: [String: Duration] = [:]

    public init(
        nodes: [LavalinkNode], maxConcurrentMoves: Int = 4, reconnectWait: Duration = .seconds(10),
        clock: any Clock<Duration> = ContinuousClock(),
        monotonicNow: @escaping @Sendable () -> Duration = LavalinkNodePool.processUptime,
        breakerPolicy: SourceBreakerPolicy = SourceBreakerPolicy(),
        onBreakerTransition: @escaping SourceBreakerBoard.TransitionHandler = { _, _, _ in },
        logger: Logger
    ) {
        self.breakers = SourceBreakerBoard(policy: breakerPolicy, now: monotonicNow,
                                           onTransition: Self.logging(onBreakerTransition, to: logger))
        self.nodes = nodes
        self.maxConcurrentMoves = max(1, maxConcurrentMoves)
        self.reconnectWait = reconnectWait
        self.clock = clock
        self.monotonicNow = monotonicNow
        self.logger = logger
    }

    public nonisolated func events() -> AsyncStream<PoolEvent> { broadcast.subscribe() }

    public func run() async throws {
        defer { broadcast.finish() }
        await withDiscardingTaskGroup { group in
            for node in nodes {
                // Subscribe before the node starts so its first `ready` is not missed.
                let events = node.events()
                group.addTask {
                    for await event in events { await self.handle(event, from: node) }
                }
                group.addTask {
                    do {
                        try await node.run()
                    } catch {
                        await self.refused(node, error)
                    }
                }
            }
        }
    }

    // MARK: Queries

    /// The node with the lowest penalty among connected nodes, optionally excluding some.
    public func bestNode(excluding excluded: Set<String> = []) -> LavalinkNode? {
        nodes
            .filter { available.contains($0.name) && !excluded.contains($0.name) }
            .min { penalty(of: $0.name) < penalty(of: $1.name) }
    }

    public func penalty(of nodeName: String) -> NodePenalty {
        let local = players.values.count { $0.node == nodeName }
        return NodePenalty(stats: stats[nodeName], localPlayers: local)
    }

    public func snapshot(guildId: String) -> PlayerSnapshot? { players[guildId] }

    public func node(named name: String) -> LavalinkNode? { nodes.first { $0.name == name } }

    /// Loads tracks on the connected nodes, the least loaded first, in the order of the breakers
    /// of the identifier's source (`SourceBreakerBoard.load`): an error there is tried on the
    /// next node, so callers see an error only when every node failed.
    public func loadTracks(_ identifier: String) async throws -> LoadResult {
        let connected = nodes.filter { available.contains($0.name) }
            .sorted { penalty(of: $0.name) < penalty(of: $1.name) }.map(\.name)
        guard !connected.isEmpty else { throw noNode() }
        let nodes = self.nodes
        return try await breakers.load(identifier, on: connected) { name in
            guard let node = nodes.first(where: { $0.name == name }) else { throw LavalinkError(.noNodeAvailable, "unknown node") }
            return try await node.rest.loadTracks(identifier)
        }
    }

    // MARK: Player control

    /// Creates or updates the guild's player. A new player goes where `placement` says (voice
    /// region, source breakers, load); a new track whose source's breaker is open on the player's
    /// node moves the player first. For a player that waits for a node, the update is kept and
    /// applied when it moves (returns nil).
    @discardableResult
    public func update(guildId: String, _ update: PlayerUpdate, noReplace: Bool = false) async throws -> Player? {
        await waitForMove(guildId)
        try await waitForReconnect(of: guildId)
        var snapshot: PlayerSnapshot
        let isNew = players[guildId] == nil
        if let existing = players[guildId] {
            snapshot = existing
        } else {
            guard let node = placement(voice: update.voice, source: Self.source(of: update)) else { throw noNode() }
            snapshot = PlayerSnapshot(guildId: guildId, node: node.name)
            // Registered before the request so concurrent placements see this node's new load.
            players[guildId] = snapshot
        }
        guard let nodeName = snapshot.node, let node = node(named: nodeName) else {
            snapshot.apply(update)
            players[guildId] = snapshot
            return nil
        }
        if !isNew, let relocated = try await relocateAwayFromOpenBreaker(snapshot, update) { return relocated }
        let player: Player
        do {
            let sessionId = try await node.requireSession()
            player = try await node.rest.updatePlayer(sessionId: sessionId, guildId: guildId, update, noReplace: noReplace)
        } catch {
            if isNew, players[guildId]?.node == nodeName { players[guildId] = nil }
            throw error
        }
        // The player may have moved or been destroyed while the request was in flight.
        guard var current = players[guildId], current.node == nodeName else { return player }
        if let voice = update.voice { current.voice = voice }
        current.endTime = Self.endTime(after: update, previous: current.endTime, startsTrack: player.track?.encoded != current.track?.encoded)
        current.apply(player, receivedAt: monotonicNow())
        players[guildId] = current
        return player
    }

    /// Destroys the guild's player; errors from a dead node are ignored.
    public func destroy(guildId: String) async {
        await waitForMove(guildId)
        guard let snapshot = players.removeValue(forKey: guildId) else { return }
        guard let nodeName = snapshot.node, let node = node(named: nodeName) else { return }
        do {
            let sessionId = try await node.requireSession()
            try await node.rest.destroyPlayer(sessionId: sessionId, guildId: guildId)
        } catch {
            logger.debug("destroy on node failed", metadata: ["guild.id": "\(guildId)", "error": "\(error)"])
        }
    }

    /// Lavalink ties an end time to the track it was given with; a new track without one has none.
    private static func endTime(after update: PlayerUpdate, previous: Int64?, startsTrack: Bool) -> Int64? {
        switch update.endTime {
        case .milliseconds(let value)?: value
        case .clear?: nil
        case nil: startsTrack ? nil : previous
        }
    }

    // MARK: Node events

    private func handle(_ event: NodeEvent, from node: LavalinkNode) async {
        let name = node.name
        broadcast.yield(.node(name, event))
        switch event {
        case .ready(_, let resumed):
            available.insert(name)
            let stoppedAt = silentSince.removeValue(forKey: name)
            if let lastStats = await node.lastStats, stats[name] == nil { stats[name] = lastStats }
            if resumed {
                await destroyOrphans(on: node)
            } else {
                orphans[name] = nil
                // A fresh session has none of our players: rebuild the ones that lived here.
                await move(players.values.filter { $0.node == name }.map(\.guildId), from: name, excludingSource: false,
                           sourceStillHasThem: false, audioStoppedAt: stoppedAt)
            }
            await move(players.values.filter { $0.node == nil }.map(\.guildId), from: nil, excludingSource: false, sourceStillHasThem: false)
        case .disconnected:
            available.remove(name)
            // The players there were heard until now at most: a node that does not come back
            // stopped playing here (see `restoringUpdate`).
            if silentSince[name] == nil { silentSince[name] = monotonicNow() }
        case .lost:
            available.remove(name)
            await move(players.values.filter { $0.node == name }.map(\.guildId), from: name, excludingSource: true,
                       sourceStillHasThem: true, audioStoppedAt: silentSince[name])
        case .stats(let nodeStats):
            stats[name] = nodeStats
        case .playerUpdate(let guildId, let state):
            guard var snapshot = players[guildId], snapshot.node == name else { return }
            snapshot.position = state.position
            snapshot.positionTime = state.time
            snapshot.positionReceivedAt = monotonicNow()
            snapshot.connected = state.connected
            players[guildId] = snapshot
            // Audio flowed for a while: the track's source works on this node. (A track's end says
            // less: one that throws mid-play ends `finished` too.)
            if state.connected, state.position >= Self.playedEnough, let source = snapshot.track.map(Self.source(of:)) {
                recordSourceSuccess(node: name, source: source)
            }
            broadcast.yield(.playerUpdate(guildId: guildId, state: state))
        case .player(let playerEvent):
            guard var snapshot = players[playerEvent.guildId], snapshot.node == name else { return }
            switch playerEvent.kind {
            case .trackStart(let track):
                snapshot.track = track
            case .trackException(let track, _):
                recordSourceFailure(node: name, source: Self.source(of: track))
            case .trackEnd(let track, let reason):
                // `replaced` ends the old track after the new one was set; keep the new one.
                if reason != .replaced, snapshot.track?.encoded == track.encoded {
                    snapshot.track = nil
                    snapshot.position = 0
                    snapshot.endTime = nil
                }
            case .plugin(.segmentSkipped(let segment)):
                // SponsorBlock jumped: a move must resume after the segment, not in it.
                snapshot.position = segment.end
                snapshot.positionReceivedAt = monotonicNow()
            default:
                break
            }
            players[playerEvent.guildId] = snapshot
            broadcast.yield(.player(playerEvent))
        }
    }

    private func refused(_ node: LavalinkNode, _ error: any Error) {
        available.remove(node.name)
        logger.error("node refused", metadata: ["lavalink.node": "\(node.name)", "error": "\(error)"])
        let message = (error as? LavalinkError)?.message ?? "\(error)"
        broadcast.yield(.nodeRefused(node.name, message: message))
    }

    // MARK: Moving players

    /// - Parameters:
    ///   - excludingSource: never pick the source node (it is lost).
    ///   - sourceStillHasThem: the source may still hold the players (lost, not restarted), so they
    ///     are destroyed there after the move.
    ///   - audioStoppedAt: when the source went silent, if it did (see `restoringUpdate`).
    private func move(
        _ guildIds: [String], from source: String?, excludingSource: Bool, sourceStillHasThem: Bool,
        audioStoppedAt: Duration? = nil
    ) async {
        guard !guildIds.isEmpty else { return }
        let pending = guildIds.filter { !moving.contains($0) }
        moving.formUnion(pending)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for guildId in pending {
                if inFlight >= maxConcurrentMoves {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask {
                    await self.moveOne(guildId, from: source, excludingSource: excludingSource,
                                       destroyOnSource: sourceStillHasThem, audioStoppedAt: audioStoppedAt)
                }
                inFlight += 1
            }
        }
    }

    private func moveOne(
        _ guildId: String, from source: String?, excludingSource: Bool, destroyOnSource: Bool, audioStoppedAt: Duration?
    ) async {
        defer { finishMove(guildId) }
        guard var snapshot = players[guildId] else { return }
        let excluded: Set<String> = excludingSource ? Set([source].compactMap { $0 }) : []
        guard let target = placement(voice: snapshot.voice, source: snapshot.track.map(Self.source(of:)), excluding: excluded)
        else {
            snapshot.node = nil
            players[guildId] = snapshot
            logger.info("player waits for a node", metadata: ["guild.id": "\(guildId)"])
            broadcast.yield(.playerWaiting(guildId: guildId))
            return
        }
        snapshot.node = target.name
        players[guildId] = snapshot
        do {
            let sessionId = try await target.requireSession()
            let restoring = snapshot.restoringUpdate(now: monotonicNow(), audioStoppedAt: audioStoppedAt)
            let player = try await target.rest.updatePlayer(sessionId: sessionId, guildId: guildId, restoring)
            if var current = players[guildId] {
                current.apply(player, receivedAt: monotonicNow())
                players[guildId] = current
            }
        } catch {
            logger.warning("moving player failed", metadata: ["guild.id": "\(guildId)", "lavalink.node": "\(target.name)", "error": "\(error)"])
            if var current = players[guildId] {
                current.node = nil
                players[guildId] = current
            }
            broadcast.yield(.playerWaiting(guildId: guildId))
            return
        }
        if destroyOnSource, let source, source != target.name, let sourceNode = node(named: source) {
            await destroyTolerantly(guildId, on: sourceNode)
        }
        logger.info("player moved", metadata: ["guild.id": "\(guildId)", "lavalink.node": "\(target.name)"])
        broadcast.yield(.playerMoved(guildId: guildId, from: source, to: target.name))
    }

    func destroyTolerantly(_ guildId: String, on node: LavalinkNode) async {
        do {
            let sessionId = try await node.requireSession()
            try await node.rest.destroyPlayer(sessionId: sessionId, guildId: guildId)
        } catch {
            orphans[node.name, default: []].insert(guildId)
        }
    }

    private func destroyOrphans(on node: LavalinkNode) async {
        guard let guildIds = orphans.removeValue(forKey: node.name) else { return }
        for guildId in guildIds where players[guildId]?.node != node.name {
            await destroyTolerantly(guildId, on: node)
        }
    }

    /// A player whose node is reconnecting (disconnected, not yet lost) waits for it, at most
    /// `reconnectWait`, instead of failing at once; the wait ends early when the player moves.
    private func waitForReconnect(of guildId: String) async throws {
        guard let nodeName = players[guildId]?.node, !available.contains(nodeName),
            let node = node(named: nodeName)
        else { return }
        let limit = reconnectWait
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await node.waitUntilConnected() }
            group.addTask { try? await clock.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
        // Lost meanwhile: the player is moving elsewhere.
        await waitForMove(guildId)
    }

    /// Waits while the guild's player is being moved; a cancelled caller stops waiting (its next
    /// request then fails with the cancellation).
    private func waitForMove(_ guildId: String) async {
        while moving.contains(guildId), !Task.isCancelled {
            let id = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    guard !Task.isCancelled else { return continuation.resume() }
                    moveWaiters[guildId, default: [:]][id] = continuation
                }
            } onCancel: {
                Task { await self.stopWaitingForMove(guildId, id) }
            }
        }
    }

    private func stopWaitingForMove(_ guildId: String, _ id: UUID) {
        moveWaiters[guildId]?.removeValue(forKey: id)?.resume()
    }

    func finishMove(_ guildId: String) {
        moving.remove(guildId)
        for waiter in (moveWaiters.removeValue(forKey: guildId) ?? [:]).values { waiter.resume() }
    }

    /// Time since the first call, on the continuous clock (the default `monotonicNow`).
    public static let processUptime: @Sendable () -> Duration = {
        let origin = ContinuousClock.now
        return { ContinuousClock.now - origin }
    }()

    private func noNode() -> LavalinkError {
        LavalinkError(.noNodeAvailable, "no Lavalink node is connected; players will start once one is")
    }
}
