import AnankorCore
import DiscordKit
import LavalinkKit
import Synchronization

/// What `WorkerService` reports about itself (`heldWorker`, `isReady`), written by the parts
/// that know: the lease holder, the gateway, the Lavalink event pump.
final class WorkerStatusBoard: Sendable {
    private struct State {
        var held: WorkerID?
        var gateway: ShardedGateway?
        var connectedNodes: Set<String> = []
        var pool: LavalinkNodePool?
    }

    private let state = Mutex(State())

    var heldWorker: WorkerID? { state.withLock { $0.held } }

    /// Lease held, every gateway shard ready, at least one Lavalink node connected.
    var isReady: Bool {
        let (held, gateway, nodes) = state.withLock { ($0.held, $0.gateway, $0.connectedNodes) }
        guard held != nil, let gateway, !nodes.isEmpty else { return false }
        return gateway.isConnected
    }

    func holding(_ worker: WorkerID, gateway: ShardedGateway?) {
        state.withLock { state in
            state.held = worker
            state.gateway = gateway
            state.connectedNodes = []
        }
    }

    /// The held bot's node pool, whose source breakers `/ready` shows.
    func playing(on pool: LavalinkNodePool) {
        state.withLock { $0.pool = pool }
    }

    /// One line per source breaker that is not closed (`SourceBreakers.Report.summary`).
    var degradedSources: [String] {
        let pool = state.withLock { $0.pool }
        return (pool?.breakerReports() ?? []).filter { !$0.isClosed }.map(\.summary)
    }

    func released() {
        state.withLock { $0 = State() }
    }

    func node(_ name: String, connected: Bool) {
        state.withLock { state in
            if connected { state.connectedNodes.insert(name) } else { state.connectedNodes.remove(name) }
        }
    }
}
