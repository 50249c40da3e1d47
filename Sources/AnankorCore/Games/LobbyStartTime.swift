import Foundation

/// Why a typed start time was refused; `input` is echoed back to the member (capped).
public struct StartTimeError: Error, Equatable, Sendable {
    public enum Code: Equatable, Sendable {
        /// Not a relative or absolute time this parser reads.
        case unreadable
        /// A zone name or offset that does not exist.
        case unknownTimeZone
        /// A fully specified time before now.
        case inPast
        /// Further ahead than a lobby may be scheduled.
        case tooFar
    }

    public var code: Code
    public var input: String

    init(_ code: Code, _ input: String) {
        self.code = code
        self.input = String(input.prefix(100))
    }
}

/// The start of a lobby, read from what a member typed: relative (`in 30m`, `1h 30m`,
/// `in 2 hours`, `now`) or absolute with an optional zone (`20:00`, `8:30pm Europe/Berlin`,
/// `tomorrow 20:00 UTC+2`, `2026-12-24 20:00 America/New_York`, `2026-12-24T19:00Z`). A clock time
/// without a date is the next such time in that zone. Shown to members with Discord timestamp
/// markup so each reader sees it in their own time zone.
public struct LobbyStartTime: Equatable, Sendable {
    public var date: Date
    /// The zone the text was read in: the one typed, else the default (also for relative times).
    /// A repeating lobby keeps its local wall-clock time in this zone.
    public var timeZone: TimeZone?

    public init(date: Date, timeZone: TimeZone? = nil) {
        self.date = date
        self.timeZone = timeZone
    }

    public var unixSeconds: Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    /// `<t:…:F>`: weekday, date and time in the reader's zone.
    public var fullMarkup: String { "<t:\(unixSeconds):F>" }
    /// `<t:…:R>`: "in 25 minutes" in the reader's language.
    public var relativeMarkup: String { "<t:\(unixSeconds):R>" }

    public static let maximumLeadTime: TimeInterval = 366 * 86_400

    public static func parse(
        _ text: String, now: Date, defaultTimeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) throws(StartTimeError) -> LobbyStartTime {
        guard text.count <= 100 else { throw StartTimeError(.unreadable, text) }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !tokens.isEmpty else { throw StartTimeError(.unreadable, text) }
        let date: Date
        var zone = defaultTimeZone
        if tokens.count == 1, tokens[0].lowercased() == "now" {
            date = now
        } else if let seconds = relativeSeconds(tokens) {
            date = now.addingTimeInterval(seconds)
        } else {
            (date, zone) = try absolute(tokens, original: text, now: now, defaultTimeZone: defaultTimeZone)
        }
        if date.timeIntervalSince(now) > maximumLeadTime { throw StartTimeError(.tooFar, text) }
        return LobbyStartTime(date: date, timeZone: zone)
    }

    // MARK: Relative

    static func relativeSeconds(_ tokens: [String]) -> TimeInterval? {
        var words = tokens.map { $0.lowercased() }
        if words.first == "in" { words.removeFirst() }
        guard !words.isEmpty else { return nil }
        // Split "1h30m" and "90minutes" into number/unit pieces; "1 hour 30 minutes" already is.
        var pieces: [String] = []
        for word in words {
            var current = ""
            for character in word {
                if let last = current.last, last.isNumber != character.isNumber {
                    pieces.append(current)
                    current = ""
                }
                current.append(character)
            }
            if !current.isEmpty { pieces.append(current) }
        }
        guard pieces.count.isMultiple(of: 2) else { return nil }
        var total: TimeInterval = 0
        for index in stride(from: 0, to: pieces.count, by: 2) {
            guard pieces[index].count <= 5, let value = Int(pieces[index]),
                let unit = unitSeconds(pieces[index + 1].trimmingCharacters(in: CharacterSet(charactersIn: ",")))
            else { return nil }
            total += TimeInterval(value) * unit
        }
        return total
    }

    private static func unitSeconds(_ unit: String) -> TimeInterval? {
        switch unit {
        case "s", "sec", "secs", "second", "seconds": 1
        case "m", "min", "mins", "minute", "minutes": 60
        case "h", "hr", "hrs", "hour", "hours": 3600
        case "d", "day", "days": 86_400
        default: nil
        }
    }

    // MARK: Absolute

    private struct ClockTime { var hour: Int; var minute: Int; var second: Int }
    private struct CalendarDate { var year: Int; var month: Int; var day: Int }

