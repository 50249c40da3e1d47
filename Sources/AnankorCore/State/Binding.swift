import Foundation

/// A music session bound to the worker that plays it.
public struct Binding: Sendable, Hashable, Codable {
    public var session: SessionKey
    public var worker: WorkerID
    public var boundAt: Date

    public init(session: SessionKey, worker: WorkerID, boundAt: Date) {
        self.session = session
        self.worker = worker
        self.boundAt = boundAt
    }
}

/// The result of an atomic bind.
public enum BindOutcome: Sendable, Hashable {
    /// The session is now bound to the requested worker.
    case bound(Binding)
    /// The session was already bound (possibly to another worker): use that one.
    case existing(Binding)
    case refused(BindRefusal)

    /// The binding in force after the call, if any.
    public var binding: Binding? {
        switch self {
        case .bound(let binding), .existing(let binding): binding
        case .refused: nil
        }
    }
}

/// Why a bind was refused; carries what a localized reply needs.
public enum BindRefusal: Sendable, Hashable {
    /// The guild already has `cap` sessions; `busy` are their bindings (channel order).
    case guildFull(cap: Int, busy: [Binding])
    /// The worker already plays in another voice channel of this guild.
    case workerBusy(Binding)
}
