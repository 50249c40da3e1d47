/// Regions and failing sources, for tests that drive node placement and source breakers (also
/// served as HTTP: `GET /_emulator/node`, `POST /_emulator/region`, `POST /_emulator/sources/fail`).
extension LavalinkEmulator {
    /// The region the node says it runs in (nil: none).
    public func region() async -> String? { await node.region }

    public func setRegion(_ region: String?) async { await node.setRegion(region) }

    /// Makes `source` (a `sourceName`: `youtube`, `soundcloud`, `emulator`) fail: the next
    /// `failure.remaining` loads from it or plays of its tracks fail, then it works again.
    public func failSource(_ source: String, _ failure: SourceFailure) async {
        await node.failSource(source, failure)
    }

    /// `failSource` with the usual message ("Sign in to confirm you're not a bot", suspicious).
    public func failSource(_ source: String, times: Int) async {
        await node.failSource(source, SourceFailure(remaining: times))
    }

    /// Sources still made to fail, with the failures left.
    public func failingSources() async -> [String: SourceFailure] { await node.failingSources }
}
