import Foundation
import Testing

@testable import AnankorSettings

@Suite("Operator settings")
struct SettingsTests {
    let masterToken = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz012345"

    func load(_ environment: [String: String]) async throws(SettingsError) -> AnankorSettings {
        try await AnankorSettings.load(environment: environment)
    }

    @Test func defaultsWhenNothingIsSet() async throws {
        let settings = try await load([:])
        #expect(settings.guildSessionCap == 5)
        #expect(settings.idleTimeout == .seconds(600))
        #expect(settings.dynamoTable == "anankor")
        #expect(settings.workerTokens.isEmpty)
        try settings.validate(for: .sandbox)
    }

    @Test func readsTheSingleProcessMode() async throws {
        let settings = try await load([
            "DISCORD_MASTER_TOKEN": masterToken,
            "DISCORD_WORKER_TOKEN_1": "worker-one-token",
            "DISCORD_WORKER_TOKEN_2": "Bot worker-two-token",
            "LAVALINK_URL": "http://lavalink:2333",
            "LAVALINK_PASSWORD": "youshallnotpass",
            "ANANKOR_GUILD_SESSION_CAP": "3",
            "ANANKOR_IDLE_TIMEOUT": "15m",
            "ANANKOR_LOBBY_HOST_GRACE": "90s",
            "ANANKOR_LOBBY_MAX_DURATION": "6h",
            "ANANKOR_LOBBY_EXPIRY": "30m",
        ])
        #expect(settings.masterToken?.exposedValue == masterToken)
        #expect(settings.workerTokens.map(\.exposedValue) == ["worker-one-token", "worker-two-token"])
        #expect(settings.lavalinkNodes.map(\.baseURL) == ["http://lavalink:2333"])
        #expect(settings.guildSessionCap == 3)
        #expect(settings.idleTimeout == .seconds(900))
        #expect(settings.lobbyHostGrace == .seconds(90))
        #expect(settings.lobbyMaxDuration == .seconds(6 * 3600))
        #expect(settings.lobbyOpenExpiry == .seconds(1800))
        try settings.validate(for: .run)
    }

    @Test func lavalinkNodeListCarriesPasswordsSeparately() async throws {
        let settings = try await load([
            "LAVALINK_NODES": "http://:pass%2Cone@ll-1:2333, https://:two@ll-2.example.org",
        ])
        #expect(settings.lavalinkNodes.map(\.name) == ["ll-1:2333", "ll-2.example.org"])
        #expect(settings.lavalinkNodes.map(\.password.exposedValue) == ["pass,one", "two"])
        #expect(settings.lavalinkNodes.map(\.baseURL) == ["http://ll-1:2333", "https://ll-2.example.org"])
    }

    @Test(arguments: [
        ("ANANKOR_GUILD_SESSION_CAP", "lots", "ANANKOR_GUILD_SESSION_CAP has the value \"lots\", expected a whole number from 1 to 25"),
        ("ANANKOR_GUILD_SESSION_CAP", "0", "ANANKOR_GUILD_SESSION_CAP has the value \"0\", expected a whole number from 1 to 25"),
        ("ANANKOR_IDLE_TIMEOUT", "-5m", "ANANKOR_IDLE_TIMEOUT has the value \"-5m\", expected a positive duration up to 7 days such as 600, 600s, 10m or 1h"),
        ("ANANKOR_LOBBY_EXPIRY", "soon", "ANANKOR_LOBBY_EXPIRY has the value \"soon\", expected a positive duration up to 7 days such as 600, 600s, 10m or 1h"),
        ("DYNAMODB_ENDPOINT", "localhost:8000", "DYNAMODB_ENDPOINT has the value \"localhost:8000\", expected a URL starting with http:// or https://"),
        ("ANANKOR_LOG_FORMAT", "xml", "ANANKOR_LOG_FORMAT has the value \"xml\", expected json, plain or auto"),
    ])
    func malformedValuesNameTheKey(key: String, value: String, message: String) async {
        await #expect(throws: SettingsError.self) { try await load([key: value]) }
        do {
            _ = try await load([key: value])
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func secretValuesNeverAppearInErrors() async {
        let badRedis = "redis//:hunter2-password@cache:6379"
        do {
            _ = try await load(["REDIS_URL": badRedis])
            Issue.record("a malformed REDIS_URL was accepted")
        } catch {
            #expect(error.key == "REDIS_URL")
            #expect(!error.description.contains("hunter2"))
        }
        let settings = try? await load(["DISCORD_MASTER_TOKEN": masterToken])
        #expect("\(String(describing: settings?.masterToken))".contains(masterToken) == false)
    }

    @Test func modesSayWhatTheyMiss() async throws {
        let settings = try await load(["DISCORD_MASTER_TOKEN": masterToken])
        #expect(throws: SettingsError(key: "DISCORD_WORKER_TOKEN_1", problem: .missing,
                                      expected: "at least one worker bot token")) {
            try settings.validate(for: .run)
        }
        #expect(throws: SettingsError.self) { try settings.validate(for: .master) }
        try settings.validate(for: .commandsSync)
    }

    @Test func gapsInWorkerTokensAreReported() async {
        do {
            _ = try await load(["DISCORD_WORKER_TOKEN_1": "a-token", "DISCORD_WORKER_TOKEN_3": "c-token"])
            Issue.record("a gap was accepted")
        } catch {
            #expect(error.description == "DISCORD_WORKER_TOKEN_2 is not set: worker tokens numbered without gaps (DISCORD_WORKER_TOKEN_3 is set)")
        }
    }

    @Test func awsNeedsItsKeys() async {
        do {
            _ = try await load(["AWS_REGION": "eu-central-1"])
            Issue.record("a region without keys was accepted")
        } catch {
            #expect(error.key == "AWS_ACCESS_KEY_ID")
        }
    }

    @Test func theFileIsReadUnderTheEnvironment() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-settings-\(UUID()).json")
        try Data(#"{"ANANKOR_GUILD_SESSION_CAP": 4, "DYNAMODB_TABLE": "from-file", "ANANKOR_IDLE_TIMEOUT": "5m"}"#.utf8)
            .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try await load(["ANANKOR_CONFIG_FILE": file.path, "DYNAMODB_TABLE": "from-env"])
        #expect(settings.guildSessionCap == 4)
        #expect(settings.dynamoTable == "from-env")
        #expect(settings.idleTimeout == .seconds(300))
    }

    @Test func anUnreadableFileIsOneLine() async {
        do {
            _ = try await load(["ANANKOR_CONFIG_FILE": "/nonexistent/anankor.json"])
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.key == "ANANKOR_CONFIG_FILE")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func secretsAreListedForTheRedactor() async throws {
        let settings = try await load([
            "DISCORD_MASTER_TOKEN": masterToken, "LAVALINK_URL": "http://ll:2333", "LAVALINK_PASSWORD": "pw-123456",
        ])
        #expect(Set(settings.secrets) == [masterToken, "pw-123456"])
    }
}
