import Synchronization

/// The little state Anankor needs per guild, kept compact so one process can hold tens of
/// thousands of guilds: role permissions, channels with their overwrites, the bot's own roles,
/// and who is in which voice channel. Fed with `apply(_:)` from gateway events.
public final class GuildCache: Sendable {
    struct Overwrite: Hashable {
        var id: UInt64
        var allow: UInt64
        var deny: UInt64
        var isMember: Bool
    }

    /// 24 bytes: overwrites live in the guild's one flat array (`overwriteStart`…), which saves an
    /// array allocation per channel.
    struct CachedChannel {
        var id: UInt64
        var parentID: UInt64
        var overwriteStart: UInt32
        var overwriteCount: UInt16
        var type: UInt8
    }

    struct CachedGuild {
        var ownerID: UInt64 = 0
        /// Sorted by role id.
        var roles: [(id: UInt64, permissions: UInt64)] = []
        /// Sorted by channel id.
        var channels: [CachedChannel] = []
        var overwrites: [Overwrite] = []
        var botRoles: [UInt64] = []
        var voice: [(user: UInt64, channel: UInt64)] = []
        /// The community's `preferred_locale` (for posts in its channels).
        var locale: String?
    }

    /// A cached channel, as callers see it.
    public struct ChannelInfo: Sendable, Hashable {
        public var id: Snowflake<Channel>
        public var type: Channel.Kind
        public var parentID: Snowflake<Channel>?
        public var overwrites: [PermissionOverwrite]
    }

    private struct State {
        var botUserID: UInt64?
        var guilds: [UInt64: CachedGuild] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var guildCount: Int { state.withLock { $0.guilds.count } }
    /// The guilds the bot is in (from GUILD_CREATE/DELETE), for periodic per-guild sweeps.
    public var guildIDs: [Snowflake<Guild>] { state.withLock { $0.guilds.keys.map(Snowflake.init) } }
    public var botUserID: Snowflake<User>? { state.withLock { $0.botUserID.map(Snowflake.init) } }

    /// Forgets the guilds whose events arrive on `shardID` of `shardCount`: a process that gives a
    /// shard up stops hearing about them, and stale members or channels must not steer it.
    public func removeGuilds(ofShard shardID: Int, shardCount: Int) {
        state.withLock { state in
            state.guilds = state.guilds.filter { Snowflake<Guild>($0.key).shard(of: shardCount) != shardID }
        }
    }

    public func contains(_ guildID: Snowflake<Guild>) -> Bool { state.withLock { $0.guilds[guildID.rawValue] != nil } }

    // MARK: Queries

    public func channel(_ channelID: Snowflake<Channel>, in guildID: Snowflake<Guild>) -> ChannelInfo? {
        state.withLock { state in
            guard let guild = state.guilds[guildID.rawValue],
                  let channel = Self.find(channelID.rawValue, in: guild.channels) else { return nil }
            return ChannelInfo(
                id: channelID, type: Channel.Kind(rawValue: Int(channel.type)),
                parentID: channel.parentID == 0 ? nil : Snowflake(channel.parentID),
                overwrites: guild.overwrites(of: channel).map {
                    PermissionOverwrite(id: $0.id, type: $0.isMember ? .member : .role, allow: Permissions(rawValue: $0.allow),
                                        deny: Permissions(rawValue: $0.deny))
                })
        }
    }

    /// A member's permissions in a channel, from the cached roles and overwrites.
    public func permissions(of userID: Snowflake<User>, roles memberRoles: [Snowflake<Role>],
                            in channelID: Snowflake<Channel>, guild guildID: Snowflake<Guild>) -> Permissions?
    {
        state.withLock { state in
            guard let guild = state.guilds[guildID.rawValue],
                  let channel = Self.find(channelID.rawValue, in: guild.channels) else { return nil }
            let base = Permissions.base(guildID: guildID, ownerID: Snowflake(guild.ownerID), userID: userID,
                                        memberRoles: memberRoles) { role in
                Self.rolePermissions(role.rawValue, in: guild).map(Permissions.init(rawValue:))
            }
            return Permissions.inChannel(
                base: base, guildID: guildID, userID: userID, memberRoles: memberRoles,
                overwrites: guild.overwrites(of: channel).lazy.map {
                    PermissionOverwrite(id: $0.id, type: $0.isMember ? .member : .role,
                                        allow: Permissions(rawValue: $0.allow), deny: Permissions(rawValue: $0.deny))
                })
        }
    }

