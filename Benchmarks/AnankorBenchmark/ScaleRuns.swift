import AnankorCore
import AnankorTesting
import DiscordEmulator
import Foundation
import LavalinkEmulator
import Logging

/// The scale runs: a master with many guilds (start time, memory), gateway dispatch at a high
/// rate into that master, and many concurrent sessions spread over worker processes.
struct ScaleRuns {
    let programs: Programs
    let logger: Logger

    func run(guilds: Int, dispatchRate: Double, dispatchSeconds: Double, sessions: Int, workers: Int) async throws
        -> ScaleReport
    {
        var report = ScaleReport()
        print("==> scale: master with 1 guild (baseline)")
        let baseline = try await masterWithGuilds(1, dispatch: nil)
        report.masterBaselineRSSBytes = baseline.rss
        print("==> scale: master with \(guilds) guilds, then \(Int(dispatchRate)) dispatches/s")
        let large = try await masterWithGuilds(guilds, dispatch: (dispatchRate, dispatchSeconds))
        report.guilds = guilds
        report.masterReadySeconds = large.seconds
        report.masterRSSBytes = large.rss
        if guilds > 1 {
            report.masterBytesPer10kGuilds = Double(large.rss - baseline.rss) / Double(guilds - 1) * 10_000
        }
        report.dispatchTargetPerSecond = dispatchRate
        report.dispatchSentPerSecond = large.dispatch?.sent
        report.dispatchReceivedPerSecond = large.dispatch?.received
        report.dispatchMasterCPUSecondsPer10k = large.dispatch?.cpuPer10k
        report.dispatchInteractionDuringLoad = large.dispatch?.interaction
        if sessions > 0 {
            print("==> scale: \(sessions) concurrent sessions over \(workers) workers")
            let result = try await concurrentSessions(sessions, workers: workers)
            report.sessions = sessions
            report.sessionsPlaying = result.playing
            report.sessionsSeconds = result.seconds
            report.sessionWorkers = workers
            report.sessionProcesses = result.processes
            report.sessionEmulatorCPUSeconds = result.emulatorCPUSeconds
            report.sessionMasterREST = result.masterREST
            report.sessionMasterCommands = result.masterCommands
        }
        return report
    }

    // MARK: Guilds and dispatch

    private struct DispatchResult {
        var sent: Double
        var received: Double
        var cpuPer10k: Double
        var interaction: LatencySummary?
    }

    /// An `anankor master` (distributed) in `count` guilds of 2 voice channels and 5 members each.
    private func masterWithGuilds(_ count: Int, dispatch: (rate: Double, seconds: Double)?) async throws
        -> (seconds: Double, rss: Int, dispatch: DispatchResult?)
    {
        var configuration = DiscordEmulatorConfiguration(port: 0)
        configuration.clockFollowsRealTime = true
        let discord = DiscordEmulator(configuration: configuration, logger: logger)
        _ = try await discord.start()
        let redis = try await RedisServer(options: RedisServer.Options())
        let moto = try await MotoServer.start(oneRequestAtATime: false)
        defer {
            redis.kill()
            moto.stop()
        }
        let master = await discord.createBot(name: "Anankor", username: "anankor")
        let worker = await discord.createBot(name: "Anankor Music 1", username: "anankor-music-1")
        var members: [(guild: UInt64, users: [UInt64], voice: [UInt64], text: UInt64)] = []
        for index in 0..<count {
            let owner = await discord.createUser(username: "o\(index)")
            let guild = try await discord.createGuild(name: "Scale \(index)", ownerID: owner)
            let role = try await discord.createRole(in: guild, name: "bots", permissions: BenchWorld.botPermissions)
            try await discord.addMember(master.userID, to: guild, roles: [role])
            let text = try await discord.createChannel(in: guild, name: "general", type: .text)
            let voice = [try await discord.createChannel(in: guild, name: "voice-a", type: .voice),
                         try await discord.createChannel(in: guild, name: "voice-b", type: .voice)]
            var users: [UInt64] = [owner]
            try await discord.addMember(owner, to: guild)
            for u in 0..<4 {
                let user = await discord.createUser(username: "u\(index)-\(u)")
                try await discord.addMember(user, to: guild)
                users.append(user)
            }
            members.append((guild, users, voice, text))
        }
        var environment = moto.environment
        environment["REDIS_URL"] = redis.url
        environment["DYNAMODB_TABLE"] = "scale-\(UUID().uuidString.prefix(8))"
        environment["DISCORD_API_URL"] = discord.restURL
        environment["DISCORD_MASTER_TOKEN"] = master.token
        environment["DISCORD_WORKER_TOKEN_1"] = worker.token
        environment["LAVALINK_URL"] = "http://127.0.0.1:1"
        environment["LAVALINK_PASSWORD"] = "unused"
        environment["ANANKOR_LOG_LEVEL"] = "warning"
        let port = try FreePort.allocate()
        let started = ContinuousClock.now
        let process = try ChildProcess(name: "anankor master", executable: programs.anankor,
                                       arguments: ["master", "--http-port", "\(port)"], environment: environment)
        do {
            let metricsURL = "http://127.0.0.1:\(port)/metrics"
            try await process.waitUntil("\(count) guilds cached", timeout: .seconds(300)) {
                guard let metrics = await OperationsProbe.body(metricsURL) else { return false }
                return OperationsProbe.metric("anankor_guilds_cached", in: metrics) == Double(count)
            }
            let seconds = (ContinuousClock.now - started).timeInterval
            let rss = ProcessProbe.sample(pid: process.pid)?.rssBytes ?? 0
            var result: DispatchResult?
            if let dispatch {
                result = try await dispatchLoad(discord: discord, master: master, port: port, process: process,
                                                guilds: members, rate: dispatch.rate, seconds: dispatch.seconds)
            }
            await process.stop()
            await discord.stop()
            return (seconds, rss, result)
        } catch {
            await process.stop()
            await discord.stop()
            throw error
        }
    }

