import Metrics
import Synchronization

/// Discord REST metrics for the whole process: every `DiscordREST` (the master's and each
/// worker bot's) adds to the same series, because Discord counts invalid requests per IP, not per
/// token. Labels are bounded: route templates, methods, status classes and the three scopes.
final class RESTMetrics: Sendable {
    static let shared = RESTMetrics()

    /// Discord's window for invalid requests (10 000 per 10 minutes bans the IP).
    static let invalidWindow: Duration = .seconds(600)
    private static let slot: Duration = .seconds(60)

    private struct State {
        var requests: [String: Counter] = [:]
        var timers: [String: Timer] = [:]
        /// Invalid requests per minute slot, oldest first: (slot start, count).
        var invalid: [(start: Duration, count: Int)] = []
    }

    private let state = Mutex(State())
    private let rateLimited: [String: Counter]
    private let invalidGauge: Gauge

    private init() {
        var rateLimited: [String: Counter] = [:]
        for scope in ["user", "global", "shared"] {
            rateLimited[scope] = Counter(label: "discord_rest_rate_limited_total", dimensions: [("scope", scope)])
        }
        self.rateLimited = rateLimited
        invalidGauge = Gauge(label: "discord_rest_invalid_requests")
        invalidGauge.record(0)
    }

    /// One answered attempt.
    func record(_ route: RESTRoute, status: Int, scope: String?, duration: Duration, now: Duration) {
        let statusClass = status == 429 ? "429" : "\(status / 100)xx"
        let method = route.verb.rawValue
        let key = "\(route.template)|\(statusClass)"
        let invalid = status == 401 || status == 403 || (status == 429 && scope != "shared")
        let (counter, timer, invalidCount) = state.withLock { state -> (Counter, Timer, Int) in
            let counter: Counter
            if let existing = state.requests[key] {
                counter = existing
            } else {
                counter = Counter(label: "discord_rest_requests_total", dimensions: [
                    ("method", method), ("route", route.template), ("status", statusClass),
                ])
                state.requests[key] = counter
            }
            let timer: Timer
            if let existing = state.timers[method] {
                timer = existing
            } else {
                timer = Timer(label: "discord_rest_request_seconds", dimensions: [("method", method)])
                state.timers[method] = timer
            }
            return (counter, timer, Self.countInvalid(&state.invalid, adding: invalid ? 1 : 0, now: now))
        }
        counter.increment()
        timer.record(duration: duration)
        // Discord names the scope of every 429; one without is counted as ours.
        if status == 429 { (scope.flatMap { rateLimited[$0] } ?? rateLimited["user"])?.increment() }
        invalidGauge.record(invalidCount)
    }

    /// Drops slots older than the window, adds `count` to the current one; returns the window's
    /// total.
    private static func countInvalid(_ slots: inout [(start: Duration, count: Int)], adding count: Int,
                                     now: Duration) -> Int {
        slots.removeAll { now - $0.start >= invalidWindow }
        if count > 0 {
            if let last = slots.last, now - last.start < slot {
                slots[slots.count - 1].count += count
            } else {
                slots.append((now, count))
            }
        }
        return slots.reduce(0) { $0 + $1.count }
    }
}
