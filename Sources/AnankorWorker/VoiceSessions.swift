import AnankorCore
import LavalinkKit
import Metrics

/// The worker's voice presence, one entry per guild (a bot is in at most one voice channel per
/// guild): the session key, the bridge that turns the bot's own Discord voice events into
/// Lavalink's voice update, the join in progress, and which queue entry each track it was told
/// to play belongs to, so Lavalink's events can be reported with the right entry id.
///
/// The actor only decides; the caller performs what its answers say (gateway op 4, Lavalink
/// calls, events), so no I/O runs while its state is borrowed.
actor VoiceSessions {
    /// How a join attempt ended.
    enum ConnectResult: Sendable, Hashable {
        case connected
        case failed(String)
    }

    /// What `beginConnect` asks the caller to do.
    enum ConnectStart: Sendable, Hashable {
        /// Already in that channel with the voice handed to Lavalink: nothing to do.
        case alreadyConnected
        /// Send op 4 for the session's channel, then wait for `attempt`.
        case join(attempt: UInt64)
    }

    /// What to do after the bot's own voice event.
    enum VoiceAction: Sendable, Hashable {
        case none
        /// Hand this voice state to the guild's Lavalink player, then report `voiceDelivered`.
        case sendVoice(LavalinkKit.VoiceState)
        /// Nobody asked the bot to leave: destroy the player and report the session as ended.
        case kicked(SessionKey)
        /// A moderator moved the bot: the session continues in `to`.
        case moved(from: SessionKey, to: ChannelID, voice: LavalinkKit.VoiceState?)
    }

    /// What to do after a join timed out.
    enum Abandon: Sendable, Hashable {
        /// The bot never got in: send op 4 with no channel in case Discord answers late.
        case leave
        /// The bot still has its previous channel (a move failed), or is in voice without Lavalink
        /// having the voice yet: keep the session.
        case keep
        /// The attempt is no longer current.
        case nothing
    }

    private struct TrackSlot {
        var encoded: String
        var entry: QueueEntryID
        var started: Bool
    }

    private struct GuildVoice {
        var session: SessionKey
        var textChannel: ChannelID?
        var selfDeaf: Bool
        var bridge = VoiceBridge()
        /// A channel the worker asked to join (op 4 sent) that Discord has not confirmed yet.
        var joining: ChannelID?
        /// Whether Discord ever confirmed the bot in a channel of this guild.
        var confirmed = false
        /// Whether Lavalink has the voice state of `session.channel`.
        var connected = false
        /// How many times Lavalink closed the voice connection: a delivery that began before a
        /// close must not mark the session connected when its answer comes after it.
        var closes: UInt64 = 0
        var attempt: (id: UInt64, channel: ChannelID)?
        /// Tracks handed to Lavalink, oldest first; bounded.
        var tracks: [TrackSlot] = []

        init(session: SessionKey, textChannel: ChannelID?, selfDeaf: Bool) {
            self.session = session
            self.textChannel = textChannel
            self.selfDeaf = selfDeaf
        }
    }

    /// The most tracks remembered per guild: the playing one, the one replacing it, and a few
    /// whose events may still arrive.
    private static let trackMemory = 8
    /// The key under which the entry id travels in Lavalink's `userData`.
    static let userDataEntryKey = "anankorEntry"

    nonisolated let attempts = AttemptWaiters<ConnectResult>()
    private var guilds: [GuildID: GuildVoice] = [:]
    /// The bot's last voice state in guilds without a session, so a player adopted after a
    /// takeover catches up with a kick or move the resumed gateway replayed before adoption.
    private var unclaimed: [GuildID: (channel: ChannelID?, sessionID: String)] = [:]
    /// Guilds the bot is leaving (a leave job sent op 4 while Discord had it in a channel): the
    /// next "no channel" voice state there is that leave's own, even when a join sent right
    /// behind it (a /play right after /leave) already began — not a kick.
    private var leaving: Set<GuildID> = []
    private let sessionsMeter: Meter

    init(sessionsMeter: Meter) {
        self.sessionsMeter = sessionsMeter
    }

    var count: Int { guilds.count }

    func session(in guild: GuildID) -> SessionKey? { guilds[guild]?.session }

    /// A leave of `session` that must change nothing: the bot is in another channel, or on its
    /// way to one (a session that took this bot after the leave was decided asked it to move;
    /// ending the join now would fail that session's connect).
    func isStaleLeave(_ session: SessionKey) -> Bool {
        guard let voice = guilds[session.guild] else { return false }
        if voice.session.channel != session.channel { return true }
        if let joining = voice.joining, joining != session.channel { return true }
        return false
    }

    var sessions: [SessionKey] { guilds.values.map(\.session) }

    /// Each session's guild and whether Discord confirmed the bot in voice (for metrics).
    var connections: [(guild: GuildID, connected: Bool)] { guilds.map { ($0.key, $0.value.connected) } }

    // MARK: Jobs

    /// A `music.voice.connect`: join `session`'s channel, or move there from another channel of
    /// the guild.
    func beginConnect(_ session: SessionKey, textChannel: ChannelID?, selfDeaf: Bool) -> ConnectStart {
        unclaimed[session.guild] = nil
        var voice = guilds[session.guild] ?? GuildVoice(session: session, textChannel: textChannel, selfDeaf: selfDeaf)
        if guilds[session.guild] == nil { sessionsMeter.increment() }
        if let textChannel { voice.textChannel = textChannel }
        voice.selfDeaf = selfDeaf
        if voice.session.channel == session.channel, voice.joining == nil, voice.connected {
            guilds[session.guild] = voice
            return .alreadyConnected
        }
        if let previous = voice.attempt { attempts.resolve(previous.id, with: .failed("superseded by another join")) }
        let attempt = attempts.makeAttempt()
        voice.attempt = (attempt, session.channel)
        voice.joining = session.channel
        if !voice.confirmed { voice.session = session }
        guilds[session.guild] = voice
        return .join(attempt: attempt)
    }

    /// Whether Discord confirmed the bot in `session`'s channel (what is left of a join is
    /// Lavalink taking the voice connection).
    func joinConfirmed(_ session: SessionKey) -> Bool {
        guard let voice = guilds[session.guild] else { return false }
        return voice.joining == nil && voice.confirmed && voice.session.channel == session.channel
    }

    /// A join that was not confirmed in time.
    func abandonConnect(_ guild: GuildID, attempt: UInt64) -> Abandon {
        guard var voice = guilds[guild], voice.attempt?.id == attempt else { return .nothing }
        voice.attempt = nil
        voice.joining = nil
        if !voice.confirmed {
            guilds[guild] = nil
            sessionsMeter.decrement()
            return .leave
        }
        guilds[guild] = voice
        return .keep
    }

    /// Forgets the guild's session (a leave job, a kick handled): its tracks and pending join.
    /// `leaving`: the caller sends op 4 to leave next (a leave job).
    @discardableResult
    func forget(_ guild: GuildID, leaving: Bool = false) -> SessionKey? {
        guard let voice = guilds.removeValue(forKey: guild) else { return nil }
        if leaving, voice.confirmed { self.leaving.insert(guild) }
        sessionsMeter.decrement()
        if let attempt = voice.attempt { attempts.resolve(attempt.id, with: .failed("the session was ended")) }
        return voice.session
    }

    /// Forgets everything (the token was given up); the gauge drops by what was held.
    func closeAll() {
        for voice in guilds.values {
            if let attempt = voice.attempt { attempts.resolve(attempt.id, with: .failed("the worker stopped")) }
        }
        sessionsMeter.decrement(by: Double(guilds.count))
        guilds.removeAll()
        leaving.removeAll()
    }

    // MARK: The bot's own voice events

    func botVoiceState(guild: GuildID, channel: ChannelID?, sessionID: String) -> VoiceAction {
        // Discord answers op 4 in order: once the bot is seen in a channel, the leave's own
        // "no channel" state has come and gone (or never will, if it was not in voice after all),
        // so a later one is a kick.
        let ownLeave = leaving.remove(guild) != nil && channel == nil
        guard var voice = guilds[guild] else {
            unclaimed[guild] = (channel, sessionID)
            return .none
        }
        guard let channel else {
            // A leave job's own, behind a join sent right after it: the join goes on.
            if ownLeave { return .none }
            // Leave jobs forget the session before sending op 4, so this one nobody asked for.
            _ = forget(guild)
            return .kicked(voice.session)
        }
        let bridged = voice.bridge.voiceStateUpdate(sessionId: sessionID, channelId: channel.description)
        voice.confirmed = true
        if channel == voice.joining {
            // The join or move the worker asked for.
            voice.joining = nil
            voice.session = SessionKey(guild: guild, channel: channel)
            voice.connected = false
            guilds[guild] = voice
            if case .sendVoice(let state) = bridged { return .sendVoice(state) }
            // A rejoin of the same channel may bring no new voice server: hand over what we have.
            if let state = voice.bridge.voiceState { return .sendVoice(state) }
            return .none
        }
        if channel == voice.session.channel {
            // Same channel (mute, deafen, a new voice session id).
            guilds[guild] = voice
            if case .sendVoice(let state) = bridged { return .sendVoice(state) }
            return .none
        }
        let from = voice.session
        voice.session = SessionKey(guild: guild, channel: channel)
        voice.connected = false
        guilds[guild] = voice
        if case .sendVoice(let state) = bridged { return .moved(from: from, to: channel, voice: state) }
        return .moved(from: from, to: channel, voice: nil)
    }

    func botVoiceServer(guild: GuildID, token: String, endpoint: String?) -> VoiceAction {
        guard var voice = guilds[guild] else { return .none }
        let bridged = voice.bridge.voiceServerUpdate(token: token, endpoint: endpoint)
        guilds[guild] = voice
        if case .sendVoice(let state) = bridged { return .sendVoice(state) }
        return .none
    }

    /// Where the guild's voice closes stand before a delivery to Lavalink begins; handed back to
    /// `voiceDelivered`.
    func deliveryStart(guild: GuildID) -> UInt64 { guilds[guild]?.closes ?? 0 }

    /// Lavalink accepted `state`, sent when the guild's closes stood at `closesBefore`: the
    /// session is connected and a join waiting for it succeeds — unless Lavalink closed the voice
    /// connection meanwhile, then the close stands and a waiting join fails (the next connect job
    /// joins again).
    func voiceDelivered(guild: GuildID, _ state: LavalinkKit.VoiceState, closesBefore: UInt64) {
        guard var voice = guilds[guild], state.channelId == voice.session.channel.description else { return }
        guard voice.closes == closesBefore else {
            if let attempt = voice.attempt, attempt.channel == voice.session.channel {
                voice.attempt = nil
                guilds[guild] = voice
                attempts.resolve(attempt.id, with: .failed("Lavalink closed the voice connection while it was joining"))
            }
            return
        }
        voice.connected = true
        if let attempt = voice.attempt, attempt.channel == voice.session.channel {
            voice.attempt = nil
            attempts.resolve(attempt.id, with: .connected)
        }
        guilds[guild] = voice
    }

    /// Lavalink refused the voice state (or no node is available).
    func voiceDeliveryFailed(guild: GuildID, reason: String) {
        guard var voice = guilds[guild], let attempt = voice.attempt else { return }
        voice.attempt = nil
        guilds[guild] = voice
        attempts.resolve(attempt.id, with: .failed(reason))
    }

    /// Lavalink lost the voice connection (WebSocketClosedEvent): the next connect job rejoins.
    func voiceConnectionClosed(guild: GuildID) {
        guilds[guild]?.connected = false
        guilds[guild]?.closes &+= 1
    }

    // MARK: Tracks

    /// Remembers that `encoded` now plays `entry` in the guild's session; nil without a session.
    func recordPlay(guild: GuildID, encoded: String, entry: QueueEntryID) -> SessionKey? {
        guard var voice = guilds[guild] else { return nil }
        voice.tracks.removeAll { $0.entry == entry }
        voice.tracks.append(TrackSlot(encoded: encoded, entry: entry, started: false))
        if voice.tracks.count > Self.trackMemory { voice.tracks.removeFirst(voice.tracks.count - Self.trackMemory) }
        guilds[guild] = voice
        return voice.session
    }

    /// TrackStart: the oldest not yet started slot of that track (or the one `userData` names).
    func trackStarted(guild: GuildID, encoded: String, userDataEntry: QueueEntryID?) -> (SessionKey, QueueEntryID)? {
        guard var voice = guilds[guild] else { return nil }
        let index = userDataEntry.flatMap { entry in voice.tracks.firstIndex { $0.entry == entry } }
            ?? voice.tracks.firstIndex { $0.encoded == encoded && !$0.started }
            ?? voice.tracks.lastIndex { $0.encoded == encoded }
        guard let index else { return userDataEntry.map { (voice.session, $0) } }
        voice.tracks[index].started = true
        guilds[guild] = voice
        return (voice.session, voice.tracks[index].entry)
    }

    /// TrackEnd: the oldest started slot of that track (a `replaced` end names the old entry,
    /// whose slot started before the new one's); the slot is forgotten.
    func trackEnded(guild: GuildID, encoded: String, userDataEntry: QueueEntryID?) -> (SessionKey, QueueEntryID)? {
        guard var voice = guilds[guild] else { return nil }
        let index = userDataEntry.flatMap { entry in voice.tracks.firstIndex { $0.entry == entry } }
            ?? voice.tracks.firstIndex { $0.encoded == encoded && $0.started }
            ?? voice.tracks.firstIndex { $0.encoded == encoded }
        guard let index else { return userDataEntry.map { (voice.session, $0) } }
        let entry = voice.tracks.remove(at: index).entry
        guilds[guild] = voice
        return (voice.session, entry)
    }

    /// TrackException / TrackStuck: the playing slot of that track.
    func trackEntry(guild: GuildID, encoded: String, userDataEntry: QueueEntryID?) -> (SessionKey, QueueEntryID)? {
        guard let voice = guilds[guild] else { return nil }
        if let userDataEntry { return (voice.session, userDataEntry) }
        let slot = voice.tracks.last { $0.encoded == encoded && $0.started } ?? voice.tracks.last { $0.encoded == encoded }
        return slot.map { (voice.session, $0.entry) }
    }

    // MARK: Taking over from an earlier holder

    /// A player found on a resumed Lavalink session: its guild becomes a session again, already
    /// connected (seeded with the voice state the player has). False when the guild has one.
    func adopt(_ session: SessionKey, voice state: LavalinkKit.VoiceState?, playing: (encoded: String, entry: QueueEntryID)?)
        -> Bool
    {
        guard guilds[session.guild] == nil else { return false }
        defer { unclaimed[session.guild] = nil }
        var voice = GuildVoice(session: session, textChannel: nil, selfDeaf: true)
        if let state {
            _ = voice.bridge.voiceStateUpdate(sessionId: state.sessionId, channelId: session.channel.description)
            _ = voice.bridge.voiceServerUpdate(token: state.token, endpoint: state.endpoint)
        }
        voice.confirmed = true
        voice.connected = state != nil
        if let playing { voice.tracks = [TrackSlot(encoded: playing.encoded, entry: playing.entry, started: true)] }
        guilds[session.guild] = voice
        sessionsMeter.increment()
        return true
    }

    /// The bot's voice state seen in `guild` while it had no session (nil when none was seen).
    func unclaimedVoiceState(in guild: GuildID) -> (channel: ChannelID?, sessionID: String)? { unclaimed[guild] }
}
