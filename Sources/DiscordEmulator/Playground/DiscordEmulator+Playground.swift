/// The web playground (`/playground`): a page that looks like Discord's client and acts as any
/// member through the control API.
extension DiscordEmulator {
    /// The playground page, e.g. `http://127.0.0.1:8090/playground`.
    public var playgroundURL: String { baseURL + "/playground" }

    /// Adds a host's panels and actions to the playground (the sandbox's players, clock and faults).
    public func attachPlayground(_ host: any PlaygroundHost) async {
        await state.setPlaygroundHost(host)
    }

    /// What the playground page shows, as its live stream sends it
    /// (`GET /_emulator/playground/view`).
    public func playgroundView() async -> EmulatorJSON {
        await PlaygroundRoutes.view(state: state)
    }
}
