import AnankorCore
import DiscordKit
import Foundation

/// How a worker's gateway and Lavalink sessions are saved in the state store (`ResumeInfo`, one
/// per bot and shard) so a process that takes the token over can resume them.
///
/// Lavalink session ids are per node; they are kept in shard 0's record as a JSON object
/// `{"node name": "session id"}`. A bare id (not JSON) is read as the first node's.
enum ResumeRecords {
    static func key(_ worker: WorkerID, shard: Int) -> ResumeKey { ResumeKey(bot: UserID(worker.rawValue), shard: shard) }

    static func gatewayState(_ info: ResumeInfo?) -> GatewayResumeState? {
        guard let info, let session = info.gatewaySessionID, !session.isEmpty else { return nil }
        return GatewayResumeState(sessionID: session, sequence: info.sequence, resumeURL: info.resumeGatewayURL)
    }

    /// Lavalink session ids by node name.
    static func lavalinkSessions(_ info: ResumeInfo?, nodeNames: [String]) -> [String: String] {
        info?.lavalinkSessions(nodeNames: nodeNames) ?? [:]
    }

    static func encodeLavalink(_ sessions: [String: String]) -> String? {
        guard !sessions.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(sessions)).flatMap { String(data: $0, encoding: .utf8) }
    }

    static func info(gateway: GatewayResumeState?, lavalink: String?, now: Date) -> ResumeInfo {
        ResumeInfo(gatewaySessionID: gateway?.sessionID, sequence: gateway?.sequence, resumeGatewayURL: gateway?.resumeURL,
                   lavalinkSessionID: lavalink, updatedAt: now)
    }
}
