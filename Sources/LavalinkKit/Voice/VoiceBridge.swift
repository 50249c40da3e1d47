/// Turns the bot's own Discord voice events for one guild into the `voice` part of a Lavalink
/// player update. Discord sends VOICE_STATE_UPDATE (session id, channel) and VOICE_SERVER_UPDATE
/// (token, endpoint) in either order; Lavalink needs all of them at once, and again whenever the
/// voice server changes. Plain values in, so it needs no Discord library.
public struct VoiceBridge: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Send this to the player (`PlayerUpdate(voice:)`).
        case sendVoice(VoiceState)
        /// Nothing to send yet (or nothing changed).
        case wait
        /// The bot left the voice channel: the player should be destroyed.
        case left
    }

    private var sessionId: String?
    private var channelId: String?
    private var token: String?
    private var endpoint: String?
    private var lastSent: VoiceState?

    public init() {}

    /// The bot's own VOICE_STATE_UPDATE for this guild. `channelId` nil means it left.
    public mutating func voiceStateUpdate(sessionId: String, channelId: String?) -> Action {
        guard let channelId else {
            self = VoiceBridge()
            return .left
        }
        self.sessionId = sessionId
        self.channelId = channelId
        return nextAction()
    }

    /// VOICE_SERVER_UPDATE for this guild. A nil endpoint means the voice server is gone and a new
    /// one will be announced: wait for it.
    public mutating func voiceServerUpdate(token: String, endpoint: String?) -> Action {
        guard let endpoint, !endpoint.isEmpty else {
            self.token = nil
            self.endpoint = nil
            return .wait
        }
        self.token = token
        self.endpoint = endpoint
        return nextAction()
    }

    /// The complete voice state, once both events have arrived.
    public var voiceState: VoiceState? {
        guard let sessionId, let channelId, let token, let endpoint else { return nil }
        return VoiceState(token: token, endpoint: endpoint, sessionId: sessionId, channelId: channelId)
    }

    private mutating func nextAction() -> Action {
        guard let state = voiceState, state != lastSent else { return .wait }
        lastSent = state
        return .sendVoice(state)
    }
}

extension VoiceBridge: CustomStringConvertible {
    /// The voice token stays out of logs.
    public var description: String {
        "VoiceBridge(sessionId: \(sessionId ?? "nil"), channelId: \(channelId ?? "nil"), endpoint: \(endpoint ?? "nil"), token: \(token == nil ? "nil" : "<redacted>"))"
    }
}
