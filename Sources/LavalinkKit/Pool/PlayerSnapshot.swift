/// The last known state of a player, kept by the pool so the player can be rebuilt on another
/// node (or on the same node after its session was lost).
public struct PlayerSnapshot: Sendable, Hashable {
    public var guildId: String
    /// The node the player lives on; nil while it waits for a node.
    public var node: String?
    public var track: Track?
    /// Last reported position in milliseconds, and the node time of that report (Lavalink's
    /// `time`, epoch milliseconds on the node's clock: kept for display, never used to extrapolate,
    /// since the node's clock may be skewed against ours).
    public var position: Int64 = 0
    public var positionTime: Int64?
    /// When that report arrived, on the pool's monotonic clock: the only base for extrapolating.
    public var positionReceivedAt: Duration?
    /// Whether the node last said its voice connection was up (only then does the track move).
    public var connected = false
    public var endTime: Int64?
    public var volume: Int = 100
    public var paused: Bool = false
    public var filters: Filters = Filters()
    public var voice: VoiceState?

    public init(guildId: String, node: String?) {
        self.guildId = guildId
        self.node = node
    }

    /// Merges an update the node confirmed (or that waits for a node).
    mutating func apply(_ update: PlayerUpdate) {
        if let track = update.track {
            switch track {
            case .stop: self.track = nil
            case .userData(let data): self.track?.userData = data
            // Without the node's answer only the encoded form is known; metadata follows on TrackStart.
            case .encoded(let encoded, let userData):
                self.track = Track(encoded: encoded, info: Self.unknownInfo, userData: userData ?? .emptyObject)
                position = 0
            case .identifier:
                break
            }
        }
        if let position = update.position { self.position = position }
        switch update.endTime {
        case .milliseconds(let value)?: endTime = value
        case .clear?: endTime = nil
        case nil: break
        }
        if let volume = update.volume { self.volume = volume }
        if let paused = update.paused { self.paused = paused }
        if let filters = update.filters { self.filters = filters }
        if let voice = update.voice { self.voice = voice }
    }

    /// Takes what the node returned as the truth. `receivedAt` is when the answer arrived: the
    /// position in it is the node's position then, so extrapolation must count from that moment
    /// (counting from an older report would add the time before it twice).
    mutating func apply(_ player: Player, receivedAt: Duration) {
        positionReceivedAt = receivedAt
        track = player.track
        volume = player.volume
        paused = player.paused
        filters = player.filters
        position = player.state.position
        positionTime = player.state.time
        connected = player.state.connected
    }

    /// Where a playing track is now: the last reported position plus the time since that report
    /// arrived, at the playback rate (timescale speed × rate), never past the track's end.
    public func extrapolatedPosition(now: Duration) -> Int64 {
        guard let track, !paused, connected, let receivedAt = positionReceivedAt, now > receivedAt else { return position }
        let timescale = filters.timescale
        let rate = (timescale?.speed ?? 1) * (timescale?.rate ?? 1)
        let elapsed = now - receivedAt
        let elapsedMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let moved = position + Int64((elapsedMs * max(0, rate)).rounded(.down))
        guard !track.info.isStream, track.info.length > 0 else { return moved }
        return min(moved, track.info.length)
    }

    /// The update that recreates this player elsewhere: same track at the position it had reached
    /// when its audio stopped, volume, pause state and filters, and the voice connection.
    ///
    /// - Parameters:
    ///   - now: the pool's monotonic time of the move.
    ///   - audioStoppedAt: when the old node went silent for us (its websocket closed), nil when it
    ///     is not known to have stopped. A crashed or restarted node stopped playing then, not
    ///     now: extrapolating past it would skip the audio of the reconnect attempts.
    func restoringUpdate(now: Duration, audioStoppedAt: Duration? = nil) -> PlayerUpdate {
        let until = audioStoppedAt.map { min($0, now) } ?? now
        return PlayerUpdate(
            track: track.map { .encoded($0.encoded, userData: $0.userData) },
            position: track == nil ? nil : extrapolatedPosition(now: until),
            endTime: endTime.map { .milliseconds($0) },
            volume: volume,
            paused: paused,
            filters: filters,
            voice: voice
        )
    }

    static let unknownInfo = TrackInfo(
        identifier: "", isSeekable: false, author: "", length: 0, isStream: false, position: 0,
        title: "", uri: nil, artworkUrl: nil, isrc: nil, sourceName: ""
    )
}
