import DiscordEmulator
@testable import DiscordKit
import Testing

@Suite("DiscordKit op 8 (request guild members) against the Discord emulator", .serialized)
struct RequestGuildMembersTests {
    @Test("asking for members by id and by name prefix brings GUILD_MEMBERS_CHUNK answers with the nonce")
    func requestMembers() async throws {
        try await EmulatedWorld.with { world in
            let shard = world.shardConfiguration(intents: [.guilds, .guildMembers])
            let gateway = ShardedGateway(configuration: .init(shard: shard, shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                let guild = Snowflake<Guild>(world.guildID)
                let stranger = Snowflake<User>(1_234_567_890)
                try await gateway.requestGuildMembers(RequestGuildMembers(
                    guildID: guild, query: nil, userIDs: [Snowflake(world.user), stranger], nonce: "by-id"))
                let byID = try await log.wait(for: "the chunk for the id request") {
                    if case .guildMembersChunk(let chunk) = $0.event { chunk.nonce == "by-id" } else { false }
                }
                guard case .guildMembersChunk(let chunk) = byID.event else { return }
                #expect(chunk.guildID == guild)
                #expect(chunk.members.map(\.user?.id) == [Snowflake(world.user)])
                #expect(chunk.notFound == [stranger])
                #expect(chunk.chunkIndex == 0 && chunk.chunkCount == 1)

                try await gateway.requestGuildMembers(RequestGuildMembers(guildID: guild, query: "list", limit: 10, nonce: "by-name"))
                let byName = try await log.wait(for: "the chunk for the name request") {
                    if case .guildMembersChunk(let chunk) = $0.event { chunk.nonce == "by-name" } else { false }
                }
                guard case .guildMembersChunk(let named) = byName.event else { return }
                #expect(named.members.compactMap(\.user?.username) == ["listener"])
            }
        }
    }
}
