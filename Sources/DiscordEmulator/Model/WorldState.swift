import Foundation

/// Everything that exists in the emulated Discord, with id allocation. Pure data and rules; the
/// `EmulatorState` actor adds connections, time and recording.
struct WorldState: Sendable {
    var users: [UInt64: UserRecord] = [:]
    var applications: [UInt64: ApplicationRecord] = [:]
    var guilds: [UInt64: GuildRecord] = [:]
    /// DM channels by id.
    var directChannels: [UInt64: ChannelRecord] = [:]
    var messages: [UInt64: MessageRecord] = [:]
    /// Index from guild channel id to its guild.
    var channelGuild: [UInt64: UInt64] = [:]

    private var lastMillis: UInt64 = 0
    private var increment: UInt64 = 0
    private var jitter: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let discordEpochMillis: UInt64 = 1_420_070_400_000

    /// A new snowflake. The timestamp part moves on by 1–4 ms per id, the step drawn from a fixed
    /// xorshift sequence, so that consecutive guilds spread over shards like real ones
    /// (`(id >> 22) % n`) whatever number of ids each guild's channels and roles take (a fixed
    /// step of 1 ms put every guild of a 10-id pattern on one shard of 10).
    mutating func nextID(nowMillis: UInt64) -> UInt64 {
        jitter ^= jitter << 13
        jitter ^= jitter >> 7
        jitter ^= jitter << 17
        lastMillis = max(nowMillis, lastMillis + 1 + jitter % 4)
        increment = (increment + 1) & 0xFFF
        return ((lastMillis - Self.discordEpochMillis) << 22) | (1 << 17) | increment
    }

    /// Makes sure ids given explicitly (world files) are never handed out again.
    mutating func reserve(id: UInt64) {
        let millis = (id >> 22) + Self.discordEpochMillis
        if millis > lastMillis { lastMillis = millis }
    }

    func application(token: String) -> ApplicationRecord? {
        applications.values.first { $0.token == token }
    }

    func guildID(ofChannel channelID: UInt64) -> UInt64? { channelGuild[channelID] }

    func channel(_ channelID: UInt64) -> ChannelRecord? {
        if let guildID = channelGuild[channelID] { return guilds[guildID]?.channels[channelID] }
        return directChannels[channelID]
    }

    /// Guilds a user is a member of.
    func guildIDs(ofMember userID: UInt64) -> [UInt64] {
        guilds.values.filter { $0.members[userID] != nil }.map(\.id).sorted()
    }

    func voiceChannelOccupancy(guildID: UInt64, channelID: UInt64) -> Int {
        guilds[guildID]?.voiceStates.values.filter { $0.channelID == channelID }.count ?? 0
    }
}
