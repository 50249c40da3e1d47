import AnankorCore
import DiscordKit
import Foundation
import LavalinkKit
import Synchronization

/// The master's periodic passes (DESIGN §4 failure handling). Events make a session fast; these
/// make it right when an event is lost:
///
/// - every `watchdogInterval`: timers that came due (acknowledgement deadlines, idle, alone) from
///   the store's due index, so they fire on any master and after a restart; and the sessions of
///   workers that are not live, which the session gives the grace period and then moves to a free
///   worker at its position or ends with the crash notice;
/// - every `reconcileInterval`: each live worker's players, read from Lavalink's REST API with the
///   session ids the worker saved, compared with what each session says should play (a finished
///   track whose `trackEnd` was lost, a player with the wrong track or none, a pause that did not
///   take); a player with no session for two passes is ended.
///
/// Several masters may run the passes at once: every change goes through the session's
/// compare-and-set, so each repair and each notice happens once.
final class SessionReconciler: Sendable {
    let context: MasterContext
    let driver: SessionDriver
    let music: MusicCommands
    private let nodes: [(name: String, rest: LavalinkREST)]
    private let marks = Mutex(Marks())
    /// After the store answers again, workers get this long to renew their heartbeats before
    /// anyone counts as gone: every heartbeat lapsed during the outage too.
    static let recoveryGrace: TimeInterval = 5

    private struct Marks {
        var lastObservation: Date?
        var storeFailed = false
        var holdOffUntil: Date?
        /// Players seen with no session on the last pass ("worker/guild").
        var strays: Set<String> = []
        /// Due sessions whose ticks changed nothing, and until when they are not looked at again
        /// (a due index a tick cannot clear must not be read every second forever).
        var quiet: [SessionKey: Date] = [:]
    }

    init(context: MasterContext, driver: SessionDriver, music: MusicCommands) {
        self.context = context
        self.driver = driver
        self.music = music
        self.nodes = context.configuration.lavalinkNodes.map { ($0.name, LavalinkREST(endpoint: $0.endpoint, nodeName: $0.name)) }
    }

    func run() async throws {
        while !Task.isCancelled {
            try await context.clock.sleep(for: context.configuration.watchdogInterval)
            await pass()
        }
    }

    func pass() async {
        do {
            let now = context.now()
            try await deliverDueTimers(now: now)
            let live = try await context.state.liveWorkers(now: now)
            driver.liveWorkers.remember(live, at: now)
            MasterMetrics.workersAlive(live.count)
            let liveWorkers = Set(live.map(\.worker))
            let gone = try await goneWorkers(live: liveWorkers, now: now)
            try await observeLostWorkers(gone, now: now)
            let observe = marks.withLock { marks -> Bool in
                marks.storeFailed = false
                if let last = marks.lastObservation,
                    now.timeIntervalSince(last) < context.configuration.reconcileInterval.timeInterval
                {
                    return false
                }
                marks.lastObservation = now
                return true
            }
            context.logger.debug("reconciliation pass", metadata: ["workers.live": "\(live.count)", "players": "\(observe)"])
            if observe { try await observePlayers(of: live.map(\.worker), gone: gone, now: now) }
            context.outage.ended(logger: context.logger)
            context.progress.passCompleted()
        } catch where !Task.isCancelled {
            marks.withLock { $0.storeFailed = true }
            if InteractionDispatcher.isUnavailable(error) {
                context.outage.began("session reconciliation", error: "\(error)", logger: context.logger)
            } else {
                context.logger.warning("session reconciliation failed", metadata: ["error": "\(error)"])
            }
        } catch {
            return  // shutting down
        }
    }

    // MARK: Timers

    private func deliverDueTimers(now: Date) async throws {
        let quiet = marks.withLock { marks in
            marks.quiet = marks.quiet.filter { $0.value > now }
            return marks.quiet
        }
        for session in try await context.state.dueSessions(at: now, limit: 200) where quiet[session] == nil {
            guard var record = try await driver.record(session) else { continue }
            let version = record.version
            let timers = MusicSession(record: record, policy: driver.policy).timers
            for (timer, due) in timers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where due <= now {
                record = try await driver.handle(.tick(timer), in: session)
            }
            if record.version == version {
                marks.withLock { $0.quiet[session] = now.addingTimeInterval(60) }
            }
        }
    }

