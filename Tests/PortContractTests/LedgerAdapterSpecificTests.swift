import AnankorCore
import AnankorDistributed
import AnankorEmbedded
import AnankorTesting
import Foundation
import AnankorTestSupport
import Testing

extension LedgerContractTests {
    /// What only one adapter has: the SQLite file and the DynamoDB table bootstrap.
    @Suite struct AdapterSpecific {
        @Test func sqliteRecordsSurviveReopeningTheFile() async throws {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anankor-ledger-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("ledger.sqlite").path
            let key = IdempotencyKey.job("reopen")!
            do {
                let ledger = try SQLiteLedger(path: path)
                let token = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)).token)
                try await ledger.complete(key, token: token, result: [7], retention: .seconds(600), now: LedgerTime.at(1))
                try await ledger.saveGuildSettings(GuildSettings(guild: GuildID(1), prefix: "?"))
            }
            let reopened = try SQLiteLedger(path: path)
            #expect(try await reopened.claim(key, lease: .seconds(30), now: LedgerTime.at(2)) == .completed(result: [7], completedAt: LedgerTime.at(1)))
            #expect(try await reopened.guildSettings(GuildID(1)).prefix == "?")
            #expect(try await reopened.purgeExpiredClaims(now: LedgerTime.at(600)) == 0)
            #expect(try await reopened.purgeExpiredClaims(now: LedgerTime.at(601)) == 1)
        }

        @Test func dynamoBootstrapCreatesTheTableOnceEvenWhenRacing() async throws {
            var environment = try MotoServerTrait.server().environment
            environment["DYNAMODB_TABLE"] = "ledger-boot-\(UUID().uuidString.prefix(8))"
            let ledger = try DynamoLedger.fromEnvironment(environment)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await ledger.bootstrap(timeout: .seconds(30)) } }
                try await group.waitForAll()
            }
            try await ledger.bootstrap(timeout: .seconds(30))
            try await ledger.savePlaylist(SavedPlaylist(owner: UserID(1), name: "after bootstrap", tracks: [], updatedAt: LedgerTime.at(0)))
            #expect(try await ledger.playlists(owner: UserID(1)).map(\.name) == ["after bootstrap"])
        }

        @Test(arguments: [
            ["DYNAMODB_TABLE": "a"], ["DYNAMODB_TABLE": "bad name!"], ["AWS_ACCESS_KEY_ID": ""],
        ])
        func dynamoConfigurationErrorsNameTheVariable(_ override: [String: String]) throws {
            var environment = try MotoServerTrait.server().environment
            environment.merge(override) { $1 }
            let error = #expect(throws: LedgerError.self) { try DynamoLedger.fromEnvironment(environment) }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains(override.keys.first ?? "") == true)
            #expect(error?.description.contains(MotoServer.secretAccessKey) == false)
        }
    }
}
