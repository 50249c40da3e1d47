/// Track lengths and positions as members read and type them: `3:07`, `1:02:03`, `90s`, `2m`,
/// `1h2m3s`. Lavalink speaks milliseconds; members speak clock times.
public enum PlaybackTime {
    /// `m:ss` below an hour, `h:mm:ss` above; `LIVE` for streams (nil length).
    public static func format(milliseconds: Int64?) -> String {
        guard let milliseconds else { return "LIVE" }
        let totalSeconds = max(0, milliseconds) / 1000
        let hours = totalSeconds / 3600
        let minutes = (totalSeconds % 3600) / 60
        let seconds = totalSeconds % 60
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if hours > 0 { return "\(hours):\(pad(minutes)):\(pad(seconds))" }
        return "\(minutes):\(pad(seconds))"
    }

    /// Parses a position typed by a member. Returns nil for anything it cannot read, including
    /// negative values, out-of-range clock fields and values over 24 hours.
    public static func parse(_ text: String) -> Int64? {
        let input = String(text.lowercased().drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !input.isEmpty, input.count <= 16 else { return nil }
        let seconds: Int64?
        if input.contains(":") {
            seconds = parseClock(input)
        } else if input.allSatisfy(\.isNumber) {
            seconds = Int64(input)
        } else {
            seconds = parseUnits(input)
        }
        guard let seconds, seconds >= 0, seconds <= 86_400 else { return nil }
        return seconds * 1000
    }

    private static func parseClock(_ input: String) -> Int64? {
        let parts = input.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        var total: Int64 = 0
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty, part.count <= 2 || index == 0, part.allSatisfy(\.isNumber),
                let value = Int64(part)
            else { return nil }
            // Every field but the leading one is a 0–59 clock field.
            if index > 0, value > 59 { return nil }
            total = total * 60 + value
        }
        return total
    }

    private static func parseUnits(_ input: String) -> Int64? {
        var total: Int64 = 0
        var digits = ""
        var sawUnit = false
        for character in input where character != " " {
            if character.isNumber {
                digits.append(character)
                guard digits.count <= 6 else { return nil }
                continue
            }
            guard let value = Int64(digits) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty ? total : nil
    }
}
