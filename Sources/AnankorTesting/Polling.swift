/// Waits until `condition` holds, checking it every `interval`; false once `timeout` has passed
/// without it holding, or at once when the waiting task is cancelled. Tests wait for a change
/// with this instead of sleeping a fixed time and hoping it happened.
public func poll(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(10),
                 until condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        do { try await clock.sleep(for: interval) } catch { return false }
    }
    return try await condition()
}
