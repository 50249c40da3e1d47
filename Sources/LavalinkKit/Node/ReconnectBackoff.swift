import Foundation

/// Exponential backoff with jitter between reconnect attempts. The random source is injectable so
/// tests get exact delays.
public struct ReconnectBackoff: Sendable {
    /// Delay before the first retry.
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var multiplier: Double
    /// Fraction of each delay that is random: 0 = none, 1 = anywhere between 0 and the delay.
    /// Spreads reconnects of many clients after a node restart.
    public var jitter: Double
    /// Returns a value in 0..<1.
    public var random: @Sendable () -> Double

    public init(
        initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(30), multiplier: Double = 2,
        jitter: Double = 0.5, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
        self.random = random
    }

    /// The delay before retry number `attempt` (0 for the first retry).
    public func delay(attempt: Int) -> Duration {
        let initial = initialDelay.seconds
        let maximum = maximumDelay.seconds
        // Cap the exponent so large attempt numbers cannot overflow to infinity.
        let exponential = initial * pow(multiplier, Double(min(max(attempt, 0), 64)))
        let capped = min(exponential.isFinite ? exponential : maximum, maximum)
        let draw = min(max(random(), 0), 1)
        let seconds = capped * (1 - jitter) + capped * jitter * draw
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
