import Foundation

/// What is remembered of a finished game session (DESIGN §5).
public struct GameSessionSummary: Sendable, Hashable, Codable {
    public struct Participant: Sendable, Hashable, Codable {
        public var user: UserID
        /// The role the participant picked in the lobby (e.g. "tank"), if any.
        public var role: String?
        /// Signed up but never showed up.
        public var noShow: Bool
        /// When they joined and left the session's voice channel; nil means start/end.
        public var joinedAt: Date?
        public var leftAt: Date?

        public init(user: UserID, role: String? = nil, noShow: Bool = false, joinedAt: Date? = nil, leftAt: Date? = nil) {
            self.user = user
            self.role = role
            self.noShow = noShow
            self.joinedAt = joinedAt
            self.leftAt = leftAt
        }
    }

    /// Unique within the guild (the lobby id).
    public var id: String
    public var guild: GuildID
    public var title: String
    /// The game played, used for favourites; nil for untitled activities.
    public var game: String?
    public var host: UserID
    public var startedAt: Date
    public var endedAt: Date
    public var participants: [Participant]

    /// A summary is written in one atomic step with one record per participant, which bounds
    /// the count (a DynamoDB transaction holds at most 100 items: the
    /// participants, the summary and an id marker).
    public static let maxParticipants = 98

    public init(
        id: String, guild: GuildID, title: String, game: String? = nil, host: UserID, startedAt: Date,
        endedAt: Date, participants: [Participant]
    ) {
        self.id = id
        self.guild = guild
        self.title = title
        self.game = game
        self.host = host
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.participants = participants
    }

    public func validate() throws(LedgerError) {
        guard !id.isEmpty, id.utf8.count <= 128, !id.contains(where: { $0.isNewline }) else {
            throw LedgerError(.invalidInput, "game session id must be 1...128 bytes on one line")
        }
        guard title.count <= 200, (game?.count ?? 0) <= 100 else {
            throw LedgerError(.invalidInput, "game session title (≤ 200) or game (≤ 100) too long")
        }
        guard startedAt <= endedAt, startedAt.timeIntervalSince1970 >= 0 else {
            throw LedgerError(.invalidInput, "a game session must end after it starts, after 1970")
        }
        guard participants.count <= Self.maxParticipants else {
            throw LedgerError(.invalidInput, "at most \(Self.maxParticipants) participants per summary")
        }
        guard Set(participants.map(\.user)).count == participants.count else {
            throw LedgerError(.invalidInput, "a participant is listed twice")
        }
    }

    /// Seconds `participant` spent in the session (0 for a no-show).
    public func secondsPlayed(by participant: Participant) -> Int64 {
        guard !participant.noShow else { return 0 }
        let from = max(participant.joinedAt ?? startedAt, startedAt)
        let to = min(participant.leftAt ?? endedAt, endedAt)
        return max(0, Int64(to.timeIntervalSince(from).rounded(.down)))
    }

    /// One record per participant, the rows per-user stats are computed from.
    public var participations: [GameParticipation] {
        participants.map { participant in
            GameParticipation(
                user: participant.user, guild: guild, sessionID: id, game: game, endedAt: endedAt,
                noShow: participant.noShow, secondsPlayed: secondsPlayed(by: participant))
        }
    }

    public var cursor: GameSessionCursor { GameSessionCursor(endedAt: endedAt.epochMilliseconds, id: id) }
}

/// One user's part in one session.
public struct GameParticipation: Sendable, Hashable, Codable {
    public var user: UserID
    public var guild: GuildID
    public var sessionID: String
    public var game: String?
    public var endedAt: Date
    public var noShow: Bool
    public var secondsPlayed: Int64

    public init(
        user: UserID, guild: GuildID, sessionID: String, game: String?, endedAt: Date, noShow: Bool,
        secondsPlayed: Int64
    ) {
        self.user = user
        self.guild = guild
        self.sessionID = sessionID
        self.game = game
        self.endedAt = endedAt
        self.noShow = noShow
        self.secondsPlayed = secondsPlayed
    }
}

/// Where a page of game sessions ended: sessions are ordered by end time, then id, descending.
/// Its text form (`<endedAtMs>:<id>`) is what a button or command carries between pages.
public struct GameSessionCursor: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public var endedAt: Int64
    public var id: String

    public init(endedAt: Int64, id: String) {
        self.endedAt = endedAt
        self.id = id
    }

    public var description: String { "\(endedAt):\(id)" }

    public init?(_ description: String) {
        guard let colon = description.firstIndex(of: ":"), let millis = Int64(description[..<colon]), millis >= 0
        else { return nil }
        let id = String(description[description.index(after: colon)...])
        guard !id.isEmpty, id.utf8.count <= 128 else { return nil }
        self.init(endedAt: millis, id: id)
    }
}

public struct GameSessionPage: Sendable, Hashable {
    public var summaries: [GameSessionSummary]
    /// The cursor for the next page; nil on the last page.
    public var next: GameSessionCursor?

    public init(summaries: [GameSessionSummary], next: GameSessionCursor?) {
        self.summaries = summaries
        self.next = next
    }

    public static let limits = 1...100
}

/// `/game stats [user]`.
public struct UserGameStats: Sendable, Hashable {
    public struct Favourite: Sendable, Hashable {
        public var game: String
        public var sessions: Int
        public var secondsPlayed: Int64

        public init(game: String, sessions: Int, secondsPlayed: Int64) {
            self.game = game
            self.sessions = sessions
            self.secondsPlayed = secondsPlayed
        }
    }

    public var user: UserID
    /// Sessions attended (no-shows excluded).
    public var sessionsPlayed: Int
    public var secondsPlayed: Int64
    /// Up to three games, most sessions first, then most time, then by name.
    public var favouriteGames: [Favourite]
    public var noShows: Int
    public var lastPlayedAt: Date?

    public init(
        user: UserID, sessionsPlayed: Int = 0, secondsPlayed: Int64 = 0, favouriteGames: [Favourite] = [],
        noShows: Int = 0, lastPlayedAt: Date? = nil
    ) {
        self.user = user
        self.sessionsPlayed = sessionsPlayed
        self.secondsPlayed = secondsPlayed
        self.favouriteGames = favouriteGames
        self.noShows = noShows
        self.lastPlayedAt = lastPlayedAt
    }

    /// Stats from a user's participation records; both adapters compute them this way.
    public static func tally(user: UserID, _ participations: some Sequence<GameParticipation>) -> UserGameStats {
        var stats = UserGameStats(user: user)
        var games: [String: Favourite] = [:]
        for participation in participations where participation.user == user {
            if participation.noShow {
                stats.noShows += 1
                continue
            }
            stats.sessionsPlayed += 1
            stats.secondsPlayed += participation.secondsPlayed
            stats.lastPlayedAt = max(stats.lastPlayedAt ?? participation.endedAt, participation.endedAt)
            if let game = participation.game, !game.isEmpty {
                games[game, default: Favourite(game: game, sessions: 0, secondsPlayed: 0)].sessions += 1
                games[game, default: Favourite(game: game, sessions: 0, secondsPlayed: 0)].secondsPlayed +=
                    participation.secondsPlayed
            }
        }
        stats.favouriteGames = Array(
            games.values.sorted {
                ($0.sessions, $0.secondsPlayed, $1.game) > ($1.sessions, $1.secondsPlayed, $0.game)
            }.prefix(3))
        return stats
    }
}
