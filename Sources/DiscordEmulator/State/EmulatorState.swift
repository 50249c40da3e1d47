import Foundation
import Logging

/// The emulated Discord: the world, connected gateway sessions, interactions, what bots did,
/// injected faults and rate-limit buckets. One actor so every event has one well-defined order.
actor EmulatorState {
    let configuration: DiscordEmulatorConfiguration
    let clock: EmulatorClock
    let logger: Logger
    var world = WorldState()

    /// Set once the server listens: `http://host:port`.
    var baseURL = "http://127.0.0.1:0"
    var gatewayURL: String { baseURL.replacingOccurrences(of: "http://", with: "ws://") }

    var connections: [Int: GatewayConnectionState] = [:]
    var sessions: [String: GatewaySession] = [:]
    var nextConnectionID = 1
    var identifyCount = 0
    /// Last IDENTIFY per application and concurrency bucket (when `identifyWindow` is set).
    var lastIdentify: [String: Duration] = [:]

    var interactions: [UInt64: InteractionRecord] = [:]
    /// Interaction id by token (webhook routes address interactions by token).
    var interactionsByToken: [String: UInt64] = [:]
    var activity: [EmulatedActivity] = []
    var rateLimiter = RateLimiter()
    var faults = FaultPlan()
    var invalidRequests = InvalidRequestLimit()
    /// Applications whose heartbeats go unanswered (zombie connections, for client tests).
    var heartbeatAcksWithheld: Set<UInt64> = []
    /// The web playground's host (Playground/).
    var playground = PlaygroundState()

    init(configuration: DiscordEmulatorConfiguration, clock: EmulatorClock, logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    func setBaseURL(_ url: String) { baseURL = url }

    func newID() -> UInt64 { world.nextID(nowMillis: clock.wallClockMillis) }

    /// Appends to the log of what bots did, with the emulator's own timestamp.
    func record(_ kind: String, application: UInt64, _ details: JSON) {
        let entry = EmulatedActivity(
            id: activity.count + 1, at: clock.timestamp(), applicationID: application, kind: kind, details: details
        )
        activity.append(entry)
        logger.debug("bot activity", metadata: ["kind": "\(kind)", "application.id": "\(application)"])
    }

    func activity(applicationID: UInt64?, kind: String?, afterID: Int?) -> [EmulatedActivity] {
        activity.filter { entry in
            (applicationID == nil || entry.applicationID == applicationID)
                && (kind == nil || entry.kind == kind) && (afterID.map { entry.id > $0 } ?? true)
        }
    }
}

/// One thing a bot did, as the emulator saw it.
public struct EmulatedActivity: Sendable {
    /// Increasing from 1; pass the last one seen as `after` to read only newer entries.
    public let id: Int
    /// Emulator time, ISO 8601.
    public let at: String
    public let applicationID: UInt64
    /// e.g. `interaction_response`, `followup_created`, `original_edited`, `message_created`,
    /// `message_edited`, `message_deleted`, `member_moved`, `member_updated`, `role_added`,
    /// `role_removed`, `channel_created`, `channel_deleted`, `commands_overwritten`, `dm_created`,
    /// `voice_joined`, `voice_left`.
    public let kind: String
    public let details: EmulatorJSON

    var json: JSON {
        ["id": .int(Int64(id)), "at": .string(at), "application_id": .id(applicationID), "kind": .string(kind),
         "details": details]
    }
}