    /// Members hop between the two voice channels of their guilds at `rate` moves per second;
    /// each move is one VOICE_STATE_UPDATE dispatch to the master.
    private func dispatchLoad(discord: DiscordEmulator, master: EmulatedBot, port: Int, process: ChildProcess,
                              guilds: [(guild: UInt64, users: [UInt64], voice: [UInt64], text: UInt64)],
                              rate: Double, seconds: Double) async throws -> DispatchResult {
        let metricsURL = "http://127.0.0.1:\(port)/metrics"
        func dispatched() async -> Double {
            await OperationsProbe.body(metricsURL).flatMap { OperationsProbe.metric("anankor_gateway_dispatches_total", in: $0) } ?? 0
        }
        let before = await dispatched()
        let cpuBefore = ProcessProbe.sample(pid: process.pid)?.cpuSeconds ?? 0
        let gate = RateGate(rate: rate)
        let started = ContinuousClock.now
        let deadline = started + .seconds(seconds)
        let movers = 16
        let (sentCount, interactions) = await withTaskGroup(of: (sent: Int, interactions: [UInt64]).self) { group in
            for mover in 0..<movers {
                group.addTask {
                    var step = 0
                    while ContinuousClock.now < deadline {
                        await gate.pass()
                        let slot = (step * movers + mover)
                        let target = guilds[slot % guilds.count]
                        let user = target.users[(slot / guilds.count) % target.users.count]
                        try? await discord.setVoiceChannel(of: user, in: target.guild, to: target.voice[step % 2])
                        step += 1
                    }
                    return (step, [])
                }
            }
            // A member's command meanwhile: how the master answers under dispatch load.
            group.addTask {
                var ids: [UInt64] = []
                while ContinuousClock.now < deadline - .milliseconds(500) {
                    let target = guilds[ids.count % guilds.count]
                    if let interaction = try? await discord.invokeSlashCommand(
                        "queue", application: master.applicationID, channel: target.text, user: target.users[0])
                    {
                        ids.append(interaction.id)
                    }
                    try? await Task.sleep(for: .milliseconds(250))
                }
                return (0, ids)
            }
            var sent = 0
            var all: [UInt64] = []
            for await result in group {
                sent += result.sent
                all += result.interactions
            }
            return (sent, all)
        }
        let window = (ContinuousClock.now - started).timeInterval
        // The master may still be working through its socket buffer: wait until it has all of them.
        let drainDeadline = ContinuousClock.now + .seconds(30)
        var received = await dispatched() - before
        while received < Double(sentCount), ContinuousClock.now < drainDeadline {
            try await Task.sleep(for: .milliseconds(100))
            received = await dispatched() - before
        }
        let handledWindow = (ContinuousClock.now - started).timeInterval
        let cpu = (ProcessProbe.sample(pid: process.pid)?.cpuSeconds ?? cpuBefore) - cpuBefore
        var latencies: [Double] = []
        for id in interactions {
            if let times = await MeasurementReader.times(of: id, in: discord), let first = times.firstResponse {
                latencies.append(first - times.created)
            }
        }
        return DispatchResult(sent: Double(sentCount) / window, received: received / handledWindow,
                              cpuPer10k: received > 0 ? cpu / received * 10_000 : 0,
                              interaction: LatencySummary(latencies))
    }

