/// Discord permission bits the emulator checks, and the documented computation of a member's
/// permissions in a channel (base from roles, then @everyone, role and member overwrites).
public enum EmulatedPermission {
    public static let createInstantInvite: UInt64 = 1 << 0
    public static let kickMembers: UInt64 = 1 << 1
    public static let banMembers: UInt64 = 1 << 2
    public static let administrator: UInt64 = 1 << 3
    public static let manageChannels: UInt64 = 1 << 4
    public static let manageGuild: UInt64 = 1 << 5
    public static let viewChannel: UInt64 = 1 << 10
    public static let sendMessages: UInt64 = 1 << 11
    public static let embedLinks: UInt64 = 1 << 14
    public static let readMessageHistory: UInt64 = 1 << 16
    public static let connect: UInt64 = 1 << 20
    public static let speak: UInt64 = 1 << 21
    public static let muteMembers: UInt64 = 1 << 22
    public static let deafenMembers: UInt64 = 1 << 23
    public static let moveMembers: UInt64 = 1 << 24
    public static let changeNickname: UInt64 = 1 << 26
    public static let manageNicknames: UInt64 = 1 << 27
    public static let manageRoles: UInt64 = 1 << 28
    public static let manageEvents: UInt64 = 1 << 33
    public static let setVoiceChannelStatus: UInt64 = 1 << 48
    public static let all: UInt64 = (1 << 51) - 1

    /// What a fresh guild's @everyone role allows (Discord's default set for new servers).
    public static let defaultEveryone: UInt64 =
        createInstantInvite | viewChannel | sendMessages | embedLinks | readMessageHistory | connect | speak
        | changeNickname | (1 << 6) | (1 << 15) | (1 << 18) | (1 << 25) | (1 << 31) | (1 << 9)
}

/// Gateway intents the emulator filters on.
enum Intent {
    static let guilds: UInt64 = 1 << 0
    static let guildMembers: UInt64 = 1 << 1
    static let guildVoiceStates: UInt64 = 1 << 7
    static let guildPresences: UInt64 = 1 << 8
    static let guildMessages: UInt64 = 1 << 9
    static let directMessages: UInt64 = 1 << 12
    static let messageContent: UInt64 = 1 << 15
    static let privileged: UInt64 = guildMembers | guildPresences | messageContent
    /// Every bit Discord defines today (up to DIRECT_MESSAGE_POLLS, 1 << 25).
    static let known: UInt64 = (1 << 26) - 1
}

extension WorldState {
    /// Base permissions of a member in a guild (owner and administrators have all).
    func basePermissions(userID: UInt64, guild: GuildRecord) -> UInt64 {
        if guild.ownerID == userID { return EmulatedPermission.all }
        guard let member = guild.members[userID] else { return 0 }
        var permissions = guild.roles[guild.id]?.permissions ?? 0
        for roleID in member.roleIDs {
            permissions |= guild.roles[roleID]?.permissions ?? 0
        }
        if permissions & EmulatedPermission.administrator != 0 { return EmulatedPermission.all }
        return permissions
    }

    /// Permissions of a member in a channel, overwrites applied in Discord's documented order.
    func permissions(userID: UInt64, guild: GuildRecord, channelID: UInt64?) -> UInt64 {
        var permissions = basePermissions(userID: userID, guild: guild)
        if permissions == EmulatedPermission.all { return permissions }
        guard let channelID, let channel = guild.channels[channelID], let member = guild.members[userID] else {
            return permissions
        }
        let overwrites = channel.overwrites
        if let everyone = overwrites.first(where: { $0.id == guild.id }) {
            permissions = (permissions & ~everyone.deny) | everyone.allow
        }
        var allow: UInt64 = 0
        var deny: UInt64 = 0
        for overwrite in overwrites where overwrite.type == 0 && member.roleIDs.contains(overwrite.id) {
            allow |= overwrite.allow
            deny |= overwrite.deny
        }
        permissions = (permissions & ~deny) | allow
        if let own = overwrites.first(where: { $0.type == 1 && $0.id == userID }) {
            permissions = (permissions & ~own.deny) | own.allow
        }
        // Without VIEW_CHANNEL nothing else in the channel applies.
        if permissions & EmulatedPermission.viewChannel == 0 { return 0 }
        return permissions
    }

    /// The position of a member's highest role (role hierarchy checks).
    func highestRolePosition(userID: UInt64, guild: GuildRecord) -> Int {
        if guild.ownerID == userID { return Int.max }
        guard let member = guild.members[userID] else { return -1 }
        return member.roleIDs.compactMap { guild.roles[$0]?.position }.max() ?? 0
    }
}