    // MARK: Workers that are gone

    /// Sessions bound to a worker that is not live are shown that (an observation without its
    /// worker): the session starts the grace period, then moves or ends.
    private func observeLostWorkers(_ gone: [(worker: WorkerID, expired: Bool)], now: Date) async throws {
        let holdingOff = marks.withLock { marks -> Bool in
            if marks.storeFailed { marks.holdOffUntil = now.addingTimeInterval(Self.recoveryGrace) }
            guard let until = marks.holdOffUntil, now < until else { return false }
            return true
        }
        guard !holdingOff else { return }
        for (worker, expired) in gone {
            let bindings = try await context.state.boundSessions(of: worker)
            for binding in bindings {
                let record = try await driver.record(binding.session)
                let (routing, _) = try await music.snapshot(for: binding.session, record: record)
                try await driver.handle(.observed(SessionObservation(players: [:], routing: routing)), in: binding.session)
            }
            if bindings.isEmpty, expired {
                try await context.state.removeWorker(worker)
            }
        }
    }

    /// Workers that are known (configured, or registered with a lapsed heartbeat: `expired`)
    /// but not live, in a stable order; read once per pass for both lost sessions and strays.
    private func goneWorkers(live: Set<WorkerID>, now: Date) async throws -> [(worker: WorkerID, expired: Bool)] {
        let expired = Set(try await context.state.expiredWorkers(now: now).map(\.worker))
        return Set(context.configuration.workerBots).union(expired).subtracting(live)
            .sorted { $0.rawValue < $1.rawValue }
            .map { ($0, expired.contains($0)) }
    }

    // MARK: Players

    /// `live` workers' players are compared with their sessions. A `gone` worker's players (its
    /// Lavalink session outlives the process until the node's resume timeout) are only looked at
    /// for strays: when a session left a dead worker, ending its player was tried once, and a
    /// player that try missed would play on where nobody controls it.
    private func observePlayers(of workers: [WorkerID], gone: [(worker: WorkerID, expired: Bool)], now: Date) async throws {
        var strays: Set<String> = []
        var destroy: [(WorkerID, GuildID)] = []
        let seenBefore = marks.withLock { $0.strays }
        /// A live worker's player is ended on the second pass that finds it playing for no
        /// session; a gone worker's at once (nothing of it can be on its way to a session).
        func lookForStrays(_ players: [String: Player], of worker: WorkerID, bound: [Binding], atOnce: Bool) {
            let boundGuilds = Set(bound.map(\.session.guild.description))
            for (guild, player) in players where !boundGuilds.contains(guild) && player.track != nil {
                let mark = "\(worker)/\(guild)"
                strays.insert(mark)
                if atOnce || seenBefore.contains(mark), let id = UInt64(guild) { destroy.append((worker, GuildID(id))) }
            }
        }
        for (worker, _) in gone {
            guard let read = await players(of: worker), !read.players.isEmpty else { continue }
            lookForStrays(read.players, of: worker, bound: try await context.state.boundSessions(of: worker), atOnce: true)
        }
        for worker in workers {
            // Players first, bindings after: a player that exists had its binding saved before it.
            guard let read = await players(of: worker) else { continue }
            let players = read.players
            let bindings = try await context.state.boundSessions(of: worker)
            context.logger.debug("observed players", metadata: ["worker.id": "\(worker)", "players": "\(players.count)",
                                                                  "sessions": "\(bindings.count)", "complete": "\(read.complete)"])
            for binding in bindings {
                // With a node unread, a player not found may live there: only what was seen counts.
                guard read.complete || players[binding.session.guild.description] != nil else { continue }
                let observed = players[binding.session.guild.description].map { player in
                    ObservedPlayer(entry: player.track.flatMap(Self.entry(in:)), positionMs: player.state.position,
                                   paused: player.paused, at: now)
                }
                let observation = SessionObservation(
                    players: observed.map { [worker: $0] } ?? [:],
                    routing: RoutingSnapshot(live: [RoutingCandidate(worker: worker)]))
                try await driver.handle(.observed(observation), in: binding.session)
            }
            lookForStrays(players, of: worker, bound: bindings, atOnce: false)
        }
        marks.withLock { $0.strays = strays }
        for (worker, guild) in destroy { await endStray(of: worker, in: guild) }
    }