    private static func absolute(
        _ tokens: [String], original: String, now: Date, defaultTimeZone: TimeZone
    ) throws(StartTimeError) -> (Date, TimeZone) {
        var rest = tokens
        var day: CalendarDate?
        var dayOffset = 0
        var clock: ClockTime?
        var zone: TimeZone?

        // An ISO 8601 date-time in one token: 2026-12-24T19:00[:00][Z|±hh:mm].
        if rest.count == 1, rest[0].contains("T") || rest[0].contains("t") {
            let parts = rest[0].split(whereSeparator: { $0 == "T" || $0 == "t" }).map(String.init)
            guard parts.count == 2, let parsedDay = calendarDate(parts[0]) else {
                throw StartTimeError(.unreadable, original)
            }
            var timeText = parts[1]
            if timeText.hasSuffix("Z") || timeText.hasSuffix("z") {
                timeText.removeLast()
                zone = TimeZone(identifier: "UTC")
            } else if let sign = timeText.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                guard let offset = offsetZone(String(timeText[sign...])) else {
                    throw StartTimeError(.unknownTimeZone, original)
                }
                zone = offset
                timeText = String(timeText[..<sign])
            }
            day = parsedDay
            rest = [timeText]
        }

        for token in rest {
            let lower = token.lowercased()
            if day == nil, dayOffset == 0, lower == "today" { continue }
            if day == nil, dayOffset == 0, lower == "tomorrow" { dayOffset = 1; continue }
            if day == nil, let parsed = calendarDate(token) { day = parsed; continue }
            if clock == nil, let parsed = clockTime(lower) { clock = parsed; continue }
            if zone == nil, let parsed = timeZone(token) { zone = parsed; continue }
            // Something that looks like a zone but is none is worth its own message.
            if zone == nil, clock != nil, token.contains("/") || lower.hasPrefix("utc") || lower.hasPrefix("gmt")
                || lower.hasPrefix("+") || lower.hasPrefix("-")
            {
                throw StartTimeError(.unknownTimeZone, original)
            }
            throw StartTimeError(.unreadable, original)
        }
        guard let clock else { throw StartTimeError(.unreadable, original) }

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? defaultTimeZone
        var components: DateComponents
        if let day {
            components = DateComponents(year: day.year, month: day.month, day: day.day)
        } else {
            components = calendar.dateComponents([.year, .month, .day], from: now)
            components.day = (components.day ?? 1) + dayOffset
        }
        components.hour = clock.hour
        components.minute = clock.minute
        components.second = clock.second
        guard var date = calendar.date(from: components),
            // Calendar normalizes Feb 30 to Mar 2; a member who typed Feb 30 made a mistake.
            day == nil || calendar.component(.day, from: date) == day?.day
        else { throw StartTimeError(.unreadable, original) }
        if date < now {
            // A bare clock time means its next occurrence; a dated one in the past is an error.
            guard day == nil, dayOffset == 0,
                let tomorrow = calendar.date(byAdding: .day, value: 1, to: date)
            else { throw StartTimeError(.inPast, original) }
            date = tomorrow
        }
        return (date, calendar.timeZone)
    }

    private static func calendarDate(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count),
            (1...2).contains(parts[2].count),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `20:00`, `8:05:30`, `8pm`, `8:30am`, `20h`.
    private static func clockTime(_ text: String) -> ClockTime? {
        var body = Substring(text)
        var meridiem: String?
        for suffix in ["am", "pm"] where body.hasSuffix(suffix) {
            meridiem = suffix
            body = body.dropLast(2)
        }
        if meridiem == nil, body.hasSuffix("h"), body.dropLast().allSatisfy(\.isNumber) { body = body.dropLast() }
        let fields = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields.count > 1 || meridiem != nil || text.hasSuffix("h"),
            fields.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) }),
            var hour = Int(fields[0])
        else { return nil }
        let minute = fields.count > 1 ? Int(fields[1]) ?? -1 : 0
        let second = fields.count > 2 ? Int(fields[2]) ?? -1 : 0
        if let meridiem {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (meridiem == "pm" ? 12 : 0)
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return ClockTime(hour: hour, minute: minute, second: second)
    }

    private static func timeZone(_ text: String) -> TimeZone? {
        let upper = text.uppercased()
        if upper == "UTC" || upper == "GMT" || upper == "Z" { return TimeZone(identifier: "UTC") }
        for prefix in ["UTC", "GMT"] where upper.hasPrefix(prefix) {
            return offsetZone(String(upper.dropFirst(prefix.count)))
        }
        if text.hasPrefix("+") || text.hasPrefix("-") { return offsetZone(text) }
        guard text.contains("/") else { return nil }
        if let zone = TimeZone(identifier: text) { return zone }
        let lower = text.lowercased()
        return TimeZone.knownTimeZoneIdentifiers.first { $0.lowercased() == lower }
            .flatMap(TimeZone.init(identifier:))
    }

    /// `+2`, `-05:00`, `+0530`.
    private static func offsetZone(_ text: String) -> TimeZone? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard (1...4).contains(digits.count), digits.allSatisfy(\.isNumber) else { return nil }
        let hours: Int
        let minutes: Int
        if digits.count <= 2 {
            hours = Int(digits) ?? 99
            minutes = 0
        } else {
            hours = Int(digits.prefix(digits.count - 2)) ?? 99
            minutes = Int(digits.suffix(2)) ?? 99
        }
        guard hours <= 14, minutes <= 59 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }
}
