import AnankorCore
import DiscordKit
import Foundation
import LavalinkKit

/// What the master does when a worker bot stops playing for good, so that no session stays bound
/// to a bot nobody drives (a phantom) and no channel ever hears two bots.
///
/// - **Stopped** (`workerOffline`: an operator stopped the process, or Discord refused its token):
///   the worker has left voice already. Each of its sessions moves to another free worker bot in
///   the guild at its saved position; when there is none it is released with a notice, the queue
///   kept for `/play`.
/// - **Dead** (its heartbeat lapsed past `workerGrace`): the bot may still sit in voice and its
///   Lavalink player may keep playing for Lavalink's resume window. The master stops the player
///   through Lavalink's REST API with the session id the worker saved, disconnects the bot from
///   voice (Move Members), then releases the session with the crash notice.
struct WorkerLoss: Sendable {
    let context: MasterContext
    let conductor: PlaybackConductor
    let router: SessionRouter

    init(context: MasterContext, conductor: PlaybackConductor) {
        self.context = context
        self.conductor = conductor
        self.router = SessionRouter(context: context)
    }

    func stopped(_ worker: WorkerID, reason: String) async throws {
        for binding in try await context.state.bindings(of: worker) {
            let session = binding.session
            guard try await context.state.unbind(session, ifBoundTo: worker) != nil else { continue }
            MasterMetrics.sessionUnbound()
            MasterMetrics.reconciled(.workerOffline)
            let moved = try await rebind(session, avoiding: worker)
            context.logger.notice("worker went offline: its session was \(moved.map { "moved to \($0)" } ?? "released")",
                                  metadata: ["worker.id": "\(worker)", "session.key": "\(session)", "reason": "\(reason)"])
            if moved == nil { try await conductor.announceDetached(session, notice: .musicWorkerStopped) }
        }
    }

    func died(_ worker: WorkerID) async throws {
        let bindings = try await context.state.bindings(of: worker)
        guard !bindings.isEmpty else { return }
        await silence(worker, sessions: bindings.map(\.session))
        for binding in bindings {
            context.logger.notice("worker is gone: releasing its session",
                                  metadata: ["worker.id": "\(worker)", "session.key": "\(binding.session)"])
            try await conductor.detach(binding.session, from: worker, notice: .musicPlaybackCrashed)
        }
    }

    /// Binds the session to another free worker and starts it there (connect, then the current
    /// entry at its saved position). Returns the new worker, nil when none is free.
    private func rebind(_ session: SessionKey, avoiding gone: WorkerID) async throws -> WorkerID? {
        let now = context.now()
        let cap = await context.sessionCap(of: session.guild)
        let busy = try await context.state.bindings(in: session.guild)
        for worker in try await router.candidates(for: session, busy: busy, now: now) where worker != gone {
            switch try await context.state.bind(session, to: worker, cap: cap, now: now) {
            case .bound:
                MasterMetrics.sessionBound()
                let details = try await context.state.sessionDetails(session)
                try await conductor.start(session, on: worker, textChannel: details?.textChannel)
                conductor.refresh(session)
                return worker
            case .existing(let binding):
                return binding.worker  // another master moved it already
            case .refused:
                continue
            }
        }
        return nil
    }

    /// Stops the dead bot's players (Lavalink REST, the saved session ids) and takes it out of
    /// voice in the guilds where it had sessions. Best effort: each failure is logged. Where a
    /// player is stopped the session keeps the position it had reached, so `/play` resumes there
    /// rather than at the last position report, seconds earlier.
    private func silence(_ worker: WorkerID, sessions keys: [SessionKey]) async {
        let guilds = Set(keys.map(\.guild))
        let key = ResumeKey(bot: UserID(worker.rawValue), shard: 0)
        let nodes = context.configuration.lavalinkNodes
        let sessions = (try? await context.state.resumeInfo(for: key))?.lavalinkSessions(nodeNames: nodes.map(\.name)) ?? [:]
        if sessions.isEmpty {
            context.logger.warning("a dead worker saved no Lavalink session: its players cannot be stopped",
                                   metadata: ["worker.id": "\(worker)"])
        }
        for guild in guilds.sorted(by: { $0.rawValue < $1.rawValue }) {
            for node in nodes {
                guard let session = sessions[node.name] else { continue }
                do {
                    let rest = LavalinkREST(endpoint: node.endpoint, nodeName: node.name)
                    if let player = try? await rest.player(sessionId: session, guildId: guild.description),
                       player.track != nil,
                       let key = keys.first(where: { $0.guild == guild }) {
                        await keepPosition(of: key, at: player.state.position)
                    }
                    try await rest.destroyPlayer(sessionId: session, guildId: guild.description)
                    MasterMetrics.reconciled(.deadWorkerPlayer)
                    context.logger.info("stopped a dead worker's player", metadata: [
                        "worker.id": "\(worker)", "guild.id": "\(guild)", "lavalink.node": "\(node.name)",
                    ])
                } catch {
                    context.logger.debug("could not stop a dead worker's player", metadata: [
                        "worker.id": "\(worker)", "guild.id": "\(guild)", "lavalink.node": "\(node.name)",
                        "error": "\(error)",
                    ])
                }
            }
            do {
                try await context.rest.disconnectMember(guildID: Snowflake(guild.rawValue), userID: Snowflake(worker.rawValue))
            } catch {
                context.logger.warning("could not take a dead worker bot out of voice", metadata: [
                    "worker.id": "\(worker)", "guild.id": "\(guild)", "error": "\(error)",
                ])
            }
        }
    }

    /// Saves where the stopped player was in the session's current entry.
    private func keepPosition(of session: SessionKey, at position: Int64) async {
        do {
            guard let playing = try await context.state.nowPlaying(session) else { return }
            try await context.state.updatePosition(session, entry: playing.entry.id, positionMs: max(0, position),
                                                   paused: nil, at: context.now())
        } catch {
            context.logger.debug("could not keep a stopped player's position",
                                 metadata: ["session.key": "\(session)", "error": "\(error)"])
        }
    }
}