    // MARK: Concurrent sessions

    /// Members' /plays per second in the concurrent-sessions run.
    static let playRate: Double = 100

    /// `count` voice channels with one member each, spread over guilds of `workers` channels, each
    /// member asking `/play` once; distributed mode with `workers` worker processes.
    struct SessionsResult {
        var playing: Int
        var seconds: Double
        var processes: [ProcessUsage]
        var emulatorCPUSeconds: Double?
        var masterREST: [String: Double]?
        var masterCommands: [String: Double]?
    }

    private func concurrentSessions(_ count: Int, workers: Int) async throws -> SessionsResult {
        let ownCPUBefore = ProcessProbe.sample(pid: getpid())?.cpuSeconds
        let channels = min(workers, 25)
        let shape = WorkloadShape(guilds: (count + channels - 1) / channels, channelsPerGuild: channels,
                                  usersPerChannel: 1, workerBots: workers, duration: 0, rate: nil, lavalinkSpeed: 1)
        let world = try await BenchWorld.start(shape, logger: logger)
        let lanes = Array(world.lanes.prefix(count))
        let contender: RunningContender
        do {
            contender = try await RunningContender.start(.anankorDistributed, world: world, programs: programs,
                                                         extraEnvironment: [
                                                             "ANANKOR_GUILD_SESSION_CAP": "\(channels)",
                                                             // Every member's /play may wait for a turn (acknowledged):
                                                             // the flood is the point of the run, not a refusal.
                                                             "ANANKOR_INTERACTIONS_WAITING": "\(count)",
                                                         ])
        } catch {
            await world.stop()
            throw error
        }
        do {
            try await world.seatMembers(lanes)
            let started = ContinuousClock.now
            // Paced so the master's 3-second acknowledgements hold; each worker's voice joins are
            // bounded by Discord's 120 gateway payloads per minute anyway.
            let gate = RateGate(rate: Self.playRate)
            await withTaskGroup(of: Void.self) { group in
                for lane in lanes {
                    group.addTask {
                        await gate.pass()
                        _ = try? await world.discord.invokeSlashCommand(
                            "play", application: world.master.applicationID, channel: lane.text, user: lane.users[0],
                            options: ["query": .string("scale \(lane.label)")])
                    }
                }
            }
            var playing = 0
            let deadline = ContinuousClock.now + .seconds(Double(count) / Double(workers) / 1.9 + 60)
            while ContinuousClock.now < deadline {
                playing = await world.lavalink.players().filter { $0.track != nil }.count
                if playing >= count { break }
                // Each look snapshots every player of the emulator (in this process): once a
                // second is precise enough for a run of minutes and costs the harness little.
                try await Task.sleep(for: .seconds(1))
            }
            let seconds = (ContinuousClock.now - started).timeInterval
            let processes = contender.processes.compactMap { $0.usage() }
                + contender.supporting.compactMap { item in
                    ProcessProbe.sample(pid: item.pid).map { ProcessUsage(name: item.name, cpuSeconds: $0.cpuSeconds,
                                                                          peakRSSBytes: $0.peakRSSBytes) }
                }
            // Where the master's time went: what it asked Discord, and its commands.
            var rest: [String: Double]?
            var commands: [String: Double]?
            if let url = contender.metricsURLs.first, let exposition = await OperationsProbe.body(url) {
                rest = [:]
                for (labels, value) in OperationsProbe.series("discord_rest_requests_total", in: exposition) {
                    rest?["\(labels["method"] ?? "?") \(labels["route"] ?? "?") \(labels["status"] ?? "?")", default: 0] += value
                }
                commands = [:]
                for (labels, value) in OperationsProbe.series("anankor_commands_total", in: exposition) {
                    commands?["\(labels["command"] ?? "?") \(labels["outcome"] ?? "?")", default: 0] += value
                }
                for (labels, value) in OperationsProbe.series("anankor_command_refusals_total", in: exposition) {
                    commands?["\(labels["command"] ?? "?") refused: \(labels["reason"] ?? "?")", default: 0] += value
                }
            }
            let ownCPU = ProcessProbe.sample(pid: getpid())?.cpuSeconds
            await contender.stop()
            await world.stop()
            return SessionsResult(playing: playing, seconds: seconds, processes: processes,
                                  emulatorCPUSeconds: ownCPU.flatMap { after in ownCPUBefore.map { after - $0 } },
                                  masterREST: rest, masterCommands: commands)
        } catch {
            await contender.stop()
            await world.stop()
            throw error
        }
    }
}
