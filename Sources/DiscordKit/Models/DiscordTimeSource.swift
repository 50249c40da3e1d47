/// Time as the rate limiters and the gateway see it: an offset from when the source was made,
/// and a way to sleep. Built from any `Clock`, so tests drive time with a manual clock.
public struct DiscordTimeSource: Sendable {
    public let now: @Sendable () -> Duration
    public let sleep: @Sendable (Duration) async throws -> Void

    public init<C: Clock>(clock: C) where C.Duration == Duration {
        let origin = clock.now
        self.now = { origin.duration(to: clock.now) }
        self.sleep = { duration in
            guard duration > .zero else { return }
            try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
        }
    }

    public static var continuous: DiscordTimeSource { DiscordTimeSource(clock: ContinuousClock()) }
}

extension Duration {
    /// Seconds as a floating-point value.
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// A duration from fractional seconds, clamped to something sane for hostile input.
    static func clampedSeconds(_ value: Double, max: Double = 3600) -> Duration {
        guard value.isFinite, value > 0 else { return .zero }
        return .milliseconds(Int64((Swift.min(value, max) * 1000).rounded(.up)))
    }
}
