import AnankorCore
import Foundation
import LavalinkKit
import Synchronization

/// Level-triggered repair of playback (DESIGN §4): worker events make the master fast, this makes
/// it right when one is lost. Every `reconcileInterval` it reads, for each live worker with bound
/// sessions, the players its Lavalink sessions hold (`GET /v4/sessions/{id}/players`, the session
/// ids from the worker's resume records) and compares them with what each session should be
/// playing.
///
/// A player that sits without a track while the master still has an entry playing (not paused)
/// lost its `trackEnd` (a takeover, a store outage, a dropped message). Seen so on two passes at
/// least one interval apart — a play job in flight is not mistaken for it — the queue advances
/// expecting that entry, so a late real `trackEnd`, or another master doing the same, is stale and
/// changes nothing.
final class PlaybackReconciler: Sendable {
    let context: MasterContext
    let conductor: PlaybackConductor
    private let nodes: [(name: String, rest: LavalinkREST)]
    private let marks = Mutex(Marks())

    private struct Marks {
        var lastPass: Date?
        /// Sessions last seen with an idle player although an entry should play: since when.
        var idle: [SessionKey: (entry: QueueEntryID, since: Date)] = [:]
    }

    init(context: MasterContext, conductor: PlaybackConductor) {
        self.context = context
        self.conductor = conductor
        self.nodes = context.configuration.lavalinkNodes.map { ($0.name, LavalinkREST(endpoint: $0.endpoint, nodeName: $0.name)) }
    }

    /// Runs a pass when `reconcileInterval` has gone by since the last one (the watchdog asks on
    /// every tick; the master's clock decides).
    func passIfDue() async throws {
        let now = context.now()
        let due = marks.withLock { marks in
            if let last = marks.lastPass, now.timeIntervalSince(last) < context.configuration.reconcileInterval.timeInterval {
                return false
            }
            marks.lastPass = now
            return true
        }
        if due { try await pass(now: now) }
    }

    func pass(now: Date) async throws {
        var looked: Set<SessionKey> = []
        for worker in try await context.state.liveWorkers(now: now).map(\.worker) {
            let bindings = try await context.state.bindings(of: worker)
            guard !bindings.isEmpty, let players = await observedPlayers(of: worker) else { continue }
            for binding in bindings {
                looked.insert(binding.session)
                try await reconcile(binding, player: players[binding.session.guild.description], now: now)
            }
        }
        marks.withLock { marks in marks.idle = marks.idle.filter { looked.contains($0.key) } }
    }

    private func reconcile(_ binding: Binding, player: Player?, now: Date) async throws {
        let session = binding.session
        // No player at all is a connect in flight or a player that moved nodes: not judged here.
        guard let player, player.track == nil, let playing = try await context.state.nowPlaying(session),
            !playing.paused
        else {
            marks.withLock { _ = $0.idle.removeValue(forKey: session) }
            return
        }
        let interval = context.configuration.reconcileInterval.timeInterval
        let confirmed = marks.withLock { marks in
            if let mark = marks.idle[session], mark.entry == playing.entry.id {
                return now.timeIntervalSince(mark.since) >= interval
            }
            marks.idle[session] = (playing.entry.id, now)
            return false
        }
        guard confirmed else { return }
        marks.withLock { _ = $0.idle.removeValue(forKey: session) }
        let outcome = try await conductor.advance(session, expecting: playing.entry.id, reason: .finished,
                                                  worker: binding.worker)
        if case .stale = outcome { return }
        MasterMetrics.reconciled(.lostTrackEnd)
        context.logger.notice("a track ended without a trackEnd reaching the master: the queue moved on",
                              metadata: ["session.key": "\(session)", "worker.id": "\(binding.worker)",
                                         "entry.id": "\(playing.entry.id)"])
    }

    /// The players of `worker` on every node, by guild id; nil when they cannot all be read (no
    /// saved Lavalink session yet, a node unreachable, a session Lavalink no longer knows).
    private func observedPlayers(of worker: WorkerID) async -> [String: Player]? {
        guard !nodes.isEmpty,
            let info = try? await context.state.resumeInfo(for: ResumeKey(bot: UserID(worker.rawValue), shard: 0))
        else { return nil }
        let sessions = info.lavalinkSessions(nodeNames: nodes.map(\.name))
        guard !sessions.isEmpty else { return nil }
        var players: [String: Player] = [:]
        for node in nodes {
            guard let id = sessions[node.name] else { continue }
            do {
                for player in try await node.rest.players(sessionId: id) { players[player.guildId] = player }
            } catch {
                context.logger.debug("could not read a worker's players", metadata: [
                    "worker.id": "\(worker)", "lavalink.node": "\(node.name)", "error": "\(error)",
                ])
                return nil
            }
        }
        return players
    }
}
