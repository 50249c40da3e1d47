import AnankorCore
import DiscordKit
import LavalinkKit
import Logging

/// `music.voice.connect`, `music.voice.leave`, `music.playback.play`, `music.player.update`.
extension WorkerBot {
    /// Joins (or moves to) the session's channel and waits until Lavalink has the voice
    /// connection. Discord does not answer a join it refuses, so no answer in time is a failure.
    func connect(_ job: VoiceConnectJob, logger: Logger) async throws {
        let guild = job.session.guild
        if let categories = job.sponsorBlock { sponsorBlockGiven.withLock { $0[guild] = categories } }
        guard await membership.mayBeMember(guild) else {
            throw JobFailure.refused("the worker bot is not a member of guild \(guild)")
        }
        guard case .join(let attempt) = await voice.beginConnect(job.session, textChannel: job.textChannel,
                                                                   selfDeaf: job.selfDeaf)
        else { return }
        do {
            try await gateway.updateVoiceState(VoiceStateUpdate(
                guildID: Snowflake(guild.rawValue), channelID: Snowflake(job.session.channel.rawValue),
                selfMute: false, selfDeaf: job.selfDeaf))
        } catch {
            voice.attempts.discard(attempt)
            _ = await voice.abandonConnect(guild, attempt: attempt)
            throw error
        }
        let timeout = context.configuration.voiceConnectTimeout
        switch await voice.attempts.wait(for: attempt, timeout: timeout, on: context.time) {
        case .connected?:
            logger.info("joined voice")
        case .failed(let reason)?:
            throw JobFailure.refused(reason)
        case nil:
            // Stopping (lease lost, death): leave voice as it is for whoever holds the token next.
            try Task.checkCancellation()
            // Which half did not happen: an operator reading "Discord did not confirm" checks
            // permissions, one reading "Lavalink did not take it" checks the node.
            let joined = await voice.joinConfirmed(job.session)
            if await voice.abandonConnect(guild, attempt: attempt) == .leave {
                // In case Discord answers after all: do not stay in a channel nobody plays in.
                try? await gateway.updateVoiceState(VoiceStateUpdate(
                    guildID: Snowflake(guild.rawValue), channelID: nil, selfMute: false, selfDeaf: false))
            }
            if joined {
                throw JobFailure.refused(
                    "joined voice channel \(job.session.channel), but Lavalink did not take the voice connection within "
                        + "\(timeout): the node is slow or unreachable")
            }
            throw JobFailure.refused(
                "Discord did not confirm joining voice channel \(job.session.channel) within \(timeout): the bot may "
                    + "lack View Channel or Connect there, or the channel is full")
        }
    }

    /// Destroys the player and leaves. A leave for a channel the worker is not in, or is moving
    /// away from (a stale job after a move), changes nothing.
    func leave(_ job: VoiceLeaveJob, logger: Logger) async throws {
        let guild = job.session.guild
        if await voice.isStaleLeave(job.session) {
            logger.info("leave for a channel the worker is not in or is moving away from; ignored",
                        metadata: ["channel.id": "\(job.session.channel)"])
            return
        }
        // The status (its clear, sent just before) goes out while the bot is still in the channel.
        await voiceStatuses.waitUntilSent(job.session.channel)
        // Forgotten first, so the VOICE_STATE_UPDATE that follows is not taken for a kick.
        await voice.forget(guild, leaving: true)
        await pool.destroy(guildId: guild.description)
        try await gateway.updateVoiceState(VoiceStateUpdate(
            guildID: Snowflake(guild.rawValue), channelID: nil, selfMute: false, selfDeaf: false))
        logger.info("left voice", metadata: ["reason": "\(job.reason.rawValue)"])
    }

    /// Plays the entry's track at the given position (the player exists since the connect).
    /// Done when Lavalink accepted the player update with the track.
    func play(_ job: PlaybackPlayJob) async throws {
        let guild = try await requireSession(job.session)
        guard !job.entry.track.encoded.isEmpty else { throw JobFailure.refused("the entry has no encoded track") }
        _ = await voice.recordPlay(guild: guild, encoded: job.entry.track.encoded, entry: job.entry.id)
        if let categories = job.sponsorBlock { sponsorBlockGiven.withLock { $0[guild] = categories } }
        await applySponsorBlock(in: guild, always: false)
        try await applyToPlayer(guild, PlayerUpdate(
            track: .encoded(job.entry.track.encoded, userData: Self.userData(for: job.entry.id)),
            position: job.startPositionMs > 0 ? job.startPositionMs : nil, volume: job.volume, paused: job.paused))
    }

    /// Pause, seek, volume, filter preset, stop: only what the job sets.
    func updatePlayer(_ job: PlayerUpdateJob) async throws {
        let guild = try await requireSession(job.session)
        guard await pool.snapshot(guildId: guild.description) != nil else {
            throw JobFailure.refused("there is no player in session \(job.session)")
        }
        var update = PlayerUpdate(position: job.positionMs, volume: job.volume, paused: job.paused)
        if let name = job.filterPreset {
            guard let preset = FilterPreset(named: name) else {
                throw JobFailure.refused("unknown filter preset \(name.prefix(40)); known: none, "
                    + FilterPreset.allCases.filter { $0 != .off }.map(\.rawValue).joined(separator: ", "))
            }
            update.filters = preset.filters
        }
        if job.stop { update.track = .stop }
        guard update != PlayerUpdate() else { return }
        try await applyToPlayer(guild, update)
    }

    /// Sends `update` to the guild's player; done only when a Lavalink node accepted it. The
    /// pool keeps an update for a player waiting for a node and answers nil: that has not taken
    /// effect, so it is refused (a later move of the player may still apply it).
    private func applyToPlayer(_ guild: GuildID, _ update: PlayerUpdate) async throws {
        guard try await pool.update(guildId: guild.description, update) != nil else {
            throw JobFailure.refused("no Lavalink node can take the player right now; it waits for one")
        }
    }

    /// The guild of `session` when the worker is in that channel.
    private func requireSession(_ session: SessionKey) async throws -> GuildID {
        guard let current = await voice.session(in: session.guild) else {
            throw JobFailure.refused("the worker is not in voice in guild \(session.guild); connect first")
        }
        guard current.channel == session.channel else {
            throw JobFailure.refused("the worker is in voice channel \(current.channel), not \(session.channel)")
        }
        return session.guild
    }
}

extension FilterPreset {
    /// A preset by the name the master sends: case, spaces, `-` and `_` do not matter;
    /// `none` and `off` clear the filters; `8d` is `eightD`.
    init?(named name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "none", "off", "clear", "": self = .off
        case "8d": self = .eightD
        default:
            guard let preset = FilterPreset.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
            self = preset
        }
    }
}
