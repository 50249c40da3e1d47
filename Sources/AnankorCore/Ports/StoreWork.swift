/// Whether the store calls of the current task are periodic background work (heartbeats, lease
/// renewals, reconciliation passes, the lobby watch) rather than work a member's command or a
/// worker event caused. The adapters label `anankor_store_round_trips_total` with it
/// (`origin="periodic"` or `"command"`), so the round trips a command costs can be read apart
/// from what a process spends while nothing happens.
public enum StoreWork {
    @TaskLocal public static var isPeriodic = false

    /// Runs `work` with its store calls counted as periodic.
    public static func periodic<T>(_ work: () async throws -> T) async throws -> T {
        try await $isPeriodic.withValue(true) { try await work() }
    }

    /// Runs `work` with its store calls counted as periodic.
    public static func periodic<T>(_ work: () async -> T) async -> T {
        await $isPeriodic.withValue(true) { await work() }
    }

    /// The `origin` label value of the current task's store calls.
    public static var origin: String { isPeriodic ? "periodic" : "command" }
}
