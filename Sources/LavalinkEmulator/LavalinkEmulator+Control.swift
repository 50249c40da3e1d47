/// The control API as Swift methods, for in-process tests. The same operations are served as
/// HTTP under `/_emulator/` (see docs/emulators/lavalink.md).
extension LavalinkEmulator {
    /// Moves virtual time forward and fires everything that falls due, before returning.
    public func advance(byMilliseconds milliseconds: Int64) async {
        clock.advance(by: milliseconds)
        await node.tick()
        wake.signal()
    }

    /// Changes the virtual clock's speed (0 = manual).
    public func setSpeed(_ speed: Double) async {
        clock.setSpeed(speed)
        await node.tick()
        wake.signal()
    }

    /// Every player of every session, with its position now.
    public func players() async -> [PlayerSnapshot] { await node.playerSnapshots() }

    public func player(guildId: String) async -> PlayerSnapshot? {
        await node.playerSnapshots().first { $0.guildId == guildId }
    }

    public func sessions() async -> [SessionSnapshot] { await node.sessionSnapshots() }

    /// Makes the next play of `identifier` suffer `fault` (faults queue per identifier).
    public func injectFault(_ fault: TrackFault, forIdentifier identifier: String) async {
        await node.injectFault(fault, identifier: identifier)
    }

    /// Loses the next `count` `TrackEndEvent`s (reason `finished`) of players in `guildId`: the track
    /// still ends and the player goes idle, but no client hears of it — a message lost on the way.
    public func dropTrackEnds(guildId: String, count: Int = 1) async {
        await node.dropTrackEnds(guildId: guildId, count: count)
    }

    /// When on, voice connections fail with `WebSocketClosedEvent` 4017 (DAVE required), as a
    /// node without end-to-end encrypted voice support sees it.
    public func setDaveRequired(_ required: Bool) async { await node.setDaveRequired(required) }

    /// The load figures `stats` reports.
    public func setLoad(_ load: NodeLoad) async { await node.setLoad(load) }

    /// One record per PATCH that started a track, with the wall-clock time it was received.
    public func trackStarts() async -> [TrackStartRecord] { await node.recordedTrackStarts() }

    /// Every track that played to its end, in order (auto-advance latency is measured from these).
    public func trackEnds() async -> [TrackEndRecord] { await node.recordedTrackEnds() }

    /// Simulates Discord closing a player's voice connection (e.g. 4006 session invalid).
    @discardableResult
    public func closeVoice(guildId: String, code: Int, reason: String, byRemote: Bool = true) async -> Bool {
        await node.closeVoice(guildId: guildId, sessionId: nil, code: code, reason: reason, byRemote: byRemote)
    }

    /// The plugins the node runs now.
    public func plugins() async -> EmulatedPlugins { node.plugins }

    /// Switches plugins on or off while the node runs (clients see the change in `/v4/info`).
    public func setPlugins(_ plugins: EmulatedPlugins) async { node.setPlugins(plugins) }
}