    /// The bot's own permissions in a channel.
    public func botPermissions(in channelID: Snowflake<Channel>, guild guildID: Snowflake<Guild>) -> Permissions? {
        let (bot, roles) = state.withLock { state in
            (state.botUserID, state.guilds[guildID.rawValue]?.botRoles ?? [])
        }
        guard let bot else { return nil }
        return permissions(of: Snowflake(bot), roles: roles.map(Snowflake.init), in: channelID, guild: guildID)
    }

    /// The guild's preferred locale (`de`, `pt-BR`), as Discord last reported it.
    public func preferredLocale(of guildID: Snowflake<Guild>) -> String? {
        state.withLock { $0.guilds[guildID.rawValue]?.locale }
    }

    /// The voice channel a user is in.
    public func voiceChannel(of userID: Snowflake<User>, in guildID: Snowflake<Guild>) -> Snowflake<Channel>? {
        state.withLock { state in
            state.guilds[guildID.rawValue]?.voice.first { $0.user == userID.rawValue }.map { Snowflake($0.channel) }
        }
    }

    /// The users in a voice channel.
    public func voiceMembers(of channelID: Snowflake<Channel>, in guildID: Snowflake<Guild>) -> [Snowflake<User>] {
        state.withLock { state in
            (state.guilds[guildID.rawValue]?.voice ?? []).filter { $0.channel == channelID.rawValue }.map { Snowflake($0.user) }
        }
    }

    // MARK: Updating

    public func apply(_ event: GatewayEvent) {
        switch event {
        case .ready(let ready):
            state.withLock { $0.botUserID = ready.user.id.rawValue }
        case .guildCreate(let guild):
            if guild.unavailable == true { return }
            state.withLock { state in state.guilds[guild.id.rawValue] = Self.make(guild, bot: state.botUserID) }
        case .guildUpdate(let guild):
            state.withLock { state in
                guard var cached = state.guilds[guild.id.rawValue] else { return }
                if let owner = guild.ownerID { cached.ownerID = owner.rawValue }
                if let roles = guild.roles { cached.roles = Self.compact(roles) }
                if let locale = guild.preferredLocale { cached.locale = locale.rawValue }
                state.guilds[guild.id.rawValue] = cached
            }
        case .guildDelete(let guild):
            _ = state.withLock { $0.guilds.removeValue(forKey: guild.id.rawValue) }
        case .channelCreate(let channel), .channelUpdate(let channel):
            guard let guildID = channel.guildID else { return }
            update(guildID) { guild in
                var all = guild.expandedChannels()
                all.removeAll { $0.channel.id == channel.id.rawValue }
                all.append(Self.compact(channel))
                guild.setChannels(all)
            }
        case .channelDelete(let channel):
            guard let guildID = channel.guildID else { return }
            update(guildID) { guild in
                guild.setChannels(guild.expandedChannels().filter { $0.channel.id != channel.id.rawValue })
                guild.voice.removeAll { $0.channel == channel.id.rawValue }
            }
        case .guildMemberAdd(let event), .guildMemberUpdate(let event):
            let bot = state.withLock { $0.botUserID }
            guard let user = event.member.user, user.id.rawValue == bot else { return }
            update(event.guildID) { $0.botRoles = event.member.roles.map(\.rawValue) }
        case .guildMemberRemove(let event):
            update(event.guildID) { guild in guild.voice.removeAll { $0.user == event.user.id.rawValue } }
        case .guildRoleCreate(let event), .guildRoleUpdate(let event):
            update(event.guildID) { guild in
                guild.roles.removeAll { $0.id == event.role.id.rawValue }
                guild.roles.append((id: event.role.id.rawValue, permissions: event.role.permissions.rawValue))
                guild.roles.sort { $0.id < $1.id }
            }
        case .guildRoleDelete(let event):
            update(event.guildID) { guild in
                guild.roles.removeAll { $0.id == event.roleID.rawValue }
                guild.botRoles.removeAll { $0 == event.roleID.rawValue }
            }
        case .voiceStateUpdate(let voice):
            guard let guildID = voice.guildID else { return }
            update(guildID) { guild in Self.setVoice(&guild, user: voice.userID.rawValue, channel: voice.channelID?.rawValue) }
        default:
            break
        }
    }

    private func update(_ guildID: Snowflake<Guild>, _ body: (inout CachedGuild) -> Void) {
        state.withLock { state in
            guard var guild = state.guilds.removeValue(forKey: guildID.rawValue) else { return }
            body(&guild)
            state.guilds[guildID.rawValue] = guild
        }
    }

    // MARK: Compaction

