import Synchronization

/// The emulator's playback time, in virtual milliseconds since the node started.
///
/// Virtual time runs at `speed` × real time (speed 1000 makes a 3-minute track end in 180 ms of
/// real time) and can be pushed forward by hand with `advance(by:)`. Speed 0 is a manual clock:
/// time moves only when a test advances it, which makes tests deterministic.
public final class VirtualClock: Sendable {
    private struct State {
        var anchorReal: ContinuousClock.Instant
        var anchorVirtual: Int64
        var speed: Double
    }

    private let state: Mutex<State>
    private let real = ContinuousClock()

    public init(speed: Double = 1) {
        state = Mutex(State(anchorReal: ContinuousClock.now, anchorVirtual: 0, speed: max(0, speed)))
    }

    /// Current virtual time in milliseconds.
    public var now: Int64 {
        state.withLock { Self.virtual(at: real.now, in: $0) }
    }

    public var speed: Double { state.withLock { $0.speed } }

    /// Changes the speed from now on; time already elapsed keeps its value.
    public func setSpeed(_ speed: Double) {
        state.withLock { state in
            let now = real.now
            state.anchorVirtual = Self.virtual(at: now, in: state)
            state.anchorReal = now
            state.speed = max(0, speed)
        }
    }

    /// Moves virtual time forward by `milliseconds` at once.
    public func advance(by milliseconds: Int64) {
        state.withLock { $0.anchorVirtual += max(0, milliseconds) }
    }

    /// How long real time must pass until virtual time reaches `target`; nil on a manual clock.
    func realDelay(until target: Int64) -> Duration? {
        state.withLock { state in
            guard state.speed > 0 else { return nil }
            let remaining = target - Self.virtual(at: real.now, in: state)
            if remaining <= 0 { return .zero }
            let microseconds = Double(remaining) * 1000 / state.speed
            return .microseconds(Int64(min(microseconds, 86_400_000_000)))
        }
    }

    private static func virtual(at instant: ContinuousClock.Instant, in state: State) -> Int64 {
        let elapsed = state.anchorReal.duration(to: instant)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return state.anchorVirtual + Int64(milliseconds * state.speed)
    }
}

/// Wakes the node's timer loop early when something changed its next deadline.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `signal()` or once `timeout` has passed (nil waits for a signal only).
    func wait(timeout: Duration?) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            if let timeout {
                group.addTask { try? await Task.sleep(for: timeout) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
