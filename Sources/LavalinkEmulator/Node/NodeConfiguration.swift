/// What a node does, independent of where it listens.
public struct NodeConfiguration: Sendable {
    /// The `Authorization` value clients must send.
    public var password: String
    /// Virtual milliseconds between periodic `playerUpdate`s (Lavalink's default is 5 s).
    public var playerUpdateIntervalMs: Int64
    /// Virtual milliseconds between `stats` messages (one minute in Lavalink).
    public var statsIntervalMs: Int64
    /// lavaplayer's stuck threshold: how long a frozen track waits before `TrackStuckEvent`.
    public var trackStuckThresholdMs: Int64
    /// Let players progress without a voice connection. Real Lavalink does not (playback is
    /// pulled by the voice connection); switch this on only for tests that skip the voice step.
    public var progressWithoutVoice: Bool
    /// The version the node reports (`/version`, `/v4/info`).
    public var version: String
    /// Virtual milliseconds from a voice PATCH to the voice gateway being ready: until then the
    /// player reports `connected: false` and does not progress; then a `playerUpdate` follows,
    /// as Lavalink sends on koe's `gatewayReady`.
    public var voiceReadyDelayMs: Int64
    /// The plugins the node starts with (none by default); the control API switches them later.
    public var plugins: EmulatedPlugins
    /// Where the node says it runs (`GET /_emulator/node`), so a test or the sandbox can give
    /// its clients the matching region; Lavalink's protocol has no region.
    public var region: String?

    public init(
        password: String = "youshallnotpass",
        playerUpdateIntervalMs: Int64 = 5000,
        statsIntervalMs: Int64 = 60000,
        trackStuckThresholdMs: Int64 = 10000,
        progressWithoutVoice: Bool = false,
        version: String = "4.2.2",
        voiceReadyDelayMs: Int64 = 5,
        plugins: EmulatedPlugins = .none,
        region: String? = nil
    ) {
        self.plugins = plugins
        self.region = region
        self.password = password
        self.playerUpdateIntervalMs = max(1, playerUpdateIntervalMs)
        self.statsIntervalMs = max(1, statsIntervalMs)
        self.trackStuckThresholdMs = max(0, trackStuckThresholdMs)
        self.progressWithoutVoice = progressWithoutVoice
        self.version = version
        self.voiceReadyDelayMs = max(0, voiceReadyDelayMs)
    }
}
