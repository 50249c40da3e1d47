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
        let ok = try #require(reachable.first { $0.check == "Redis" })
        #expect(ok.status == .ok)
        // Words and the server's version, not the client's reply value.
        #expect(ok.detail.hasPrefix("reachable, answers PING (Redis "), "\(ok.detail)")
        #expect(!ok.detail.contains("simpleString") && !ok.detail.contains("bytes"))
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

    @Test func nothingConfiguredIsAFailingVerdictNotNoProblems() async throws {
        let results = try await findings([:])
        let verdict = DoctorVerdict(results)
        #expect(!verdict.passed)
        #expect(results.first { $0.check == "DISCORD_MASTER_TOKEN" }?.status == .problem)
        #expect(results.first { $0.check == "LAVALINK_URL" }?.status == .problem)
        #expect(verdict.description == "3 problems found")
    }

    @Test func verdictLinesCountWhatTheySay() {
        let warning = DoctorFinding("DISCORD_MASTER_TOKEN", .warning, "not set")
        let ok = DoctorFinding("Redis", .ok, "reachable")
        #expect(DoctorVerdict([ok]).description == "everything checked is working")
        #expect(DoctorVerdict([ok, warning]).description == "no problems, 1 warning (see above)")
        #expect(DoctorVerdict([ok, warning]).passed)
        let problem = DoctorFinding("LAVALINK_URL", .problem, "no node")
        #expect(DoctorVerdict([problem, warning, warning]).description == "1 problem and 2 warnings found")
        #expect(!DoctorVerdict([problem]).passed)
    }

    /// What `run`, `master` and `worker` check before they start: a refused token is named by
    /// its key, the master's as DISCORD_MASTER_TOKEN and a worker's by its number.
    @Test func refusedTokensAreNamedByTheirKey() async throws {
        let discord = DiscordEmulator()
        _ = try await discord.start()
        let master = await discord.createBot(name: "Anankor")
        let worker = await discord.createBot(name: "Worker")
        func refused(_ environment: [String: String], _ mode: AnankorSettings.RunMode) async throws -> String? {
            let settings = try await AnankorSettings.load(environment: environment.merging(["DISCORD_API_URL": discord.restURL]) { a, _ in a })
            return await Doctor(settings: settings, logger: logger).refusedToken(for: mode)
        }
        let good = ["DISCORD_MASTER_TOKEN": master.token, "DISCORD_WORKER_TOKEN_1": worker.token]
        let badWorker = ["DISCORD_MASTER_TOKEN": master.token, "DISCORD_WORKER_TOKEN_1": worker.token,
                         "DISCORD_WORKER_TOKEN_2": "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.wrongwrongwrongwrongwrongwrong12"]
        let badMaster = ["DISCORD_MASTER_TOKEN": "not-the-master-token", "DISCORD_WORKER_TOKEN_1": worker.token]
        let allGood = try await refused(good, .run)
        let workerLine = try await refused(badWorker, .run)
        let workerProcessLine = try await refused(badWorker, .worker)
        let masterOnlyChecksItsOwn = try await refused(badWorker, .master)
        let masterLine = try await refused(badMaster, .master)
        let syncLine = try await refused(badMaster, .commandsSync)
        await discord.stop()

        #expect(allGood == nil)
        #expect(workerLine?.hasPrefix("DISCORD_WORKER_TOKEN_2 was refused by Discord (401 Unauthorized)") == true)
        #expect(workerProcessLine?.hasPrefix("DISCORD_WORKER_TOKEN_2 ") == true)
        #expect(masterOnlyChecksItsOwn == nil)
        #expect(masterLine?.hasPrefix("DISCORD_MASTER_TOKEN was refused by Discord") == true)
        #expect(syncLine?.hasPrefix("DISCORD_MASTER_TOKEN ") == true)
        for line in [workerLine, masterLine].compactMap({ $0 }) {
            #expect(!line.contains("not-the-master-token") && !line.contains("wrongwrong"))
        }
    }

    @Test func anUnreachableDiscordIsNotARefusal() async throws {
        let settings = try await AnankorSettings.load(environment: [
            "DISCORD_API_URL": "http://127.0.0.1:1/api/v10", "DISCORD_MASTER_TOKEN": "some-token",
        ])
        #expect(await Doctor(settings: settings, logger: logger).refusedToken(for: .master) == nil)
    }
}
