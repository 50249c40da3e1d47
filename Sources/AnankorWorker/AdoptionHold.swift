import LavalinkKit
import Synchronization

/// One Lavalink node's player events while the players of its resumed session are adopted after
/// a takeover.
///
/// Right after a resumed `ready` the node replays what it queued while nobody was connected (a
/// track that ended during the takeover). Those events belong to players this worker does not
/// know yet, so they are held here, in order and bounded, and handed back once the players are
/// adopted. The node's reader never waits: it asks `admit` and either delivers the event itself
/// (`live`) or leaves it here; the adopter takes the held events with `drain` until none are
/// left, which is when the reader delivers again — so held events always come before later ones.
///
/// Lock-protected rather than an actor: `admit` must decide synchronously, in the reader's order.
final class AdoptionHold: Sendable {
    private struct State {
        var holding: Bool
        var adopted = false
        var held: [PlayerEvent] = []
        var dropped = 0
        /// Guilds whose player was adopted from this node but rebuilt on another one.
        var rebuiltElsewhere: Set<String> = []
    }

    /// The most events held; past it the oldest go (a node queues a few per player at most).
    let capacity: Int
    private let state: Mutex<State>

    /// - Parameter holding: true for a node whose Lavalink session this hold resumes: its
    ///   events are held from the start, since the replayed ones follow its first `ready` at once.
    init(holding: Bool, capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
        self.state = Mutex(State(holding: holding))
    }

    /// The node said `ready` with `resumed: true`: hold what follows unless its players were
    /// adopted already (a node that was unreachable at first and resumed late).
    func resumedReady() {
        state.withLock { state in
            if !state.adopted { state.holding = true }
        }
    }

    /// True when the caller delivers `event` now; false when it is held. The number of events
    /// dropped so far comes back when this one made the hold overflow (else nil).
    func admit(_ event: PlayerEvent) -> (deliverNow: Bool, droppedSoFar: Int?) {
        state.withLock { state in
            guard state.holding else { return (true, nil) }
            state.held.append(event)
            guard state.held.count > capacity else { return (false, nil) }
            state.held.removeFirst(state.held.count - capacity)
            state.dropped += 1
            return (false, state.dropped)
        }
    }

    /// The adopter records a player it rebuilt on another node: events the old copy queued
    /// still belong to the session.
    func rebuiltElsewhere(_ guildId: String) {
        _ = state.withLock { $0.rebuiltElsewhere.insert(guildId) }
    }

    func wasRebuiltElsewhere(_ guildId: String) -> Bool {
        state.withLock { $0.rebuiltElsewhere.contains(guildId) }
    }

    /// The held events, oldest first; nil once nothing is held, and from then on the reader
    /// delivers. `adopted` says whether the players were adopted (false: the node was given up
    /// for now, and a later resumed `ready` holds again).
    func drain(adopted: Bool) -> [PlayerEvent]? {
        state.withLock { state in
            guard state.held.isEmpty else {
                defer { state.held.removeAll() }
                return state.held
            }
            state.holding = false
            if adopted { state.adopted = true }
            return nil
        }
    }

    var isHolding: Bool { state.withLock { $0.holding } }
}

extension AdoptionHold {
    /// Whether a held event of a player rebuilt on another node is still reported: what the old
    /// copy played and ended before it was destroyed is the session's; the `cleanup` end of our
    /// own destroy and the old copy's voice close are not.
    static func reportsHeldEventOfRebuiltPlayer(_ event: PlayerEvent) -> Bool {
        switch event.kind {
        case .trackEnd(_, let reason): reason != .cleanup
        case .trackStart, .trackException, .trackStuck: true
        case .webSocketClosed, .plugin, .unknown: false
        }
    }
}
