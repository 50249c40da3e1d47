import AnankorCore
import AnankorEmbedded
import AnankorTesting
@testable import AnankorWorker
import DiscordEmulator
import DiscordKit
import Foundation
import LavalinkEmulator
import Logging
import Synchronization
import Testing

/// One Discord emulator (a worker bot in a guild with a text channel, two voice channels, a
/// listener and a lobby role), one Lavalink emulator on a manual clock, the embedded bus, state
/// store and ledger on temporary files, and a recorder of every event workers publish.
struct WorkerWorld {
    let discord: DiscordEmulator
    let lavalink: LavalinkEmulator
    let bot: EmulatedBot
    let guild: UInt64
    let text: UInt64
    let music: UInt64
    let lounge: UInt64
    let alice: UInt64
    let lobbyRole: UInt64
    let bus: InProcessJobBus<ContinuousClock>
    let state: SQLiteStateStore
    let ledger: SQLiteLedger
    let directory: URL
    let recorder = EventRecorder()

    var worker: WorkerID { WorkerID(bot.userID) }

    static let logger: Logger = {
        var logger = Logger(label: "anankor.worker.tests")
        let level = ProcessInfo.processInfo.environment["WORKER_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .critical
        return logger
    }()

    /// Starts a world, runs `body` while the event recorder runs, and stops everything after.
    /// `reclaimIdle`: how soon the bus hands a message another consumer left unacknowledged to
    /// the worker.
    static func with(reclaimIdle: Duration = JobBusPolicy().reclaimIdle, _ body: (WorkerWorld) async throws -> Void)
        async throws
    {
        let world = try await start(reclaimIdle: reclaimIdle)
        let recording = Task { await world.recorder.record(from: world.bus) }
        func finish() async {
            recording.cancel()
            _ = await recording.value
            await world.discord.stop()
            await world.lavalink.shutdown()
            try? FileManager.default.removeItem(at: world.directory)
        }
        do {
            try await body(world)
        } catch {
            await finish()
            throw error
        }
        await finish()
    }

    private static func start(reclaimIdle: Duration) async throws -> WorkerWorld {
        let discord = DiscordEmulator(configuration: .init())
        try await discord.start()
        // Manual clock: voice is ready on the node's next tick, since no test advances the clock
        // through the (default 5 ms) voice-ready delay.
        let lavalink = LavalinkEmulator(configuration: .init(speed: 0, node: .init(password: "worker-tests", voiceReadyDelayMs: 0)),
                                        logger: logger)
        try await lavalink.start()
        let bot = await discord.createBot(name: "Anankor Worker 1")
        let alice = await discord.createUser(username: "alice")
        let guild = try await discord.createGuild(name: "Worker Guild", ownerID: alice)
        // Created first, so it sits below the bot's role (Discord's hierarchy for MANAGE_ROLES).
        let lobbyRole = try await discord.createRole(in: guild, name: "lobby", permissions: 0)
        let botRole = try await discord.createRole(
            in: guild, name: "worker", permissions: EmulatedPermission.all & ~EmulatedPermission.administrator)
        try await discord.addMember(bot.userID, to: guild, roles: [botRole])
        try await discord.addMember(alice, to: guild)
        let text = try await discord.createChannel(in: guild, name: "general", type: .text)
        let music = try await discord.createChannel(in: guild, name: "Music", type: .voice)
        let lounge = try await discord.createChannel(in: guild, name: "Lounge", type: .voice)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("worker-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return WorkerWorld(
            discord: discord, lavalink: lavalink, bot: bot, guild: guild, text: text, music: music, lounge: lounge,
            alice: alice, lobbyRole: lobbyRole, bus: InProcessJobBus(policy: JobBusPolicy(reclaimIdle: reclaimIdle)),
            state: try SQLiteStateStore(path: directory.appendingPathComponent("state.sqlite").path),
            ledger: try SQLiteLedger(path: directory.appendingPathComponent("ledger.sqlite").path),
            directory: directory)
    }

    func configuration(holder: String, leaseTTL: Duration = .seconds(15), heartbeat: Duration = .seconds(1),
                       spareRetry: Duration? = .milliseconds(200)) -> WorkerConfiguration
    {
        WorkerConfiguration(
            tokens: [BotToken(bot.token)], discordRESTBaseURL: discord.restURL,
            lavalinkNodes: [LavalinkNodeSpec(name: "main", host: "127.0.0.1", port: lavalink.port, password: lavalink.password)],
            holder: LeaseHolder(holder), consumer: ConsumerName("consumer-\(holder)"), leaseTTL: leaseTTL,
            heartbeatInterval: heartbeat, spareRetryInterval: spareRetry, gatewayCompression: true,
            voiceConnectTimeout: .seconds(10))
    }

    /// - Parameter clock: a manual clock makes every wait of the worker (heartbeats, spare
    ///   retries, job timeouts) move only when the test advances it; its wall-clock time (leases,
    ///   claims) then follows that clock too, from the real time the worker was made.
    func makeWorker(holder: String = "holder-a", leaseTTL: Duration = .seconds(15), heartbeat: Duration = .seconds(1),
                    spareRetry: Duration? = .milliseconds(200), clock: ManualClock? = nil,
                    state: (any StateStore)? = nil) -> WorkerService
    {
        let state = state ?? self.state
        var logger = Self.logger
        logger[metadataKey: "test.holder"] = "\(holder)"
        let configuration = configuration(holder: holder, leaseTTL: leaseTTL, heartbeat: heartbeat, spareRetry: spareRetry)
        guard let clock else {
            return WorkerService(configuration: configuration, bus: bus, state: state, ledger: ledger, logger: logger)
        }
        let start = Date()
        return WorkerService(configuration: configuration, bus: bus, state: state, ledger: ledger,
                             now: { start.addingTimeInterval(Double(clock.now.offset.components.seconds)
                                 + Double(clock.now.offset.components.attoseconds) / 1e18) },
                             clock: clock, logger: logger)
    }

    /// Runs `worker` while `body` runs (waiting for it to be ready first), then cancels it.
    func running<T>(_ worker: WorkerService, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await worker.run() }
        do {
            try await eventually("the worker is ready", timeout: .seconds(30)) { worker.isReady }
            let result = try await body()
            task.cancel()
            _ = await task.result
            return result
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    // MARK: Jobs

    @discardableResult
    func send(_ job: Job, id: EnvelopeID = EnvelopeID()) async throws -> EnvelopeID {
        try await bus.send(JobEnvelope(id: id, body: job, createdAt: Date()), to: worker)
        return id
    }

    func session(_ channel: UInt64) -> SessionKey {
        SessionKey(guild: GuildID(guild), channel: ChannelID(channel))
    }

    func track(_ identifier: String) async throws -> AnankorCore.Track {
        try await TrackCatalogue.load(identifier, port: lavalink.port, password: lavalink.password)
    }

    func entry(_ track: AnankorCore.Track) -> QueueEntry {
        QueueEntry(track: track, requester: UserID(alice), addedAt: Date())
    }

    /// Joins `channel` and waits until Discord shows the bot there and Lavalink has its voice.
    func connect(to channel: UInt64) async throws {
        try await send(.voiceConnect(VoiceConnectJob(session: session(channel), textChannel: ChannelID(text))))
        try await eventually("the bot is in the voice channel") {
            await discord.voiceChannel(of: bot.userID, in: guild) == channel
        }
        try await eventually("Lavalink has the voice connection") {
            guard let player = await lavalink.player(guildId: String(guild)) else { return false }
            return player.voiceConnected && player.voice.channelId == String(channel)
        }
    }
}

extension EventRecorder {
    /// The answers (`jobAcked` or `jobFailed`) published for the job `id`, in order.
    func answers(to id: EnvelopeID) -> [WorkerEvent] {
        all.filter { $0.jobAcked?.job == id || $0.jobFailed?.job == id }
    }

    /// Waits for the first answer to `id`.
    @discardableResult
    func answer(to id: EnvelopeID, _ what: String, timeout: Duration = .seconds(20)) async throws -> WorkerEvent {
        try await wait(for: "the answer to \(what)", timeout: timeout) { event in
            event.jobAcked?.job == id || event.jobFailed?.job == id ? event : nil
        }
    }
}

/// Every event published on the bus, read as a master would (one consumer group).
final class EventRecorder: Sendable {
    private let events = Mutex<[WorkerEvent]>([])

    func record(from bus: InProcessJobBus<ContinuousClock>) async {
        while !Task.isCancelled {
            guard let deliveries = try? await bus.receiveEvents(as: "test-master", limit: 64, waitingUpTo: .milliseconds(200))
            else { continue }
            for delivery in deliveries {
                events.withLock { $0.append(delivery.envelope.body) }
                try? await bus.acknowledge(delivery)
            }
        }
    }

    var all: [WorkerEvent] { events.withLock { $0 } }

    /// Waits for an event (after the first `after`) that `match` picks; returns what it returns.
    @discardableResult
    func wait<T>(for what: String, after: Int = 0, timeout: Duration = .seconds(20),
                 _ match: @escaping (WorkerEvent) -> T?) async throws -> T {
        var found: T?
        try await eventually(what, timeout: timeout) {
            found = all.dropFirst(after).lazy.compactMap(match).first
            return found != nil
        }
        return found!
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` until it holds, failing after `timeout` (generous: the machine is shared).
func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out waiting until \(what)")
}
