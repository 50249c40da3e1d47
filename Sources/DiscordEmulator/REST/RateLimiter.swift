/// Discord's REST rate limits: fixed-window buckets per bot, route and major parameter, plus a
/// global per-bot limit. Windows run on the emulator clock, so tests can advance past a reset.
struct RateLimiter: Sendable {
    struct Window: Sendable {
        var start: Duration
        var used: Int
    }

    struct Outcome: Sendable {
        let limit: Int
        let remaining: Int
        let resetAfter: Duration
        let allowed: Bool
        let global: Bool
    }

    private var buckets: [String: Window] = [:]
    private var globalWindows: [String: Window] = [:]

    mutating func take(
        caller: String, route: RESTRoute, majorParameter: String, globalLimit: Int, now: Duration
    ) -> Outcome {
        if route.countsGlobally {
            var window = globalWindows[caller] ?? Window(start: now, used: 0)
            if now - window.start >= .seconds(1) { window = Window(start: now, used: 0) }
            if window.used >= globalLimit {
                return Outcome(limit: globalLimit, remaining: 0, resetAfter: window.start + .seconds(1) - now,
                               allowed: false, global: true)
            }
            window.used += 1
            globalWindows[caller] = window
        }
        let key = "\(caller)|\(route.bucketHash)|\(majorParameter)"
        var window = buckets[key] ?? Window(start: now, used: 0)
        if now - window.start >= route.window { window = Window(start: now, used: 0) }
        let resetAfter = window.start + route.window - now
        guard window.used < route.limit else {
            return Outcome(limit: route.limit, remaining: 0, resetAfter: resetAfter, allowed: false, global: false)
        }
        window.used += 1
        buckets[key] = window
        return Outcome(limit: route.limit, remaining: route.limit - window.used, resetAfter: resetAfter,
                       allowed: true, global: false)
    }
}

/// Faults a test injected.
struct FaultPlan: Sendable {
    struct RouteFault: Sendable {
        /// `nil` matches every method.
        var method: String?
        /// Matches a route template (`/channels/{channel_id}/messages`) or any path containing it.
        var path: String
        var status: Int
        var remaining: Int
        var retryAfter: Double
        var global: Bool
    }

    struct Delay: Sendable {
        var path: String?
        var duration: Duration
        var remaining: Int
    }

    var routeFaults: [RouteFault] = []
    var delays: [Delay] = []

    /// Takes one matching fault, if any.
    mutating func takeFault(method: String, path: String, template: String) -> RouteFault? {
        guard let index = routeFaults.firstIndex(where: { fault in
            (fault.method == nil || fault.method == method)
                && (fault.path == template || path.contains(fault.path)) && fault.remaining > 0
        }) else { return nil }
        routeFaults[index].remaining -= 1
        let fault = routeFaults[index]
        if fault.remaining == 0 { routeFaults.remove(at: index) }
        return fault
    }

    mutating func takeDelay(path: String) -> Duration? {
        guard let index = delays.firstIndex(where: { $0.path.map { path.contains($0) } ?? true }) else { return nil }
        delays[index].remaining -= 1
        let duration = delays[index].duration
        if delays[index].remaining == 0 { delays.remove(at: index) }
        return duration
    }
}
