import Foundation
import Synchronization

/// The emulator's notion of time: the real clock plus an offset a test can advance, so the
/// 3-second interaction deadline, 15-minute tokens and rate-limit windows are testable without
/// sleeping.
public final class EmulatorClock: Sendable {
    private let offset = Mutex<Duration>(.zero)
    private let origin = ContinuousClock.now
    private let originDate = Date()
    private let followsRealTime: Bool

    /// - Parameter followsRealTime: false freezes time except for `advance(by:)`.
    public init(followsRealTime: Bool = true) {
        self.followsRealTime = followsRealTime
    }

    /// Moves emulated time forward.
    public func advance(by duration: Duration) {
        offset.withLock { $0 += duration }
    }

    /// Monotonic time since the clock was created (plus advances).
    var elapsed: Duration {
        (followsRealTime ? ContinuousClock.now - origin : .zero) + offset.withLock { $0 }
    }

    /// Wall-clock time as the emulator reports it (timestamps, X-RateLimit-Reset).
    var wallClock: Date {
        let shift = offset.withLock { $0 }
        return (followsRealTime ? Date() : originDate).addingTimeInterval(shift.seconds)
    }

    /// Wall-clock Unix milliseconds with sub-millisecond precision: the benchmark's timestamps.
    var unixMillis: Double { wallClock.timeIntervalSince1970 * 1000 }

    var wallClockMillis: UInt64 { UInt64(max(0, wallClock.timeIntervalSince1970 * 1000)) }

    /// ISO 8601 with milliseconds and an explicit offset, as Discord writes timestamps.
    func timestamp() -> String { Self.format(wallClock) }

    static func format(_ date: Date) -> String {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return date.formatted(style).replacingOccurrences(of: "Z", with: "+00:00")
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
