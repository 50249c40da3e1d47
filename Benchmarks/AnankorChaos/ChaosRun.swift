import AnankorTesting
import DiscordEmulator
import Foundation
import Logging

/// The size of the world and how fast time runs, for every run of a suite.
struct RunSettings: Sendable, Codable {
    var guilds: Int
    var lanesPerGuild: Int
    /// Tracks each lane queues before the fault.
    var tracksPerLane: Int
    /// The Lavalink clock's speed during a fault's window and while draining the queues afterwards.
    /// The window runs at real time (1): Anankor extrapolates positions at real time, as a real
    /// node plays, so any other speed would show rewinds that a real node would not have.
    var windowSpeed: Double
    var drainSpeed: Double
    /// Track lengths the members pick (ms of audio), so a fault lands mid-track.
    var trackLengths: ClosedRange<Int64>
    /// How long the queues may take to drain after the window.
    var drainTimeout: Duration
    /// A cap on every fault's window (the smoke keeps runs short).
    var longestWindow: Duration = .seconds(60)
    /// How long after its due time a lobby reminder may come (a recovering cluster posts it late)
    /// before it counts as missed; a second post within this time counts as posted twice.
    var reminderGrace: Duration = .seconds(20)
}

/// Everything one run observed, handed to the checker.
struct RunRecord: Sendable {
    var fault: FaultKind
    var seed: UInt64
    var settings: RunSettings
    var lanes: [ChaosLane]
    var victimLane: Int
    var victimBot: UInt64?
    var faultAt: Double
    var windowEnd: Double
    var drainEnd: Double
    var noticeAt: Double?
    var takeoverAt: Double?
    /// With no free bot: when the victim's process was started again (Unix ms).
    var victimRestartAt: Double?
    /// With the only master dead, interactions sent before this moment had nobody to answer them.
    var noMasterUntil: Double?
    /// When the store came back after a Redis outage (Unix ms).
    var storeBackAt: Double?
    /// What the now-playing messages showed each time the members looked (during the window and
    /// the drain), for the continuous "silent while playing" check.
    var boardLooks: [BoardLook] = []
    var requested: [RequestedTrack]
    var issued: [IssuedInteraction]
    var removed: Set<String>
    var finalQueues: [Int: String]
    var snapshots: [Snapshot]
    var starts: [TrackStart]
    var ends: [TrackEnd]
    /// Interaction records: id → (created, first response) in Unix ms.
    var responseTimes: [UInt64: (created: Double, firstResponse: Double?)]
    var lobby: LobbyRecord?
    var setupError: String?
    var logTail: String?
}

/// One look at a lane's now-playing message: whether it showed ▶️ (playing, not paused).
struct BoardLook: Sendable {
    var lane: Int
    var at: Double
    var playing: Bool
}

/// A lobby created before the fault with one reminder due inside the fault's window.
struct LobbyRecord: Sendable {
    var title: String
    var lane: Int
    var dueAt: Double
    /// How many times the reminder was posted (exactly once is right).
    var posted = 0
}

/// Runs one fault once: a fresh world and cluster, members listening, the fault, the window,
/// a fast drain, and the records the checker needs.
struct ChaosRun: Sendable {
    let fault: FaultKind
    let seed: UInt64
    let settings: RunSettings
    let program: String
    let logger: Logger
    /// Where a failed run's process logs are kept (`<fault>-<seed>/<process>.log`).
    var logDirectory: URL?
    /// Keep every run's logs there, not only a failed run's (`--keep-logs`).
    var keepAllLogs = false

