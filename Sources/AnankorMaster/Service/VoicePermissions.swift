import AnankorCore
import DiscordKit

/// Whether a worker bot may play in a voice channel, from the master's guild cache: Discord's
/// permission algorithm (`Permissions.base` / `inChannel`) applied to the bot's roles and the
/// channel's overwrites. Routing asks this for each candidate worker before binding one, so a bot
/// that would be refused at the voice gateway is never picked, and when none qualifies the member
/// is told which permission is missing.
enum VoicePermissions {
    /// What a worker needs to play: see the channel, connect, and speak.
    static let required: [(Permissions, String)] = [
        (.viewChannel, "View Channel"), (.connect, "Connect"), (.speak, "Speak"),
    ]

    enum Verdict: Sendable, Equatable {
        case allowed
        /// The permissions the bot lacks, by their English names in Discord's server settings;
        /// replies name them as the reader's Discord client does (`SessionReplies.permissionKeys`).
        case missing([String])
        /// The channel is not in the cache (yet): routing should not refuse on a guess.
        case unknown
    }

    /// The verdict for `bot` holding `roles` (its member roles in the guild) in `channel`.
    static func verdict(bot: Snowflake<User>, roles: [Snowflake<Role>], channel: Snowflake<Channel>,
                        in guild: Snowflake<Guild>, cache: GuildCache) -> Verdict {
        guard let held = cache.permissions(of: bot, roles: roles, in: channel, guild: guild) else { return .unknown }
        let missing = required.filter { !held.contains($0.0) }.map(\.1)
        return missing.isEmpty ? .allowed : .missing(missing)
    }

    /// True when the bot may connect and speak, or when the cache cannot tell (a refusal then comes
    /// from Discord and is reported as a failed join). When no candidate qualifies, the member is
    /// told with `error.missingPermission`, naming `verdict`'s missing permissions.
    static func canPlay(bot: Snowflake<User>, roles: [Snowflake<Role>], channel: Snowflake<Channel>,
                        in guild: Snowflake<Guild>, cache: GuildCache) -> Bool {
        if case .missing = verdict(bot: bot, roles: roles, channel: channel, in: guild, cache: cache) { return false }
        return true
    }
}

extension VoicePermissions {
    /// Whether `bot` may set the status of `channel` while it is in it: Set Voice Channel Status,
    /// or Manage Channels. Nil when the cache cannot tell.
    static func mayShowStatus(bot: Snowflake<User>, roles: [Snowflake<Role>], channel: Snowflake<Channel>,
                              in guild: Snowflake<Guild>, cache: GuildCache) -> Bool? {
        guard let held = cache.permissions(of: bot, roles: roles, in: channel, guild: guild) else { return nil }
        return held.contains(.setVoiceChannelStatus) || held.contains(.manageChannels)
    }
}

extension MasterContext {
    /// What `worker` lacks to play in `session`'s channel, by Discord's permission names; empty
    /// when it may, or when its roles or the channel are unknown (Discord then decides at join).
    func missingVoicePermissions(of worker: WorkerID, in session: SessionKey) async -> [String] {
        guard let roles = await workerRoles.roles(of: worker, in: session.guild) else { return [] }
        let verdict = VoicePermissions.verdict(bot: Snowflake(worker.rawValue), roles: roles,
                                               channel: Snowflake(session.channel.rawValue),
                                               in: Snowflake(session.guild.rawValue), cache: cache)
        if case .missing(let names) = verdict { return names }
        return []
    }

    /// Whether `worker` may show a status on `session`'s channel; true when it cannot be told
    /// (the worker then skips quietly on Discord's refusal).
    func mayShowVoiceStatus(_ worker: WorkerID, in session: SessionKey) async -> Bool {
        guard let roles = await workerRoles.roles(of: worker, in: session.guild) else { return true }
        return VoicePermissions.mayShowStatus(bot: Snowflake(worker.rawValue), roles: roles,
                                              channel: Snowflake(session.channel.rawValue),
                                              in: Snowflake(session.guild.rawValue), cache: cache) ?? true
    }
}