    static func make(_ guild: Guild, bot: UInt64?) -> CachedGuild {
        var cached = CachedGuild()
        cached.ownerID = guild.ownerID?.rawValue ?? 0
        cached.locale = guild.preferredLocale?.rawValue
        cached.roles = compact(guild.roles ?? [])
        cached.setChannels((guild.channels ?? []).map { compact($0) })
        if let bot, let member = guild.members?.first(where: { $0.user?.id.rawValue == bot }) {
            cached.botRoles = member.roles.map(\.rawValue)
        }
        for voice in guild.voiceStates ?? [] {
            setVoice(&cached, user: voice.userID.rawValue, channel: voice.channelID?.rawValue)
        }
        return cached
    }

    static func compact(_ roles: [Role]) -> [(id: UInt64, permissions: UInt64)] {
        roles.map { (id: $0.id.rawValue, permissions: $0.permissions.rawValue) }.sorted { $0.id < $1.id }
    }

    static func compact(_ channel: Channel) -> (channel: CachedChannel, overwrites: [Overwrite]) {
        let overwrites = (channel.permissionOverwrites ?? []).prefix(Int(UInt16.max)).map {
            Overwrite(id: $0.id, allow: $0.allow.rawValue, deny: $0.deny.rawValue, isMember: $0.type == .member)
        }
        let type = UInt8(clamping: max(0, channel.type.rawValue))
        return (CachedChannel(id: channel.id.rawValue, parentID: channel.parentID?.rawValue ?? 0, overwriteStart: 0,
                              overwriteCount: 0, type: type), overwrites)
    }

    static func setVoice(_ guild: inout CachedGuild, user: UInt64, channel: UInt64?) {
        guild.voice.removeAll { $0.user == user }
        if let channel { guild.voice.append((user: user, channel: channel)) }
    }

    static func find(_ id: UInt64, in channels: [CachedChannel]) -> CachedChannel? {
        var low = 0
        var high = channels.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if channels[mid].id == id { return channels[mid] }
            if channels[mid].id < id { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    static func rolePermissions(_ id: UInt64, in guild: CachedGuild) -> UInt64? {
        var low = 0
        var high = guild.roles.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if guild.roles[mid].id == id { return guild.roles[mid].permissions }
            if guild.roles[mid].id < id { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// An estimate of the bytes the cached guilds occupy (arrays' element storage and headers,
    /// dictionary entries), for the benchmark.
    public var estimatedBytes: Int {
        state.withLock { state in
            let header = 32
            var total = state.guilds.capacity * (MemoryLayout<UInt64>.stride + MemoryLayout<CachedGuild>.stride + 1)
            for guild in state.guilds.values {
                total += header + guild.roles.capacity * MemoryLayout<(UInt64, UInt64)>.stride
                total += header + guild.channels.capacity * MemoryLayout<CachedChannel>.stride
                total += header + guild.overwrites.capacity * MemoryLayout<Overwrite>.stride
                total += header + guild.botRoles.capacity * MemoryLayout<UInt64>.stride
                total += header + guild.voice.capacity * MemoryLayout<(UInt64, UInt64)>.stride
            }
            return total
        }
    }
}

extension GuildCache.CachedGuild {
    func overwrites(of channel: GuildCache.CachedChannel) -> ArraySlice<GuildCache.Overwrite> {
        let start = Int(channel.overwriteStart)
        let end = start + Int(channel.overwriteCount)
        guard start >= 0, end <= overwrites.count else { return [] }
        return overwrites[start..<end]
    }

    func expandedChannels() -> [(channel: GuildCache.CachedChannel, overwrites: [GuildCache.Overwrite])] {
        channels.map { ($0, Array(overwrites(of: $0))) }
    }

    /// Rebuilds the sorted channel list and the flat overwrite array.
    mutating func setChannels(_ entries: [(channel: GuildCache.CachedChannel, overwrites: [GuildCache.Overwrite])]) {
        let sorted = entries.sorted { $0.channel.id < $1.channel.id }
        var flat: [GuildCache.Overwrite] = []
        flat.reserveCapacity(sorted.reduce(0) { $0 + $1.overwrites.count })
        var compacted: [GuildCache.CachedChannel] = []
        compacted.reserveCapacity(sorted.count)
        for (channel, overwrites) in sorted {
            var channel = channel
            channel.overwriteStart = UInt32(clamping: flat.count)
            channel.overwriteCount = UInt16(clamping: overwrites.count)
            flat.append(contentsOf: overwrites)
            compacted.append(channel)
        }
        channels = compacted
        self.overwrites = flat
    }
}
