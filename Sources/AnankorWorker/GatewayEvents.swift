import AnankorCore
import DiscordKit
import LavalinkKit

/// Gateway dispatches: guild membership for the registry, `workerOnline`, and the bot's own
/// voice events (joins confirmed, kicks and moderator moves noticed).
extension WorkerBot {
    func handle(_ shardEvent: ShardEvent) async {
        switch shardEvent.event {
        case .ready(let ready):
            let guilds = ready.guilds.map { GuildID($0.id.rawValue) }
            let (all, firstOnline) = await membership.ready(
                shard: shardEvent.shardID, shardCount: gateway.shardCount, guilds: guilds)
            do {
                try await context.state.setGuilds(all, of: worker)
            } catch {
                logger.warning("could not record the bot's guilds", metadata: ["error": "\(error)"])
            }
            logger.info("gateway ready", metadata: ["shard.id": "\(shardEvent.shardID)", "guild.count": "\(guilds.count)"])
            if firstOnline { await announceOnline() }
        case .resumed:
            logger.info("gateway session resumed", metadata: ["shard.id": "\(shardEvent.shardID)"])
            if await membership.resumed(shard: shardEvent.shardID, shardCount: gateway.shardCount) {
                await announceOnline()
            }
        case .guildCreate(let guild):
            await setMembership(true, in: GuildID(guild.id.rawValue))
            if let me = guild.members?.first(where: { $0.user?.id.rawValue == worker.rawValue }) {
                await recordRoles(me.roles, in: GuildID(guild.id.rawValue))
            }
        case .guildMemberUpdate(let update) where update.member.user?.id.rawValue == worker.rawValue:
            await recordRoles(update.member.roles, in: GuildID(update.guildID.rawValue))
        case .guildDelete(let guild) where guild.unavailable != true:
            // Removed from the guild (an outage has `unavailable: true` and changes nothing).
            let guildID = GuildID(guild.id.rawValue)
            await setMembership(false, in: guildID)
            if let session = await voice.forget(guildID) {
                await pool.destroy(guildId: guildID.description)
                await events.publish(.voiceDisconnected(VoiceDisconnectedEvent(
                    session: session, code: nil, reason: "the bot was removed from the guild", byRemote: true)))
            }
        case .voiceStateUpdate(let state):
            guard state.userID.rawValue == worker.rawValue, let guildID = state.guildID else { return }
            let guild = GuildID(guildID.rawValue)
            let action = await voice.botVoiceState(
                guild: guild, channel: state.channelID.map { ChannelID($0.rawValue) }, sessionID: state.sessionID)
            await perform(action, in: guild)
        case .voiceServerUpdate(let update):
            let guild = GuildID(update.guildID.rawValue)
            await perform(await voice.botVoiceServer(guild: guild, token: update.token, endpoint: update.endpoint), in: guild)
        default:
            break
        }
    }

    private func announceOnline() async {
        gatewayReady.open()
        await saveResumeRecords(now: context.now())  // a crash before the first renewal still leaves them
        let count = await membership.count
        await events.publish(.workerOnline(WorkerOnlineEvent(worker: worker, fencingToken: fencingToken, guildCount: count)))
        logger.info("worker online", metadata: ["guild.count": "\(count)"])
    }

    private func setMembership(_ isMember: Bool, in guild: GuildID) async {
        let changed = isMember ? await membership.joined(guild) : await membership.left(guild)
        guard changed else { return }
        do {
            try await context.state.setMembership(isMember, of: worker, in: guild)
        } catch {
            logger.warning("could not record guild membership", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        }
    }

    /// The bot's own roles in `guild`, recorded in the registry when they changed: the masters
    /// check whether this bot may join a channel from them, without asking Discord per route.
    private func recordRoles(_ roles: [Snowflake<Role>], in guild: GuildID) async {
        let roles = roles.map { RoleID($0.rawValue) }
        guard await membership.rolesChanged(roles, in: guild) else { return }
        do {
            try await context.state.setRoles(roles, of: worker, in: guild)
        } catch {
            await membership.unrecorded(guild)
            logger.warning("could not record the bot's roles", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        }
    }

    func perform(_ action: VoiceSessions.VoiceAction, in guild: GuildID) async {
        switch action {
        case .none:
            return
        case .sendVoice(let state):
            await deliverVoice(state, in: guild)
        case .kicked(let session):
            logger.info("disconnected from voice by Discord", metadata: ["session.key": "\(session)"])
            await pool.destroy(guildId: guild.description)
            await events.publish(.voiceDisconnected(VoiceDisconnectedEvent(
                session: session, code: nil, reason: "disconnected from voice", byRemote: true)))
        case .moved(let from, let to, let state):
            logger.info("moved to another voice channel", metadata: ["session.key": "\(from)", "channel.id": "\(to)"])
            await events.publish(.voiceDisconnected(VoiceDisconnectedEvent(
                session: from, code: nil, reason: "moved to another voice channel", byRemote: true, movedTo: to)))
            if let state { await deliverVoice(state, in: guild) }
        }
    }

    /// Hands the bot's voice connection to the guild's Lavalink player (created if needed).
    private func deliverVoice(_ state: LavalinkKit.VoiceState, in guild: GuildID) async {
        let closesBefore = await voice.deliveryStart(guild: guild)
        do {
            try await pool.update(guildId: guild.description, PlayerUpdate(voice: state))
            // Before the join counts as done, so the first track already skips segments.
            await applySponsorBlock(in: guild)
            await voice.voiceDelivered(guild: guild, state, closesBefore: closesBefore)
        } catch {
            let reason = JobFailure.classify(error).reason
            logger.warning("Lavalink refused the voice connection", metadata: ["guild.id": "\(guild)", "error": "\(reason)"])
            await voice.voiceDeliveryFailed(guild: guild, reason: "Lavalink refused the voice connection: \(reason)")
        }
    }
}
