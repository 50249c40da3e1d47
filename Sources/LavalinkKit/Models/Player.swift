/// The state Lavalink reports for a player (in `playerUpdate` and in the Player object).
public struct PlayerState: Sendable, Hashable, Codable {
    /// Server time of the report, Unix epoch milliseconds.
    public var time: Int64
    /// Track position in milliseconds.
    public var position: Int64
    /// Whether the node is connected to Discord's voice gateway.
    public var connected: Bool
    /// Round trip to the voice server in milliseconds, -1 when not connected.
    public var ping: Int64

    public init(time: Int64, position: Int64, connected: Bool, ping: Int64) {
        self.time = time
        self.position = position
        self.connected = connected
        self.ping = ping
    }
}

/// What Lavalink needs to join a Discord voice channel. Lavalink ≥ 4.2 requires `channelId`
/// (Discord's end-to-end encrypted voice needs it).
public struct VoiceState: Sendable, Hashable, Codable {
    public var token: String
    public var endpoint: String
    public var sessionId: String
    public var channelId: String?

    public init(token: String, endpoint: String, sessionId: String, channelId: String?) {
        self.token = token
        self.endpoint = endpoint
        self.sessionId = sessionId
        self.channelId = channelId
    }
}

extension VoiceState: CustomStringConvertible {
    /// The voice token authorises joining the channel, so it stays out of logs.
    public var description: String {
        "VoiceState(endpoint: \(endpoint), sessionId: \(sessionId), channelId: \(channelId ?? "nil"), token: <redacted>)"
    }
}

/// A player as the REST API returns it.
public struct Player: Sendable, Hashable, Codable {
    public var guildId: String
    public var track: Track?
    /// 0–1000 (percent).
    public var volume: Int
    public var paused: Bool
    public var state: PlayerState
    /// Lavalink sends empty strings for fields it has not received yet.
    public var voice: VoiceState?
    public var filters: Filters

    enum CodingKeys: String, CodingKey { case guildId, track, volume, paused, state, voice, filters }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guildId = try container.decode(String.self, forKey: .guildId)
        track = try container.decodeIfPresent(Track.self, forKey: .track)
        volume = try container.decode(Int.self, forKey: .volume)
        paused = try container.decode(Bool.self, forKey: .paused)
        state = try container.decode(PlayerState.self, forKey: .state)
        voice = try? container.decodeIfPresent(VoiceState.self, forKey: .voice)
        filters = (try? container.decodeIfPresent(Filters.self, forKey: .filters)) ?? Filters()
    }
}

/// The body of `PATCH /v4/sessions/{id}/players/{guild}`. Every field is optional: only what is
/// set is sent. `stop()` and `clearEndTime()` send the explicit JSON nulls Lavalink gives meaning to.
public struct PlayerUpdate: Sendable, Hashable {
    /// What to do with the track.
    public enum TrackChange: Sendable, Hashable {
        /// Play this encoded track (with optional user data echoed back in events).
        case encoded(String, userData: JSONValue? = nil)
        /// Resolve and play this identifier (must resolve to one track, else HTTP 400).
        case identifier(String, userData: JSONValue? = nil)
        /// Stop the current track (`"encoded": null`).
        case stop
        /// Only change the user data of the current track.
        case userData(JSONValue)
    }

    public enum EndTime: Sendable, Hashable {
        case milliseconds(Int64)
        /// Remove a previously set end time (`"endTime": null`).
        case clear
    }

    public var track: TrackChange?
    /// Milliseconds; with a new track, its start position; otherwise a seek.
    public var position: Int64?
    public var endTime: EndTime?
    /// 0–1000.
    public var volume: Int?
    public var paused: Bool?
    /// Replaces all filters of the player.
    public var filters: Filters?
    public var voice: VoiceState?

    public init(
        track: TrackChange? = nil, position: Int64? = nil, endTime: EndTime? = nil, volume: Int? = nil,
        paused: Bool? = nil, filters: Filters? = nil, voice: VoiceState? = nil
    ) {
        self.track = track
        self.position = position
        self.endTime = endTime
        self.volume = volume
        self.paused = paused
        self.filters = filters
        self.voice = voice
    }

    public static func play(_ track: Track, at position: Int64? = nil) -> PlayerUpdate {
        PlayerUpdate(track: .encoded(track.encoded, userData: nil), position: position)
    }

    public static let stop = PlayerUpdate(track: .stop)
}

extension PlayerUpdate: Encodable {
    enum CodingKeys: String, CodingKey { case track, position, endTime, volume, paused, filters, voice }
    enum TrackKeys: String, CodingKey { case encoded, identifier, userData }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let track {
            var nested = container.nestedContainer(keyedBy: TrackKeys.self, forKey: .track)
            switch track {
            case .encoded(let encoded, let userData):
                try nested.encode(encoded, forKey: .encoded)
                try nested.encodeIfPresent(userData, forKey: .userData)
            case .identifier(let identifier, let userData):
                try nested.encode(identifier, forKey: .identifier)
                try nested.encodeIfPresent(userData, forKey: .userData)
            case .stop:
                try nested.encodeNil(forKey: .encoded)
            case .userData(let userData):
                try nested.encode(userData, forKey: .userData)
            }
        }
        try container.encodeIfPresent(position, forKey: .position)
        switch endTime {
        case .milliseconds(let value)?: try container.encode(value, forKey: .endTime)
        case .clear?: try container.encodeNil(forKey: .endTime)
        case nil: break
        }
        try container.encodeIfPresent(volume, forKey: .volume)
        try container.encodeIfPresent(paused, forKey: .paused)
        try container.encodeIfPresent(filters, forKey: .filters)
        try container.encodeIfPresent(voice, forKey: .voice)
    }
}

/// Body and response of `PATCH /v4/sessions/{id}`.
public struct SessionConfiguration: Sendable, Hashable, Codable {
    public var resuming: Bool
    /// Seconds the node keeps the session (and its players) after the websocket drops.
    public var timeout: Int

    public init(resuming: Bool, timeout: Int) {
        self.resuming = resuming
        self.timeout = timeout
    }
}
