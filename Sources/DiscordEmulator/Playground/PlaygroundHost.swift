/// What a program embedding the emulator adds to the web playground: its own panels (the
/// sandbox shows Lavalink players, its clock, faults and scenarios) and the actions behind them.
///
/// The playground page shows `panels()` under `host` in its live view and sends the actions its
/// controls name to `perform(_:_:)` through `POST /_emulator/playground/host/{action}`.
public protocol PlaygroundHost: Sendable {
    /// The host's state as the page shows it, read again for every live update; keep it cheap
    /// and free of secrets.
    func panels() async -> EmulatorJSON

    /// Carries out an action of the host's panels; the answer is shown to the person who asked.
    func perform(_ action: String, _ body: EmulatorJSON) async throws(PlaygroundHostError) -> EmulatorJSON
}

/// Why a host action was refused, in words for the person at the page.
public struct PlaygroundHostError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The playground's slice of the emulator's state: the attached host, if any.
struct PlaygroundState: Sendable {
    var host: (any PlaygroundHost)?
}
