public import AnankorCore
public import DiscordKit
import Foundation

/// One Lavalink node a worker connects to. Each worker bot gets its own session on every node
/// (Lavalink sessions belong to one bot user id).
public struct LavalinkNodeSpec: Sendable, Hashable, CustomStringConvertible {
    /// A name for logs and the node pool (e.g. `main`, `eu-1`); unique within a configuration.
    public var name: String
    public var host: String
    public var port: Int
    /// `https`/`wss` instead of `http`/`ws`.
    public var secure: Bool
    public var password: String
    /// Where the node runs (`NodeRegion.all`), for placing players near their voice server.
    public var region: String?

    public init(name: String, host: String, port: Int, secure: Bool = false, password: String, region: String? = nil) {
        self.region = region
        self.name = name
        self.host = host
        self.port = port
        self.secure = secure
        self.password = password
    }

    /// The password never shows.
    public var description: String {
        "LavalinkNodeSpec(\(name), \(secure ? "https" : "http")://\(host):\(port), password: redacted)"
    }
}

/// How a worker process runs. Values are plain; reading them from the environment is the
/// executable's job (`AnankorSettings`).
public struct WorkerConfiguration: Sendable {
    /// Candidate worker-bot tokens. The process holds at most one at a time (a lease in the
    /// state store); several processes with the same list share the tokens and the rest wait as
    /// spares.
    public var tokens: [BotToken]
    /// Discord REST base (`https://discord.com/api/v10` when nil); an emulator's `restURL` in tests.
    /// The gateway URL comes from `GET /gateway/bot`.
    public var discordRESTBaseURL: String?
    public var lavalinkNodes: [LavalinkNodeSpec]
    /// This process (host + pid + start nonce; see `WorkerConfiguration.processHolder()`).
    public var holder: LeaseHolder
    /// This process's consumer name on the job bus.
    public var consumer: ConsumerName
    /// How long a token lease lasts without renewal: a dead holder's token is free after this.
    public var leaseTTL: Duration
    /// How often a holder renews its lease, heartbeats in the worker registry and saves its
    /// resume information. Keep it well below `leaseTTL`.
    public var heartbeatInterval: Duration
    /// How often a spare (a process holding no token) tries the tokens again.
    public var spareRetryInterval: Duration
    /// `compress=zlib-stream` on the gateway.
    public var gatewayCompression: Bool
    /// How long `music.voice.connect` waits for Discord's voice events before it reports the job
    /// failed (Discord does not answer a join it refuses: missing Connect, full channel).
    public var voiceConnectTimeout: Duration
    /// How long Lavalink keeps this worker's players playing after its connection drops, so a
    /// spare that takes over the token can resume them.
    public var lavalinkResumeTimeout: Duration
    /// How long a music job may wait to be carried out: for a Lavalink node and, after a
    /// takeover, for the players of the resumed sessions to be adopted; then, for play, update
    /// and leave, for the change to take effect (passing failures are retried within it). Past
    /// it the job is answered `jobFailed`. A join also has `voiceConnectTimeout` for Discord.
    /// Keep it below the masters' acknowledgement deadline, so members read the reason.
    public var jobTimeout: Duration
    /// `Client-Name` sent to Lavalink.
    public var clientName: String
    /// How often due reminders are looked for in the schedule.
    public var scheduleInterval: Duration
    /// What a graceful stop does. True (`anankor worker`): hands the token over — players play
    /// on, the gateway and Lavalink sessions are left resumable and their resume records kept, the
    /// lease released at once — so a spare takes over without joining again, and with no spare
    /// the masters stop the players and move the sessions as after a crash. False (`anankor run`,
    /// where nothing takes over): leaves every voice channel and forgets the resume records.
    public var handsOverOnStop: Bool = true

    /// - Parameters:
    ///   - leaseTTL: default 3 s: a killed holder's token is free 3 s after its last renewal, so a
    ///     spare holds it (and the masters notice a death with no spare) within 5 s.
    ///   - heartbeatInterval: default 1 s (a renewal may fail twice before the lease lapses).
    ///   - spareRetryInterval: default 500 ms, so a token released at a graceful shutdown is held
    ///     by a spare within a second (one lease read per configured token each time).
    ///   - gatewayCompression: default true.
    ///   - voiceConnectTimeout: default 10 s.
    ///   - lavalinkResumeTimeout: default 60 s.
    ///   - jobTimeout: default 4 s (the masters wait 5 s for an acknowledgement).
    public init(
        tokens: [BotToken], discordRESTBaseURL: String? = nil, lavalinkNodes: [LavalinkNodeSpec],
        holder: LeaseHolder, consumer: ConsumerName, leaseTTL: Duration = .seconds(3),
        heartbeatInterval: Duration = .seconds(1), spareRetryInterval: Duration? = nil,
        gatewayCompression: Bool = true, voiceConnectTimeout: Duration = .seconds(10),
        lavalinkResumeTimeout: Duration = .seconds(60), jobTimeout: Duration = .seconds(4),
        clientName: String = "Anankor/1.0", scheduleInterval: Duration = .seconds(1)
    ) {
        self.jobTimeout = jobTimeout
        self.scheduleInterval = scheduleInterval
        self.tokens = tokens
        self.discordRESTBaseURL = discordRESTBaseURL
        self.lavalinkNodes = lavalinkNodes
        self.holder = holder
        self.consumer = consumer
        self.leaseTTL = leaseTTL
        self.heartbeatInterval = heartbeatInterval
        self.spareRetryInterval = spareRetryInterval ?? min(.milliseconds(500), leaseTTL / 3)
        self.gatewayCompression = gatewayCompression
        self.voiceConnectTimeout = voiceConnectTimeout
        self.lavalinkResumeTimeout = lavalinkResumeTimeout
        self.clientName = clientName
    }

    /// A holder name for this process: `host:pid:nonce`, unique across restarts.
    public static func processHolder() -> LeaseHolder {
        let info = ProcessInfo.processInfo
        let nonce = UUID().uuidString.prefix(8).lowercased()
        return LeaseHolder("\(info.hostName):\(info.processIdentifier):\(nonce)")
    }
}
