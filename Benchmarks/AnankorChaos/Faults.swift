import Foundation

/// The faults the suite injects while members listen (docs/reliability.md describes each).
enum FaultKind: String, CaseIterable, Codable, Sendable {
    case workerKillWithSpare = "worker-kill9-with-spare"
    case workerKillNoSpare = "worker-kill9-no-spare"
    case workerTermWithSpare = "worker-sigterm-with-spare"
    case workerTermNoSpare = "worker-sigterm-no-spare"
    case workerKillNoFreeBot = "worker-kill9-no-free-bot"
    case workerTermNoFreeBot = "worker-sigterm-no-free-bot"
    case masterKillAlone = "master-kill9-alone"
    case masterKillOneOfTwo = "master-kill9-one-of-two"
    case redisDown5s = "redis-kill9-5s"
    case redisDown15s = "redis-kill9-15s"
    case redisDown30s = "redis-kill9-30s"
    case lavalinkNodeKill = "lavalink-node-kill9"
    case lavalinkNodeRestart = "lavalink-node-restart"
    case gatewayDrop = "gateway-drop"
    case trackEndsWhileWorkerDown = "track-ends-while-worker-down"
    case slowStore = "slow-store"

    var masters: Int { self == .masterKillOneOfTwo ? 2 : 1 }

    var spares: Int {
        switch self {
        case .workerKillNoSpare, .workerTermNoSpare, .workerKillNoFreeBot, .workerTermNoFreeBot: 0
        default: 1
        }
    }

    /// Kills or stops the worker of the victim lane.
    var hitsWorker: Bool {
        switch self {
        case .workerKillWithSpare, .workerKillNoSpare, .workerTermWithSpare, .workerTermNoSpare, .trackEndsWhileWorkerDown,
             .workerKillNoFreeBot, .workerTermNoFreeBot: true
        default: false
        }
    }

    /// Members are told the playback crashed (or the bot was stopped) and start it again with `/play`.
    var expectsNotice: Bool {
        [.workerKillNoSpare, .workerTermNoSpare, .workerKillNoFreeBot, .workerTermNoFreeBot].contains(self)
    }

    /// The world has one worker bot more than channels in each guild, so a bot is free when a
    /// worker dies; the no-free-bot faults have exactly one bot per channel, all of them busy.
    var leavesABotFree: Bool { self != .workerKillNoFreeBot && self != .workerTermNoFreeBot }

    /// With no free bot, the victim's process is started again this long after the fault (as its
    /// supervisor would, or an operator's restart), after the notice's promise: the members'
    /// `/play` then resumes the kept queue on the same bot.
    var restartsVictimAfter: Duration? { leavesABotFree ? nil : .seconds(6) }

    /// A spare takes the victim's token over.
    var expectsTakeover: Bool {
        self == .workerKillWithSpare || self == .workerTermWithSpare || self == .trackEndsWhileWorkerDown
    }

    /// How long Redis stays down.
    var redisOutage: Duration? {
        switch self {
        case .redisDown5s: .seconds(5)
        case .redisDown15s: .seconds(15)
        case .redisDown30s: .seconds(30)
        default: nil
        }
    }

    /// How long the fault's window lasts after the injection before the queues are drained fast.
    var window: Duration {
        if let outage = redisOutage { return outage + .seconds(15) }
        switch self {
        case .slowStore: return .seconds(20)
        case .masterKillAlone: return .seconds(25)
        default: return .seconds(20)
        }
    }

    /// The promise docs/reliability.md holds the fault to (shown beside the measured figures).
    var promise: String {
        switch self {
        case .workerKillWithSpare: "spare holds the token ≤ 5 s, ≤ 1 s of silence after it"
        case .workerTermWithSpare: "spare holds the token ≤ 1 s"
        case .workerKillNoSpare, .workerTermNoSpare: "another bot plays on; the dead bot's player stopped"
        case .workerKillNoFreeBot, .workerTermNoFreeBot:
            "crash notice ≤ 5 s; the dead bot's player stopped; /play resumes once its process is back"
        case .masterKillAlone: "queues and boards carry on; every interaction answered"
        case .masterKillOneOfTwo: "the other master runs the shard ≤ 10 s; queues and boards carry on; every interaction answered"
        case .redisDown5s, .redisDown15s, .redisDown30s: "every interaction answered; no session stuck after recovery"
        case .lavalinkNodeKill, .lavalinkNodeRestart: "players move ≤ 2 s with ≤ 0.5 s rewind"
        case .gatewayDrop: "sessions resume; no silence"
        case .trackEndsWhileWorkerDown: "the next track starts after the takeover; nothing lost or doubled"
        case .slowStore: "every interaction answered within 3 s"
        }
    }
}
