@testable import DiscordKit
import Synchronization
import Testing

@Suite("Gateway shard I/O against a stub gateway", .serialized)
struct GatewayShardIOTests {
    func collect(_ shard: GatewayShard) -> (Recorded<GatewayEvent>, Task<Void, Never>) {
        let events = Recorded<GatewayEvent>()
        let task = Task { for await event in shard.events { events.append(event) } }
        return (events, task)
    }

    @Test("IDENTIFY over zlib-stream: token, intents, shard; READY and GUILD_CREATE arrive typed")
    func identifyOverZlib() async throws {
        let stub = StubGateway()
        try await stub.start()
        let shard = GatewayShard(configuration: .init(
            token: BotToken("stub-token"), intents: [.guilds, .guildVoiceStates], shardID: 0, shardCount: 1,
            gatewayURL: stub.url, compression: true, compressionAlgorithm: .zlibStream, heartbeatJitter: { 0 }))
        let (events, collector) = collect(shard)
        let runner = Task { try await shard.run() }
        try await eventually("READY and GUILD_CREATE") {
            events.contains { if case .ready = $0 { true } else { false } }
                && events.contains { if case .guildCreate(let guild) = $0 { guild.channels?.first?.type == .guildVoice } else { false } }
        }
        let identify = try #require(stub.payloads(op: 2).first)
        #expect(identify["d"]?["token"] == .string("stub-token"))
        #expect(identify["d"]?["intents"] == .number(129))
        #expect(identify["d"]?["shard"] == .array([.number(0), .number(1)]))
        #expect(stub.connections.withLock { $0 }.first?.contains("v=10&encoding=json&compress=zlib-stream") == true)
        #expect(shard.sessionID == "stub-session")
        runner.cancel()
        _ = await runner.result
        collector.cancel()
        await stub.stop()
    }

    @Test("a zombie connection (heartbeats never ACKed) is closed and resumed with the last sequence")
    func zombieResume() async throws {
        let stub = StubGateway()
        stub.behavior.withLock { $0.ackHeartbeats = false }
        try await stub.start()
        let shard = GatewayShard(configuration: .init(
            token: BotToken("stub-token"), intents: [.guilds], gatewayURL: stub.url, compression: false,
            heartbeatJitter: { 0 }))
        let (events, collector) = collect(shard)
        let runner = Task { try await shard.run() }
        try await eventually("RESUMED after the zombie") {
            events.contains { if case .resumed = $0 { true } else { false } }
        }
        let resume = try #require(stub.payloads(op: 6).first)
        #expect(resume["d"]?["session_id"] == .string("stub-session"))
        #expect(resume["d"]?["seq"] == .number(2))
        #expect(events.contains { if case .messageCreate(let message) = $0 { message.content == "missed" } else { false } })
        #expect(stub.connections.withLock { $0.count } >= 2)
        #expect(stub.payloads(op: 2).count == 1, "resumed, not identified again")
        runner.cancel()
        _ = await runner.result
        collector.cancel()
        await stub.stop()
    }

    @Test("close code 4004 stops the shard with an authentication error, no reconnect loop")
    func fatalClose() async throws {
        let stub = StubGateway()
        stub.behavior.withLock { $0.closeOnIdentify = 4004 }
        try await stub.start()
        let shard = GatewayShard(configuration: .init(
            token: BotToken("wrong"), intents: [.guilds], gatewayURL: stub.url, compression: false))
        let error = try await #require(throws: GatewayError.self) { try await shard.run() }
        #expect(error.code == .authenticationFailed)
        #expect(!"\(error)".contains("wrong"))
        #expect(stub.connections.withLock { $0.count } == 1)
        await stub.stop()
    }
}
