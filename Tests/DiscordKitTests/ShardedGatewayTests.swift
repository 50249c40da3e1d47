@testable import DiscordKit
import Testing

@Suite("Sharded gateway")
struct ShardedGatewayTests {
    func gateway(count: Int, ids: [Int]?, maxConcurrency: Int = 1) -> ShardedGateway {
        ShardedGateway(configuration: .init(
            shard: .init(token: BotToken("t"), intents: [.guilds], gatewayURL: "ws://127.0.0.1:1"),
            shardCount: count, shardIDs: ids, maxConcurrency: maxConcurrency))
    }

    @Test("a process runs the subset it is given and routes guilds by (id >> 22) % count")
    func subsetRouting() throws {
        let gateway = gateway(count: 4, ids: [1, 3, 9])
        #expect(gateway.shards.map(\.configuration.shardID) == [1, 3])
        #expect(gateway.shards.allSatisfy { $0.configuration.shardCount == 4 })
        let onShardOne = Snowflake<Guild>(1 << 22)
        let onShardTwo = Snowflake<Guild>(2 << 22)
        #expect(gateway.shard(for: onShardOne)?.configuration.shardID == 1)
        #expect(gateway.shard(for: onShardTwo) == nil)
    }

    @Test("shards start in identify-bucket order")
    func startOrder() {
        #expect(gateway(count: 6, ids: nil, maxConcurrency: 2).shards.map(\.configuration.shardID) == [0, 2, 4, 1, 3, 5])
    }

    @Test("voice updates for a guild of another process's shard, or without a connection, fail clearly")
    func voiceWithoutShard() async throws {
        let gateway = gateway(count: 4, ids: [0])
        let elsewhere = try await #require(throws: GatewayError.self) {
            try await gateway.updateVoiceState(VoiceStateUpdate(guildID: Snowflake(1 << 22), channelID: nil))
        }
        #expect(elsewhere.code == .notConnected)
        let offline = try await #require(throws: GatewayError.self) {
            try await gateway.updateVoiceState(VoiceStateUpdate(guildID: Snowflake(4 << 22), channelID: nil))
        }
        #expect(offline.code == .notConnected)
    }
}
