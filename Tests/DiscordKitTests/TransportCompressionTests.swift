import DiscordEmulator
import NIOCore
@testable import DiscordKit
import Testing

@Suite("DiscordKit's transport compression against the Discord emulator", .serialized)
struct TransportCompressionTests {
    @Test("zstd-stream and zlib-stream both carry READY, GUILD_CREATE and later dispatches",
          arguments: [GatewayTransportCompression.zstdStream, .zlibStream])
    func compressedGateway(_ algorithm: GatewayTransportCompression) async throws {
        if algorithm == .zstdStream {
            try #require(ZstdStreamInflater.isAvailable, "this machine's image ships libzstd.so.1")
        }
        try await EmulatedWorld.with { world in
            var shard = world.shardConfiguration(compression: true)
            shard.compressionAlgorithm = algorithm
            let gateway = ShardedGateway(configuration: .init(shard: shard, shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                try await log.wait(for: "GUILD_CREATE") {
                    if case .guildCreate(let guild) = $0.event { guild.id == Snowflake(world.guildID) } else { false }
                }
                // The emulator really compressed this connection the way it was asked to.
                let sessions = await world.emulator.gatewaySessions()
                #expect(sessions.count == 1)
                #expect(sessions.first?["compression"]?.stringValue == algorithm.rawValue)
                try await world.emulator.setVoiceChannel(of: world.user, in: world.guildID, to: world.voiceChannel)
                try await log.wait(for: "VOICE_STATE_UPDATE after READY") {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.user) } else { false }
                }
            }
        }
    }

    @Test("a shard asks for zstd-stream by default when libzstd loads")
    func prefersZstd() throws {
        try #require(ZstdStreamInflater.isAvailable, "this machine's image ships libzstd.so.1")
        let configuration = GatewayShard.Configuration(token: BotToken("x"), intents: [.guilds], gatewayURL: "ws://localhost")
        #expect(configuration.compression)
        #expect(configuration.compressionAlgorithm == .zstdStream)
    }

    @Test("a corrupt zstd frame is an error, not a payload")
    func corruptFrame() throws {
        try #require(ZstdStreamInflater.isAvailable)
        let inflater = try ZstdStreamInflater()
        #expect(throws: ZstdStreamInflater.Failure.self) {
            _ = try inflater.feed(.init(bytes: [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]))
        }
    }
}

@Suite("DiscordKit and the invalid-request limit", .serialized)
struct InvalidRequestBanTests {
    @Test("a ban from Discord's edge fails the call at once with what happened, without waiting it out")
    func edgeBanFailsFast() async throws {
        var configuration = DiscordEmulatorConfiguration()
        configuration.invalidRequestLimit = 3
        let emulator = DiscordEmulator(configuration: configuration)
        try await emulator.start()
        let bot = await emulator.createBot(name: "Anankor")
        let wrong = DiscordREST(token: BotToken("wrong-token"), configuration: .init(baseURL: emulator.restURL))
        for _ in 0..<3 {
            let error = await #expect(throws: DiscordRESTError.self) { _ = try await wrong.getCurrentUser() }
            #expect(error?.status == 401)
        }
        let right = DiscordREST(token: BotToken(bot.token), configuration: .init(baseURL: emulator.restURL))
        let error = await #expect(throws: DiscordRESTError.self) { _ = try await right.getCurrentUser() }
        #expect(error?.kind == .rateLimited)
        #expect(error?.status == 429)
        #expect(error?.message.contains("invalid requests") == true)
        await emulator.stop()
    }
}