    /// The players of `worker` on the nodes that answered, by guild id, and whether every node
    /// with a saved session answered. A node that is down (killed, restarting) must not blind the
    /// reconciliation of players that moved to the others: those are still seen and repaired.
    /// Nil when nothing could be read (no saved Lavalink session yet, no node answered).
    private func players(of worker: WorkerID) async -> (players: [String: Player], complete: Bool)? {
        guard !nodes.isEmpty,
            let info = try? await context.state.resumeInfo(for: ResumeKey(bot: UserID(worker.rawValue), shard: 0))
        else { return nil }
        let sessions = info.lavalinkSessions(nodeNames: nodes.map(\.name))
        guard !sessions.isEmpty else { return nil }
        var players: [String: Player] = [:]
        var answered = 0
        for node in nodes {
            guard let id = sessions[node.name] else { continue }
            do {
                for player in try await node.rest.players(sessionId: id) { players[player.guildId] = player }
                answered += 1
            } catch {
                context.logger.debug("could not read a worker's players", metadata: [
                    "worker.id": "\(worker)", "lavalink.node": "\(node.name)", "error": "\(error)",
                ])
            }
        }
        guard answered > 0 else { return nil }
        return (players, answered == sessions.count)
    }

    /// A player that plays for no session (seen so on two passes): ended, so nobody hears music
    /// nothing controls.
    private func endStray(of worker: WorkerID, in guild: GuildID) async {
        guard let info = try? await context.state.resumeInfo(for: ResumeKey(bot: UserID(worker.rawValue), shard: 0))
        else { return }
        let sessions = info.lavalinkSessions(nodeNames: nodes.map(\.name))
        for node in nodes {
            guard let id = sessions[node.name] else { continue }
            do {
                try await node.rest.destroyPlayer(sessionId: id, guildId: guild.description)
                MasterMetrics.reconciled(.strayPlayer)
                context.logger.notice("ended a player that belonged to no session",
                                      metadata: ["worker.id": "\(worker)", "guild.id": "\(guild)"])
            } catch {
                context.logger.debug("could not end a stray player", metadata: ["worker.id": "\(worker)", "error": "\(error)"])
            }
        }
    }

    /// The queue entry a Lavalink track plays (the worker tags each track with it).
    static func entry(in track: LavalinkKit.Track) -> QueueEntryID? {
        guard case .object(let data) = track.userData, case .string(let id)? = data["anankorEntry"], !id.isEmpty else {
            return nil
        }
        return QueueEntryID(id)
    }

    // MARK: Listeners

    /// After a voice change in a guild: each bound session learns who listens (none pauses it,
    /// someone back resumes what was paused that way; skip votes of those who left stop counting).
    func voiceChanged(in guild: GuildID) async {
        do {
            let sessions = try await context.state.guildSessions(in: guild, record: nil)
            let bots = music.botIDs(among: sessions.workers)
            for binding in sessions.bindings {
                let humans = context.cache.voiceMembers(of: Snowflake(binding.session.channel.rawValue),
                                                        in: Snowflake(guild.rawValue))
                    .filter { !bots.contains($0.rawValue) }
                try await driver.handle(.presence(Set(humans.map { UserID($0.rawValue) })), in: binding.session)
            }
        } catch where !Task.isCancelled {
            context.logger.warning("voice change check failed", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        } catch {
            return  // shutting down
        }
    }
}
