import Foundation

// Stores keep times as integer milliseconds since 1970 (SQLite columns, Redis scores and
// arguments), so both adapters round the same way.
extension Date {
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    public init(epochMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000) }
}

extension Duration {
    /// Whole milliseconds (rounded down), at least 0.
    public var wholeMilliseconds: Int64 {
        let parts = components
        return max(0, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)
    }
}

extension Duration {
    /// The duration in seconds, fractions included (for `Date` arithmetic and metrics).
    public var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
