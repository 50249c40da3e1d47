import Foundation

/// A role members can sign up as (e.g. "tank"); `seats` nil means it only shares the lobby's seats.
public struct LobbyRole: Sendable, Hashable, Codable {
    public var name: String
    public var seats: Int?

    public init(name: String, seats: Int? = nil) {
        self.name = name
        self.seats = seats
    }

    /// Reads `tank:2, healer:2, dps` (a count after `:` is the role's own seat count). Names are
    /// trimmed, 1...32 characters, unique ignoring case; at most 10 roles. nil when unreadable.
    public static func parseList(_ text: String) -> [LobbyRole]? {
        var roles: [LobbyRole] = []
        for part in text.split(separator: ",") {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count <= 2 else { return nil }
            let name = fields[0].trimmingCharacters(in: .whitespaces)
            guard (1...32).contains(name.count), !name.contains(where: \.isNewline),
                !roles.contains(where: { $0.name.lowercased() == name.lowercased() })
            else { return nil }
            var seats: Int?
            if fields.count == 2 {
                guard let count = Int(fields[1].trimmingCharacters(in: .whitespaces)), (1...Lobby.maxSeats).contains(count)
                else { return nil }
                seats = count
            }
            roles.append(LobbyRole(name: name, seats: seats))
        }
        guard !roles.isEmpty, roles.count <= 10 else { return nil }
        return roles
    }
}

/// Someone signed up to a lobby, seated or on the bench.
public struct LobbyMember: Sendable, Hashable, Codable {
    public var user: UserID
    /// The role's name as the lobby spells it; nil when the lobby has no roles or none was picked.
    public var role: String?
    public var ready: Bool
    public var joinedAt: Date

    public init(user: UserID, role: String? = nil, ready: Bool = false, joinedAt: Date) {
        self.user = user
        self.role = role
        self.ready = ready
        self.joinedAt = joinedAt
    }
}

public enum LobbyState: String, Sendable, Hashable, Codable {
    case open, started, ended, cancelled

    /// Open or started: members can still sign up, leave and be reminded.
    public var isActive: Bool { self == .open || self == .started }
}

/// One `/game create` (DESIGN §5). Kept in the `StateStore` (hot coordination state shared by every
/// master); changed only through `LobbyStore.saveLobby`, which compares `version`.
public struct Lobby: Sendable, Hashable, Codable {
    public var id: LobbyID
    public var guild: GuildID
    /// Where the lobby message, reminders and notices are posted.
    public var textChannel: ChannelID
    /// The lobby message, edited in place as people sign up.
    public var message: MessageID?
    public var host: UserID
    public var title: String
    public var game: String?
    public var seats: Int
    public var roles: [LobbyRole]
    public var startAt: Date?
    /// The voice channel given at create, or the temporary one created at start.
    public var voiceChannel: ChannelID?
    /// True when `voiceChannel` was created for the lobby (deleted at its end).
    public var voiceIsTemporary: Bool
    /// A role given to participants while the lobby runs (removed at its end).
    public var tempRole: RoleID?
    /// Seconds before the start at which a reminder is posted (0: at start).
    public var reminderOffsets: [Int]
    /// Music to play in the lobby channel at start.
    public var musicQuery: String?
    /// Seated members, in sign-up order.
    public var participants: [LobbyMember]
    /// Members waiting for a seat, in sign-up order.
    public var bench: [LobbyMember]
    public var state: LobbyState
    public var createdAt: Date
    public var startedAt: Date?
    public var endedAt: Date?
    /// Members seen in the lobby's voice channel since the start (no-shows are the others).
    public var seenInVoice: [UserID]
    /// Since when the host of a started lobby has been seen outside its voice channel (nil: there,
    /// or not checked yet). Optional so that lobbies stored before it existed still decode.
    public var hostAwaySince: Date?
    /// The locale of channel posts.
    public var locale: DiscordLocale?
    /// The recurring series this lobby belongs to (`repeat:`); nil for a one-off lobby (and for
    /// lobbies stored before series existed).
    public var series: LobbySeries?
    /// The stored version this value was read at (0: never saved).
    public var version: Int

    public static let maxSeats = 99

    /// Lobby ids as `GameCommands` makes them (base-36 time and random suffix): a typed id that is
    /// not shaped so is refused before any lookup.
    public static func isWellFormedID(_ text: String) -> Bool {
        (1...32).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }
    public static let defaultReminderOffsets = [15 * 60, 0]

    public init(
        id: LobbyID, guild: GuildID, textChannel: ChannelID, host: UserID, title: String, game: String? = nil,
        seats: Int, roles: [LobbyRole] = [], startAt: Date? = nil, voiceChannel: ChannelID? = nil,
        tempRole: RoleID? = nil, reminderOffsets: [Int] = Lobby.defaultReminderOffsets, musicQuery: String? = nil,
        createdAt: Date, locale: DiscordLocale? = nil
    ) {
        self.id = id
        self.guild = guild
        self.textChannel = textChannel
        self.message = nil
        self.host = host
        self.title = title
        self.game = game
        self.seats = seats
        self.roles = roles
        self.startAt = startAt
        self.voiceChannel = voiceChannel
        self.voiceIsTemporary = false
        self.tempRole = tempRole
        self.reminderOffsets = reminderOffsets
        self.musicQuery = musicQuery
        self.participants = []
        self.bench = []
        self.state = .open
        self.createdAt = createdAt
        self.startedAt = nil
        self.endedAt = nil
        self.seenInVoice = []
        self.hostAwaySince = nil
        self.locale = locale
        self.series = nil
        self.version = 0
    }

    /// Everyone signed up, seated first, then the bench.
    public var signedUp: [LobbyMember] { participants + bench }

    public func member(_ user: UserID) -> LobbyMember? { signedUp.first { $0.user == user } }

    /// The role as the lobby spells it, matched ignoring case.
    public func role(named name: String) -> LobbyRole? {
        roles.first { $0.name.lowercased() == name.lowercased() }
    }

    /// When each reminder is due, earliest first: offsets before `startAt`, only those after `now`.
    public func reminderTimes(after now: Date) -> [(offset: Int, dueAt: Date)] {
        guard let startAt else { return [] }
        return Set(reminderOffsets).sorted(by: >).map { (offset: $0, dueAt: startAt.addingTimeInterval(-TimeInterval($0))) }
            .filter { $0.dueAt > now }
    }

    /// Reads `15m, 0` / `30, 5, 0` (minutes before the start; `0` = at start). At most 5, each ≤ 24 h.
    public static func parseReminderOffsets(_ text: String) -> [Int]? {
        var offsets: [Int] = []
        for part in text.split(separator: ",") {
            var word = part.trimmingCharacters(in: .whitespaces).lowercased()
            if word.hasSuffix("m") { word.removeLast() }
            guard let minutes = Int(word), (0...1440).contains(minutes) else { return nil }
            if !offsets.contains(minutes * 60) { offsets.append(minutes * 60) }
        }
        guard !offsets.isEmpty, offsets.count <= 5 else { return nil }
        return offsets.sorted(by: >)
    }
}
