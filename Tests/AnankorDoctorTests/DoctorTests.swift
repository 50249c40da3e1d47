import AnankorSettings
import AnankorTesting
import DiscordEmulator
import Foundation
import LavalinkEmulator
import Logging
import Testing

@testable import AnankorDoctor

/// `anankor doctor` against the emulators, a real redis-server and moto's DynamoDB: what an
/// operator reads must name the broken piece and how to fix it.
@Suite("anankor doctor")
struct DoctorTests {
    let logger = Logger(label: "doctor-test")

    func findings(_ environment: [String: String], fix: Bool = false) async throws -> [DoctorFinding] {
        let settings = try await AnankorSettings.load(environment: environment)
        return await Doctor(settings: settings, fix: fix, logger: logger).run()
    }

    @Test func tokensAndLavalinkVersionsAreChecked() async throws {
        let discord = DiscordEmulator()
        _ = try await discord.start()
        let current = LavalinkEmulator(configuration: .init(node: .init(password: "good-password")))
        let outdated = LavalinkEmulator(configuration: .init(node: .init(password: "good-password", version: "4.0.8")))
        try await current.start()
        try await outdated.start()
        let master = await discord.createBot(name: "Anankor")
        let results = try await findings([
            "DISCORD_API_URL": discord.restURL,
            "DISCORD_MASTER_TOKEN": master.token,
            "DISCORD_WORKER_TOKEN_1": "not-a-real-token-at-all",
            "LAVALINK_NODES": "http://:good-password@127.0.0.1:\(current.port),http://:good-password@127.0.0.1:\(outdated.port)",
        ])
        await discord.stop()
        await current.shutdown()
        await outdated.shutdown()

        let byCheck = Dictionary(results.map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byCheck["DISCORD_MASTER_TOKEN"]?.status == .ok)
        #expect(byCheck["DISCORD_WORKER_TOKEN_1"]?.status == .problem)
        #expect(byCheck["DISCORD_WORKER_TOKEN_1"]?.detail.contains("401") == true)
        #expect(byCheck["Lavalink 127.0.0.1:\(current.port)"]?.status == .ok)
        let old = try #require(byCheck["Lavalink 127.0.0.1:\(outdated.port)"])
        #expect(old.status == .problem)
        #expect(old.fix?.contains("4.2") == true)
        // Nothing the doctor prints carries a secret.
        let printed = results.map(\.description).joined(separator: "\n")
        #expect(!printed.contains(master.token))
        #expect(!printed.contains("good-password"))
    }

    @Test func redisReachableOrNot() async throws {
        let server = try await RedisServer()
        let reachable = try await findings(["REDIS_URL": server.url])
        #expect(reachable.first { $0.check == "Redis" }?.status == .ok)
        let port = server.port
        server.stop()
        let unreachable = try await findings(["REDIS_URL": "redis://127.0.0.1:\(port)"])
        let finding = try #require(unreachable.first { $0.check == "Redis" })
        #expect(finding.status == .problem)
        #expect(finding.fix?.contains("REDIS_URL") == true)
    }

    @Test func missingTableIsReportedThenCreatedWithFix() async throws {
        try await MotoServer.run { moto in
            var environment = moto.environment
            environment["DYNAMODB_TABLE"] = "doctor-\(UUID().uuidString.prefix(8).lowercased())"
            let check = "DynamoDB table \(environment["DYNAMODB_TABLE"]!)"
            let before = try await findings(environment)
            #expect(before.first { $0.check == check }?.status == .problem)
            let fixed = try await findings(environment, fix: true)
            #expect(fixed.first { $0.check == check }?.detail == "created with its index and TTL")
            let after = try await findings(environment)
            #expect(after.first { $0.check == check }?.status == .ok)
        }
    }
}
