import Foundation

/// Votes to skip the entry that plays, and the one rule that counts them. With more than two
/// people listening, a member who may not skip outright (not a DJ, not the one who queued the
/// track) votes instead; the track is skipped once `share` percent of the listeners in the voice
/// channel have voted. Only voters still in the channel count, and the votes belong to one entry:
/// any track change drops them.
public struct SkipVotes: Sendable, Hashable, Codable {
    /// The entry the votes are for.
    public var entry: QueueEntryID
    /// Who voted, in the order they did, all still listening at the last count.
    public var voters: [UserID]
    /// The listeners at the last count (a vote or a voice change).
    public var listeners: Int
    /// The share of listeners that must vote, in percent (1...100).
    public var share: Int

    public init(entry: QueueEntryID, voters: [UserID], listeners: Int, share: Int) {
        self.entry = entry
        self.voters = voters
        self.listeners = listeners
        self.share = share
    }

    /// The default share: half of the listeners.
    public static let defaultShare = 50
    /// Up to this many listeners anyone in the channel skips without a vote.
    public static let votelessListeners = 2

    /// Votes needed for `listeners` at `share` percent: at least one, rounded up.
    public static func needed(listeners: Int, share: Int) -> Int {
        let share = min(max(share, 1), 100)
        return max(1, (listeners * share + 99) / 100)
    }

    public var needed: Int { Self.needed(listeners: listeners, share: share) }
    public var passed: Bool { voters.count >= needed }

    /// The same votes with only the voters in `present` (the humans in the channel now).
    public func counting(_ present: Set<UserID>) -> SkipVotes {
        SkipVotes(entry: entry, voters: voters.filter(present.contains), listeners: present.count, share: share)
    }

    enum CodingKeys: String, CodingKey {
        case entry = "e", voters = "u", listeners = "l", share = "s"
    }
}

/// What the master knows about a `/skip` vote when it hands it to the session: who listens in
/// the channel now (the humans; bots never count) and the share of them that must agree.
public struct SkipVoteContext: Sendable, Hashable {
    public var listeners: Set<UserID>
    /// Percent, 1...100 (the guild's setting, or the channel's override).
    public var share: Int
    /// `/skip to:` (1-based): skipping ahead is a DJ's call once a vote is needed.
    public var to: Int?

    public init(listeners: Set<UserID>, share: Int = SkipVotes.defaultShare, to: Int? = nil) {
        self.listeners = listeners
        self.share = share
        self.to = to
    }
}
