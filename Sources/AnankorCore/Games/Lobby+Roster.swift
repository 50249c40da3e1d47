import Foundation

/// What a sign-up did.
public enum LobbyJoinOutcome: Sendable, Hashable {
    /// Took a seat.
    case seated
    /// Every fitting seat is taken: waiting on the bench at this 1-based place.
    case benched(place: Int)
    /// Already signed up with that role (nothing changed).
    case alreadyJoined
    /// The lobby has roles and none of them is called so.
    case unknownRole
    /// The lobby has ended or was cancelled.
    case closed
}

/// What a leave did.
public struct LobbyLeaveOutcome: Sendable, Hashable {
    /// False when the member was not signed up (nothing changed).
    public var left: Bool
    /// Bench members who took the freed seat, in order (usually one).
    public var promoted: [UserID]
    /// The host left and hosting passed to this member (the next one in sign-up order).
    public var newHost: UserID?

    public init(left: Bool, promoted: [UserID] = [], newHost: UserID? = nil) {
        self.left = left
        self.promoted = promoted
        self.newHost = newHost
    }
}

/// The roster policy: pure functions on a `Lobby`, applied by the master between a read and a
/// compare-and-set save, so concurrent sign-ups never overbook a seat.
extension Lobby {
    /// How many seated members hold `role` (nil: all seated members).
    public func seatedCount(role: String?) -> Int {
        guard let role else { return participants.count }
        return participants.filter { $0.role?.lowercased() == role.lowercased() }.count
    }

    /// Whether a member with `role` fits a free seat now (the lobby's seats and the role's own).
    public func hasSeat(for role: String?) -> Bool {
        guard participants.count < seats else { return false }
        guard let role, let limit = self.role(named: role)?.seats else { return true }
        return seatedCount(role: role) < limit
    }

    /// Signs `user` up: a seat when one fits, otherwise the bench (sign-up order). Signing up again
    /// with another role changes the role (the member's place is given up and taken again).
    @discardableResult
    public mutating func join(_ user: UserID, role requested: String?, now: Date) -> (LobbyJoinOutcome, promoted: [UserID]) {
        guard state.isActive else { return (.closed, []) }
        if requested == nil, member(user) != nil { return (.alreadyJoined, []) }
        var role: String?
        if let requested, !roles.isEmpty {
            guard let known = self.role(named: requested) else { return (.unknownRole, []) }
            role = known.name
        } else if !roles.isEmpty {
            // No role picked: the first role with a free seat, else the first role.
            role = roles.first { hasSeat(for: $0.name) }?.name ?? roles[0].name
        }
        var promoted: [UserID] = []
        if let existing = member(user) {
            if existing.role == role { return (.alreadyJoined, []) }
            promoted = leave(user).promoted
        }
        let member = LobbyMember(user: user, role: role, joinedAt: now)
        if hasSeat(for: role) {
            participants.append(member)
            return (.seated, promoted)
        }
        bench.append(member)
        return (.benched(place: bench.count), promoted)
    }

    /// Removes `user` (seated or benched); a freed seat goes to the first bench members who fit.
    /// A host who leaves hands hosting to the next member in sign-up order (seated first, then the
    /// bench); with nobody left the host stays, and the caller closes the lobby.
    @discardableResult
    public mutating func leave(_ user: UserID) -> LobbyLeaveOutcome {
        var outcome: LobbyLeaveOutcome
        if let index = bench.firstIndex(where: { $0.user == user }) {
            bench.remove(at: index)
            outcome = LobbyLeaveOutcome(left: true)
        } else if let index = participants.firstIndex(where: { $0.user == user }) {
            participants.remove(at: index)
            outcome = LobbyLeaveOutcome(left: true, promoted: promoteFromBench())
        } else {
            return LobbyLeaveOutcome(left: false)
        }
        if user == host, let next = signedUp.first?.user {
            host = next
            hostAwaySince = nil
            outcome.newHost = next
        }
        return outcome
    }

    /// Seats bench members, first signed up first, while seats fit them (a member whose role is
    /// full waits; a later one with a free role may pass).
    public mutating func promoteFromBench() -> [UserID] {
        var promoted: [UserID] = []
        var index = 0
        while index < bench.count, participants.count < seats {
            if hasSeat(for: bench[index].role) {
                participants.append(bench.remove(at: index))
                promoted.append(participants[participants.count - 1].user)
            } else {
                index += 1
            }
        }
        return promoted
    }

    /// Sets (or with nil toggles) a seated member's ready flag; nil when `user` has no seat.
    public mutating func setReady(_ user: UserID, _ ready: Bool?) -> Bool? {
        guard let index = participants.firstIndex(where: { $0.user == user }) else { return nil }
        participants[index].ready = ready ?? !participants[index].ready
        return participants[index].ready
    }

    /// The host, or anyone with Manage Events (or the guild's configured game-manager role), may
    /// start, end or cancel any lobby; others only manage their own sign-up.
    public func canManage(_ user: UserID, hasManageEvents: Bool) -> Bool {
        user == host || hasManageEvents
    }

    /// Seated members who are ready, in sign-up order.
    public var readyParticipants: [UserID] { participants.filter(\.ready).map(\.user) }

    /// Records that members were seen in the lobby's voice channel (for no-shows).
    public mutating func markSeenInVoice(_ users: some Sequence<UserID>) {
        for user in users where !seenInVoice.contains(user) { seenInVoice.append(user) }
    }

    /// The ledger record of a finished lobby: seated members (a no-show never appeared in the
    /// lobby's voice channel) and bench members who did play. Nil when it never started.
    public func summary(endedAt: Date) -> GameSessionSummary? {
        guard let startedAt else { return nil }
        let seen = Set(seenInVoice)
        var rows = participants.map {
            GameSessionSummary.Participant(user: $0.user, role: $0.role, noShow: !seen.contains($0.user))
        }
        rows += bench.filter { seen.contains($0.user) }.map {
            GameSessionSummary.Participant(user: $0.user, role: $0.role)
        }
        return GameSessionSummary(
            id: id.rawValue, guild: guild, title: title, game: game, host: host, startedAt: startedAt,
            endedAt: max(endedAt, startedAt), participants: Array(rows.prefix(GameSessionSummary.maxParticipants)))
    }
}
