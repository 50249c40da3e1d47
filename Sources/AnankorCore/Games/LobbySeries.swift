import Foundation

/// How often a lobby repeats (`/game create … repeat:`). `none` is the option's default and is
/// never stored: a lobby without a series simply has none.
public enum LobbyRepeat: String, Sendable, Hashable, Codable, CaseIterable {
    case daily, weekly

    /// Calendar days between two lobbies of the series.
    public var days: Int {
        switch self {
        case .daily: 1
        case .weekly: 7
        }
    }
}

/// A recurring lobby: kept in every lobby of the series, so the next one can be made from the one
/// that ends — by whichever master closes it, after any restart. The other parts of the template
/// (game, seats, roles, channel, music, reminders, role, locale) are the lobby's own fields.
public struct LobbySeries: Sendable, Hashable, Codable {
    /// The first lobby's id; later lobbies' ids derive from it (`lobbyID(occurrence:)`), so two
    /// masters making "the next one" make the same lobby and the store keeps one.
    public var id: LobbyID
    public var rule: LobbyRepeat
    /// The zone whose wall-clock time the series keeps (an IANA name, or `GMT+0200` for offsets).
    public var timeZone: String
    /// The local start time in `timeZone`.
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 1 for the first lobby of the series.
    public var occurrence: Int
    /// Who created the series: every next lobby is theirs, whoever hosted the last one by the end.
    public var host: UserID
    /// Set by "stop the whole series": the lobby closes without a next one.
    public var stopped: Bool
    /// Set on a closed lobby once the next lobby of the series is saved. Until then the store
    /// keeps the closed lobby listed, so a sweep finishes the hand-on after a master crashed
    /// between closing this lobby and saving the next one.
    public var nextSaved: Bool

    /// A series starting with a lobby at `start`, read in `zone`.
    public init(id: LobbyID, rule: LobbyRepeat, start: Date, zone: TimeZone, host: UserID) {
        let local = Self.calendar(zone).dateComponents([.hour, .minute, .second], from: start)
        self.id = id
        self.rule = rule
        self.timeZone = zone.identifier
        self.hour = local.hour ?? 0
        self.minute = local.minute ?? 0
        self.second = local.second ?? 0
        self.occurrence = 1
        self.host = host
        self.stopped = false
        self.nextSaved = false
    }

    private enum CodingKeys: String, CodingKey {
        case id, rule, timeZone, hour, minute, second, occurrence, host, stopped, nextSaved
    }

    /// Series stored before `nextSaved` existed decode with it false.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(LobbyID.self, forKey: .id)
        rule = try container.decode(LobbyRepeat.self, forKey: .rule)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        hour = try container.decode(Int.self, forKey: .hour)
        minute = try container.decode(Int.self, forKey: .minute)
        second = try container.decode(Int.self, forKey: .second)
        occurrence = try container.decode(Int.self, forKey: .occurrence)
        host = try container.decode(UserID.self, forKey: .host)
        stopped = try container.decode(Bool.self, forKey: .stopped)
        nextSaved = try container.decodeIfPresent(Bool.self, forKey: .nextSaved) ?? false
    }

    /// The series' zone; UTC if the stored name is no longer known to this system.
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// `20:00`, the local start time as the series shows it.
    public var localTime: String {
        let clock = String(format: "%02d:%02d", hour, minute)
        return second == 0 ? clock : clock + String(format: ":%02d", second)
    }

    /// The start of the lobby after one that started (or was to start) at `previous`: the same
    /// local wall-clock time `rule.days` calendar days later in the series' zone — so a 20:00
    /// series stays at 20:00 across DST changes — stepped on until it is after `now` (a lobby that
    /// ran past the next start skips it rather than posting a lobby that has begun). A time that
    /// does not exist on that day (a DST gap) is moved forward by the gap, as Calendar does; the
    /// day after it is back at the series' time, since each step starts from the stored time.
    public func nextStart(after previous: Date, now: Date) -> Date {
        let calendar = Self.calendar(zone)
        var day = calendar.dateComponents([.year, .month, .day], from: previous)
        var next = previous
        // A bound only against nonsense (a lobby that ran for years): each pass moves a day or a week.
        for _ in 0..<1_000 {
            day.day = (day.day ?? 1) + rule.days
            var wanted = day
            wanted.hour = hour
            wanted.minute = minute
            wanted.second = second
            guard let date = calendar.date(from: wanted) else { break }
            // Normalize the day (Jan 32 → Feb 1) so the next step counts from a real date.
            day = calendar.dateComponents([.year, .month, .day], from: date)
            next = date
            if next > now { return next }
        }
        return max(next, now)
    }

    /// The id of the `occurrence`-th lobby of the series (the first keeps its own).
    public func lobbyID(occurrence: Int) -> LobbyID {
        occurrence <= 1 ? id : LobbyID("\(id)r\(String(occurrence, radix: 36))")
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}

extension Lobby {
    /// The next lobby of this one's series, as posted when this one closes: the same template,
    /// hosted by the series' host (signed up, as at create), the next start, nobody else signed
    /// up. A voice channel made for this lobby is gone by then, so the next one makes its own.
    /// nil while this lobby is active, without a series, or when the series was stopped.
    public func nextInSeries(now: Date) -> Lobby? {
        guard !state.isActive, var series, !series.stopped, let startAt else { return nil }
        series.occurrence += 1
        series.nextSaved = false
        var next = Lobby(
            id: series.lobbyID(occurrence: series.occurrence), guild: guild, textChannel: textChannel, host: series.host,
            title: title, game: game, seats: seats, roles: roles, startAt: series.nextStart(after: startAt, now: now),
            voiceChannel: voiceIsTemporary ? nil : voiceChannel, tempRole: tempRole, reminderOffsets: reminderOffsets,
            musicQuery: musicQuery, createdAt: now, locale: locale)
        next.series = series
        next.join(series.host, role: nil, now: now)
        return next
    }

    /// A closed lobby of a running series whose next lobby is not saved yet (see
    /// `LobbySeries.nextSaved`).
    public var awaitsNextInSeries: Bool {
        guard !state.isActive, let series, startAt != nil else { return false }
        return !series.stopped && !series.nextSaved
    }

    /// Whether the store lists this lobby in the guild's open list: active, or awaiting the next
    /// lobby of its series.
    public var isListed: Bool { state.isActive || awaitsNextInSeries }

    /// Records that the next lobby of the series is saved; false when there was nothing to record.
    @discardableResult
    public mutating func markNextSaved() -> Bool {
        guard awaitsNextInSeries else { return false }
        series?.nextSaved = true
        return true
    }

    /// "Stop the whole series": this lobby keeps its series (the board still says what it was)
    /// but no next lobby follows it. False when it has no series.
    @discardableResult
    public mutating func stopSeries() -> Bool {
        guard series != nil else { return false }
        series?.stopped = true
        return true
    }
}
