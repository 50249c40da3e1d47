import Foundation

/// What a host check of a started lobby found (see `Lobby.checkHost`).
public enum LobbyHostCheck: Sendable, Hashable {
    /// The host is back in the lobby's voice channel (the away mark is cleared).
    case back
    /// The host was just seen away; the grace period starts.
    case away
    /// The host stayed away past the grace period: hosting passed to this member, who is in the
    /// lobby's voice channel.
    case handedOver(to: UserID)
    /// The host stayed away past the grace period and no one signed up is in the lobby's voice
    /// channel: the lobby should end (nothing was changed; closing is the caller's compare-and-set).
    case abandoned
}

/// How long lobbies live, as pure rules the master applies between a read and a compare-and-set.
extension Lobby {
    /// When an active lobby times out: a started one `maxDuration` after its start; an open one
    /// `openExpiry` after its start time, or after its creation when it has none. nil once closed.
    public func timesOut(maxDuration: TimeInterval, openExpiry: TimeInterval) -> Date? {
        switch state {
        case .started: (startedAt ?? createdAt).addingTimeInterval(maxDuration)
        case .open: (startAt ?? createdAt).addingTimeInterval(openExpiry)
        case .ended, .cancelled: nil
        }
    }

    /// Judges a started lobby's host against who is in its voice channel now. Returns nil when
    /// nothing changed (no save needed): the host is there and was not marked away, or is still
    /// within the grace period. A hand-over picks the first member in sign-up order who is present.
    public mutating func checkHost(present: Set<UserID>, now: Date, grace: TimeInterval) -> LobbyHostCheck? {
        guard state == .started, voiceChannel != nil else { return nil }
        if present.contains(host) {
            guard hostAwaySince != nil else { return nil }
            hostAwaySince = nil
            return .back
        }
        guard let since = hostAwaySince else {
            hostAwaySince = now
            return .away
        }
        guard now.timeIntervalSince(since) >= grace else { return nil }
        guard let next = signedUp.first(where: { $0.user != host && present.contains($0.user) })?.user else {
            return .abandoned
        }
        host = next
        hostAwaySince = nil
        return .handedOver(to: next)
    }
}
