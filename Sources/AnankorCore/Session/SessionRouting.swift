import Foundation

/// What routing needs to know about a guild at one moment.
public struct RoutingSnapshot: Sendable, Hashable {
    /// Live workers that are members of the guild and may connect and speak in the channel.
    public var live: [RoutingCandidate]
    /// Every binding in the guild (this session's own, if any, is ignored).
    public var bindings: [Binding]
    /// The worker last used in this channel.
    public var affinity: WorkerID?
    /// The guild's session cap.
    public var cap: Int

    public init(live: [RoutingCandidate], bindings: [Binding] = [], affinity: WorkerID? = nil, cap: Int = 5) {
        self.live = live
        self.bindings = bindings
        self.affinity = affinity
        self.cap = cap
    }

    public func isLive(_ worker: WorkerID) -> Bool { live.contains { $0.worker == worker } }
}

public struct RoutingCandidate: Sendable, Hashable {
    public var worker: WorkerID
    /// Sessions it plays (across guilds).
    public var load: Int
    /// The permissions it lacks in the session's voice channel, by their names in Discord's
    /// server settings; empty when it may connect and speak there (or nobody can tell yet).
    public var missing: [String]

    public init(worker: WorkerID, load: Int = 0, missing: [String] = []) {
        self.worker = worker
        self.load = load
        self.missing = missing
    }
}

/// Nobody can take the session; names the channels that are busy.
public enum RoutingRefusal: Error, Sendable, Hashable, Codable {
    case capReached(cap: Int, busy: [ChannelID])
    case noFreeWorker(busy: [ChannelID])
    /// Free workers exist, but none may connect and speak in the channel: `missing` names what
    /// they lack (each permission once, in the order first seen).
    case notPermitted(missing: [String])
}

/// Which worker plays a session (DESIGN §4 "Routing a command"), as a pure function: a live
/// worker of the guild that is not bound elsewhere in it, the channel's last worker first, then
/// the least loaded (ties by id, so every master picks the same one). A worker that may not
/// connect and speak in the channel is passed over for one that may. The adapter's atomic bind
/// still decides races between masters.
public enum SessionRouting {
    public static func choose(for session: SessionKey, in snapshot: RoutingSnapshot,
                              excluding excluded: Set<WorkerID> = []) -> Result<WorkerID, RoutingRefusal> {
        let others = snapshot.bindings.filter { $0.session != session }
            .sorted { $0.session.channel < $1.session.channel }
        let busy = others.map(\.session.channel)
        if others.count >= snapshot.cap { return .failure(.capReached(cap: snapshot.cap, busy: busy)) }
        let taken = Set(others.map(\.worker)).union(excluded)
        var free = snapshot.live.filter { !taken.contains($0.worker) }
        free.sort { ($0.load, $0.worker) < ($1.load, $1.worker) }
        let permitted = free.filter(\.missing.isEmpty)
        if permitted.isEmpty, !free.isEmpty {
            var missing: [String] = []
            for name in free.flatMap(\.missing) where !missing.contains(name) { missing.append(name) }
            return .failure(.notPermitted(missing: missing))
        }
        free = permitted
        if let affinity = snapshot.affinity, let preferred = free.first(where: { $0.worker == affinity }) {
            return .success(preferred.worker)
        }
        guard let first = free.first else { return .failure(.noFreeWorker(busy: busy)) }
        return .success(first.worker)
    }
}