    func execute() async -> RunRecord {
        var generator = SeededGenerator(seed: seed)
        let runID = String(seed, radix: 36)
        var record = RunRecord(fault: fault, seed: seed, settings: settings, lanes: [], victimLane: 0, faultAt: 0,
                               windowEnd: 0, drainEnd: 0, requested: [], issued: [], removed: [], finalQueues: [:],
                               snapshots: [], starts: [], ends: [], responseTimes: [:])
        let world: ChaosWorld
        do {
            world = try await ChaosWorld.start(guilds: settings.guilds, channels: settings.lanesPerGuild,
                                               bots: settings.lanesPerGuild + (fault.leavesABotFree ? 1 : 0), logger: logger)
        } catch {
            record.setupError = "the Discord emulator did not start: \(error)"
            return record
        }
        record.lanes = world.lanes
        let cluster: ChaosCluster
        do {
            cluster = try await ChaosCluster.start(
                ClusterShape(masters: fault.masters, spares: fault.spares, lavalinkNodes: 2, lavalinkSpeed: settings.windowSpeed),
                world: world, program: program, run: runID)
        } catch {
            record.setupError = "\(error)"
            await world.stop()
            return record
        }
        let observer = Observer(nodes: cluster.nodes)
        let sampling = Task { await observer.run() }
        let members = Members(world: world, run: runID)
        do {
            try await members.joinVoice()
            let identifiers = try await pickTracks(count: world.lanes.count * settings.tracksPerLane, cluster: cluster,
                                                   members: members, generator: &generator)
            var next = identifiers.makeIterator()
            // Every lane queues its tracks; the lanes start side by side, as members would.
            await withTaskGroup(of: Void.self) { group in
                for lane in world.lanes {
                    let mine = (0..<settings.tracksPerLane).compactMap { _ in next.next() }
                    group.addTask {
                        for identifier in mine { await members.play(lane: lane, identifier: identifier) }
                    }
                }
            }
            try await waitUntil("every lane plays", timeout: .seconds(30)) {
                let latest = observer.snapshots.value.last?.players ?? []
                return world.lanes.allSatisfy { lane in latest.contains { $0.guild == lane.guild && $0.channel == lane.voice && $0.audible } }
            }
            // The fault comes at a random moment within the first tracks.
            try await Task.sleep(for: .milliseconds(Int.random(in: 1_000...4_000, using: &generator)))
            let victim = world.lanes[0]
            record.victimLane = victim.index
            record.victimBot = observer.snapshots.value.last?.players
                .first { $0.guild == victim.guild && $0.channel == victim.voice && $0.audible }?.bot
            // A game night whose reminder falls inside the fault's window: it must be posted once.
            let lobbyTitle = "chaos \(runID) night"
            let created = await members.command(
                "game create", ["title": .string(lobbyTitle), "start": "in 8s", "reminders": "0m"], lane: victim) ?? ""
            if created.hasPrefix("Lobby") {
                record.lobby = LobbyRecord(title: lobbyTitle, lane: victim.index, dueAt: unixMilliseconds() + 8_000)
            }
            let reactions = Task { await react(members: members, world: world, since: unixMilliseconds()) }
            // Members look at the player from before the fault until the queues are drained: what
            // `/nowplaying` answers and what the now-playing messages show is compared with what
            // Lavalink plays (the continuous "silent while playing" check).
            let looking = Task { await look(members: members, world: world) }
            defer { looking.cancel() }
            let injected = try await inject(into: cluster, world: world, observer: observer, victim: victim,
                                            victimBot: record.victimBot, generator: &generator)
            record.faultAt = injected.faultAt
            record.noMasterUntil = injected.noMasterUntil
            // The window: takeovers and notices. With no free bot, long enough for the restarted
            // process to take its token and the members' `/play` to resume on it.
            var window = min(fault.window, settings.longestWindow)
            if let restart = fault.restartsVictimAfter { window = max(window, restart + .seconds(12)) }
            // Never shorter than the outage: a queue drained while Redis is still down reads as
            // lost, though nothing could have been played then.
            if let outage = fault.redisOutage { window = max(window, outage + .seconds(12)) }
            let windowEnd = ContinuousClock.now + window
            while ContinuousClock.now < windowEnd {
                if record.takeoverAt == nil, fault.expectsTakeover, let bot = record.victimBot,
                   cluster.liveWorkers.contains(where: { $0.heldBot == bot && $0.process.pid != injected.victimPID }) {
                    record.takeoverAt = unixMilliseconds()
                }
                if record.victimRestartAt == nil, let restart = fault.restartsVictimAfter,
                   unixMilliseconds() >= injected.faultAt + Double(restart.components.seconds * 1000) {
                    _ = try cluster.startWorker()
                    record.victimRestartAt = unixMilliseconds()
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            if let restore = injected.restore { try await restore() }
            record.storeBackAt = injected.storeBack?.value
            record.windowEnd = unixMilliseconds()
            reactions.cancel()
            record.noticeAt = await firstNotice(members: members, lane: victim, since: record.faultAt)
            // Drain: time runs fast until every queued track has finished (or nothing plays).
            await observer.setSpeed(settings.drainSpeed)
            let queued = members.requested.value.filter(\.queued).map(\.identifier)
            let drained = ContinuousClock.now + settings.drainTimeout
            var quietSince: ContinuousClock.Instant?
            while ContinuousClock.now < drained {
                await observer.sampleRecords()
                if queued.allSatisfy({ observer.finishedCount($0) > 0 }) { break }
                let playing = observer.snapshots.value.last?.players.contains(where: \.audible) ?? false
                if playing { quietSince = nil } else if quietSince == nil { quietSince = .now }
                if let quietSince, ContinuousClock.now - quietSince > .seconds(8) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            record.drainEnd = unixMilliseconds()
            looking.cancel()
            _ = await looking.value
            record.boardLooks = members.boardLooks.value
            if let lobby = record.lobby {
                // The reminder was due mid-window; give a recovered cluster time to post it.
                let wait = lobby.dueAt + Double(settings.reminderGrace.components.seconds * 1000) - unixMilliseconds()
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait))) }
                let marker = "**\(lobby.title)** starts now"
                record.lobby?.posted = await world.discord.messages(in: victim.text)
                    .filter { ($0["content"]?.stringValue ?? "").hasPrefix(marker) }.count
            }
            for lane in world.lanes { record.finalQueues[lane.index] = await members.command("queue", lane: lane) ?? "" }
        } catch {
            let answers = members.requested.value.map { "\($0.identifier): \($0.answer)" }.joined(separator: "\n  ")
            let players = observer.snapshots.value.last?.players.map { "\($0)" }.joined(separator: "\n  ") ?? "none"
            record.setupError = "\(error)\nanswers:\n  \(answers)\nplayers:\n  \(players)"
            record.logTail = cluster.logTails()
        }
        sampling.cancel()
        _ = await sampling.value
        await observer.sampleRecords()
        record.requested = members.requested.value
        record.issued = members.issued.value
        record.removed = members.removed.value
        record.snapshots = observer.snapshots.value
        record.starts = Array(observer.starts.value.values)
        record.ends = Array(observer.ends.value.values)
        for issued in record.issued where issued.interaction != 0 {
            guard let json = await world.discord.interactionRecord(issued.interaction) else { continue }
            let created = json["created_at_unix_ms"]?.doubleValue ?? issued.sentAt
            let first = json["responses"]?.arrayValue?.compactMap { $0["at_unix_ms"]?.doubleValue }.min()
            record.responseTimes[issued.interaction] = (created, first)
        }
        let failed = Verdict(record).failed
        if failed, record.logTail == nil { record.logTail = cluster.logTails() }
        if failed || keepAllLogs, let logDirectory {
            cluster.keepLogs(in: logDirectory.appendingPathComponent("\(fault.rawValue)-\(seed)"))
        }
        await cluster.stop()
        await world.stop()
        return record
    }

    /// Identifiers of tracks whose length falls in the settings' range, asked of a node.
    private func pickTracks(count: Int, cluster: ChaosCluster, members: Members,
                            generator: inout SeededGenerator) async throws -> [String] {
        var picked: [String] = []
        var attempts = 0
        let node = cluster.nodes[0]
        while picked.count < count {
            attempts += 1
            guard attempts < count * 60 else { throw ChaosError("no tracks of the wanted length in the catalogue") }
            let candidate = "chaos-\(String(seed, radix: 36))-\(UInt32.random(in: 0...UInt32.max, using: &generator))"
            guard let length = await LavalinkCatalogue.length(of: candidate, node: node) else { continue }
            if settings.trackLengths.contains(length) { picked.append(candidate) }
        }
        return picked
    }

    /// The members' reactions during the window: a crash notice is answered with `/play`.
    private func react(members: Members, world: ChaosWorld, since: Double) async {
        var answered: Set<Int> = []
        var tried: [Int: Double] = [:]
        while !Task.isCancelled {
            for lane in world.lanes where !answered.contains(lane.index) {
                if let last = tried[lane.index], unixMilliseconds() - last < 1_500 { continue }
                let notices = await members.posts(in: lane, since: since)
                    .filter { Self.isStopNotice($0.message.content) }
                if !notices.isEmpty {
                    tried[lane.index] = unixMilliseconds()
                    // With no bot free, `/play` is refused until one is (the restarted process):
                    // the member tries again, as people do.
                    if await members.play(lane: lane).queued { answered.insert(lane.index) }
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Every 0.5 s a member looks at a lane's now-playing message, and every 1.5 s one runs
    /// `/nowplaying` (the lanes in turn), until cancelled.
    private func look(members: Members, world: ChaosWorld) async {
        var looks = 0
        while !Task.isCancelled {
            let lane = world.lanes[looks % world.lanes.count]
            await members.lookAtBoard(lane)
            if looks % 3 == 0 {
                let asked = world.lanes[looks / 3 % world.lanes.count]
                Task { await members.command("nowplaying", lane: asked, wait: .seconds(10)) }
            }
            looks += 1
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    private func firstNotice(members: Members, lane: ChaosLane, since: Double) async -> Double? {
        await members.posts(in: lane, since: since).first { Self.isStopNotice($0.message.content) }?.at
    }

    /// "Playback crashed, retry /play" (a worker died) or "The music bot in #… was stopped"
    /// (stopped by its operator), when no other bot could take the session.
    static func isStopNotice(_ content: String) -> Bool {
        content.hasPrefix("Playback crashed") || (content.hasPrefix("The music bot in") && content.contains("was stopped"))
    }

    private struct Injection {
        var faultAt: Double
        var victimPID: Int32?
        /// When a master was killed: the moment a master could answer again (the restarted one,
        /// or the other one once it runs the dead one's shards).
        var noMasterUntil: Double?
        /// What ends the fault at the window's end (a slow store speeds up again).
        var restore: (@Sendable () async throws -> Void)?
        /// After a Redis outage: when redis-server answered again (Unix ms).
        var storeBack: Locked<Double?>?
    }

    private func inject(into cluster: ChaosCluster, world: ChaosWorld, observer: Observer, victim: ChaosLane,
                        victimBot: UInt64?, generator: inout SeededGenerator) async throws -> Injection {
        switch fault {
        case .workerKillWithSpare, .workerKillNoSpare, .workerTermWithSpare, .workerTermNoSpare, .trackEndsWhileWorkerDown,
             .workerKillNoFreeBot, .workerTermNoFreeBot:
            guard let bot = victimBot, let holder = cluster.holder(of: bot) else {
                throw ChaosError("no worker process holds the victim lane's bot")
            }
            if fault == .trackEndsWhileWorkerDown {
                // Strike when the playing track has under a second of audio left: time runs fast
                // up to its last seconds, then at the window's speed again.
                func remaining() async -> Int64? {
                    guard let player = observer.snapshots.value.last?.players
                        .first(where: { $0.bot == bot && $0.guild == victim.guild && $0.audible }),
                          let length = await LavalinkCatalogue.length(of: player.identifier ?? "", node: cluster.nodes[0])
                    else { return nil }
                    return length - player.position
                }
                await observer.setSpeed(20)
                try await waitUntil("the victim's track nears its end", timeout: .seconds(60)) {
                    (await remaining()).map { $0 < 5_000 } ?? false
                }
                await observer.setSpeed(settings.windowSpeed)
                try await waitUntil("the victim's track is in its last second", timeout: .seconds(30)) {
                    (await remaining()).map { $0 < 1_000 } ?? false
                }
            }
            let at = unixMilliseconds()
            if fault == .workerTermWithSpare || fault == .workerTermNoSpare || fault == .workerTermNoFreeBot {
                holder.process.terminate()
            } else {
                await holder.process.crash()
            }
            return Injection(faultAt: at, victimPID: holder.process.pid)

        case .masterKillAlone, .masterKillOneOfTwo:
            // Of two, the one running the gateway shard (the other is its standby): the shard
            // must move.
            guard let master = cluster.liveMasters.first(where: { !$0.heldShards.isEmpty }) ?? cluster.liveMasters.first
            else { throw ChaosError("no master runs") }
            let orphaned = master.heldShards
            let at = unixMilliseconds()
            await master.process.crash()
            if fault == .masterKillAlone {
                // A supervisor (systemd, Kubernetes) starts it again after a moment.
                try await Task.sleep(for: .seconds(2))
                let restarted = try cluster.startMaster()
                try await waitUntil("the restarted master is ready", timeout: .seconds(60)) { await restarted.isReady }
            }
            // Until a live master holds the dead one's shard leases (they lapse first: a new
            // process cannot tell a dead holder from a slow one) and its session is up, nobody
            // receives those shards' interactions: Discord shows "did not respond", and the
            // checker counts them apart.
            try await waitUntil("a live master runs the dead one's shards", timeout: .seconds(60)) {
                guard cluster.liveMasters.contains(where: { $0.heldShards.isSuperset(of: orphaned) }) else { return false }
                let connected = await world.discord.gatewaySessions().filter {
                    $0["application_id"]?.snowflakeValue == world.master.applicationID && $0["connected"]?.boolValue == true
                }
                return connected.count >= orphaned.count
            }
            let noMasterUntil = unixMilliseconds()
            print("  the killed master's shards \(orphaned.sorted()) run again after \(Int(noMasterUntil - at)) ms")
            return Injection(faultAt: at, victimPID: master.process.pid, noMasterUntil: noMasterUntil)

        case .redisDown5s, .redisDown15s, .redisDown30s:
            let at = unixMilliseconds()
            cluster.redis.kill()
            let outage = fault.redisOutage ?? .seconds(5)
            let back = Locked<Double?>(nil)
            Task {
                try? await Task.sleep(for: outage)
                try? await cluster.redis.restart()
                back.value = unixMilliseconds()
            }
            return Injection(faultAt: at, storeBack: back)

        case .lavalinkNodeKill, .lavalinkNodeRestart:
            let nodeName = observer.snapshots.value.last?.players
                .first { $0.bot == victimBot && $0.guild == victim.guild && $0.audible }?.node
            guard let node = cluster.nodes.first(where: { $0.name == nodeName }) else {
                throw ChaosError("the victim's player is on no node")
            }
            await observer.sampleRecords()
            let at = unixMilliseconds()
            await node.crash()
            if fault == .lavalinkNodeRestart {
                try await Task.sleep(for: .seconds(2))
                try await node.start()
            }
            return Injection(faultAt: at)

        case .gatewayDrop:
            let at = unixMilliseconds()
            if let bot = victimBot { _ = await world.discord.dropConnections(of: bot) }
            _ = await world.discord.dropConnections(of: world.master.applicationID)
            return Injection(faultAt: at)

        case .slowStore:
            let at = unixMilliseconds()
            cluster.redisProxy.delay.value = .milliseconds(300)
            return Injection(faultAt: at, restore: { cluster.redisProxy.delay.value = .zero })
        }
    }
}

/// Bounded polling for a condition the run needs before it can go on.
func waitUntil(_ what: String, timeout: Duration, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ChaosError("timed out after \(timeout) waiting until \(what)")
}

/// Track lengths from a node's `/v4/loadtracks`, cached per identifier.
enum LavalinkCatalogue {
    private static let lengths = Locked<[String: Int64]>([:])

    static func length(of identifier: String, node: LavalinkNodeProcess) async -> Int64? {
        if let known = lengths.value[identifier] { return known }
        guard !identifier.isEmpty,
              let body = await HTTPProbe.object(node.baseURL + "/v4/loadtracks?identifier=\(identifier)",
                                                headers: ["Authorization": LavalinkNodeProcess.password]),
              let data = body["data"] as? [String: Any], let info = data["info"] as? [String: Any],
              let length = (info["length"] as? NSNumber)?.int64Value
        else { return nil }
        lengths.withLock { $0[identifier] = length }
        return length
    }
}
