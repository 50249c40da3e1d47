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
            "ANANKOR_INTERACTIONS_RUNNING": "64",
            "ANANKOR_INTERACTIONS_WAITING": "0",
        ])
        #expect(settings.masterToken?.exposedValue == masterToken)
        #expect(settings.workerTokens.map(\.exposedValue) == ["worker-one-token", "worker-two-token"])
        #expect(settings.lavalinkNodes.map(\.baseURL) == ["http://lavalink:2333"])
        #expect(settings.guildSessionCap == 3)
        #expect(settings.idleTimeout == .seconds(900))
        #expect(settings.lobbyHostGrace == .seconds(90))
        #expect(settings.lobbyMaxDuration == .seconds(6 * 3600))
        #expect(settings.lobbyOpenExpiry == .seconds(1800))
        #expect(settings.interactionsRunning == 64)
        #expect(settings.interactionsWaiting == 0)
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
        ("ANANKOR_INTERACTIONS_RUNNING", "0", "ANANKOR_INTERACTIONS_RUNNING has the value \"0\", expected a whole number from 1 to 100000"),
        ("ANANKOR_INTERACTIONS_WAITING", "-1", "ANANKOR_INTERACTIONS_WAITING has the value \"-1\", expected a whole number from 0 to 1000000"),
        ("ANANKOR_SHARD_LEASE_TTL", "1s", "ANANKOR_SHARD_LEASE_TTL has the value \"1s\", expected a duration from 2s to 60s such as 5s"),
        ("ANANKOR_SHARD_LEASE_TTL", "5m", "ANANKOR_SHARD_LEASE_TTL has the value \"5m\", expected a duration from 2s to 60s such as 5s"),
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

@Suite("Operator settings: what a self-hoster reads when something is wrong")
struct SettingsMessagesTests {
    func load(_ environment: [String: String]) async throws(SettingsError) -> AnankorSettings {
        try await AnankorSettings.load(environment: environment)
    }

    func message(_ environment: [String: String]) async -> SettingsError? {
        do {
            _ = try await load(environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func portsOutOfRangeAreRefusedByName() async {
        let error = await message(["ANANKOR_HTTP_PORT": "99999"])
        #expect(error?.key == "ANANKOR_HTTP_PORT")
        #expect(error?.description == "ANANKOR_HTTP_PORT has the value \"99999\", expected a whole number from 0 to 65535")
    }

    @Test func theBindAddressIsASettingWithTheCurrentDefault() async throws {
        #expect(try await load([:]).httpHost == "0.0.0.0")
        #expect(try await load(["ANANKOR_HTTP_HOST": "127.0.0.1"]).httpHost == "127.0.0.1")
        #expect(try await load(["ANANKOR_HTTP_HOST": "::1"]).httpHost == "::1")
        let error = await message(["ANANKOR_HTTP_HOST": "http://example.org"])
        #expect(error?.key == "ANANKOR_HTTP_HOST")
        #expect(error?.description.contains("expected an IP address or host name") == true)
    }

    @Test(arguments: [
        ("http://:pw1@ll-1:2333,http://ll-2:2333",
         "LAVALINK_NODES: node 2 of 2 (\"http://ll-2:2333\") has no password (http://:password@host:port)"),
        ("http://:pw1@ll-1:2333,ll-2:2333", "LAVALINK_NODES: node 2 of 2 (\"ll-2:2333\") is not a URL"),
        ("http://:pw1@ll-1:2333,", "LAVALINK_NODES: node 2 of 2 is empty (a stray comma?)"),
        ("ws://:pw1@ll-1:2333", "LAVALINK_NODES: node 1 of 1 (\"ws://:***@ll-1:2333\") starts with ws:// instead of http:// or https://"),
        ("http://:pw1@ll-1:99999", "LAVALINK_NODES: node 1 of 1 (\"http://:***@ll-1:99999\") has a port that is not a number from 1 to 65535"),
    ])
    func lavalinkNodeErrorsSayWhichNodeAndWhat(value: String, start: String) async {
        let error = await message(["LAVALINK_NODES": value])
        #expect(error?.key == "LAVALINK_NODES")
        let text = error?.description ?? ""
        #expect(text.hasPrefix(start), "\(text)")
        #expect(text.hasSuffix("expected comma-separated URLs like http://:password@lavalink:2333"))
        // The node passwords stay out of the message.
        #expect(!text.contains("pw1"))
    }

    @Test func aConfigFileWithASyntaxErrorIsDescribedInWords() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-bad-\(UUID()).json")
        try Data("{\n  \"ANANKOR_GUILD_SESSION_CAP\": 4,\n  \"DYNAMODB_TABLE\": \n}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = await message(["ANANKOR_CONFIG_FILE": file.path])
        #expect(error?.key == "ANANKOR_CONFIG_FILE")
        let text = error?.description ?? ""
        #expect(text.hasPrefix("ANANKOR_CONFIG_FILE: \(file.path) is not valid JSON ("), "\(text)")
        // Where it went wrong, as a line number: the value missing after "DYNAMODB_TABLE" on line 3/4.
        #expect(text.contains(" at line 3") || text.contains(" at line 4"), "\(text)")
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("Code="), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test func aConfigFileHoldingAnArrayIsNamed() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-array-\(UUID()).json")
        try Data("[1, 2]".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = await message(["ANANKOR_CONFIG_FILE": file.path])
        #expect(error?.description == "ANANKOR_CONFIG_FILE: \(file.path) holds a JSON array, not an object, expected a readable JSON object whose keys are the variable names")
    }

    @Test func aMissingConfigFileSaysSo() async {
        let error = await message(["ANANKOR_CONFIG_FILE": "/nonexistent/anankor.json"])
        #expect(error?.description == "ANANKOR_CONFIG_FILE names a file that cannot be read (/nonexistent/anankor.json does not exist), expected a readable JSON object whose keys are the variable names")
    }

    @Test func theWrongModeNamesTheMasterToken() async throws {
        let settings = try await load(["DISCORD_WORKER_TOKEN_1": "worker-one", "LAVALINK_URL": "http://ll:2333",
                                       "LAVALINK_PASSWORD": "pw"])
        #expect(throws: SettingsError(key: "DISCORD_MASTER_TOKEN", problem: .missing, expected: "the master bot's token")) {
            try settings.validate(for: .run)
        }
    }

    /// The help texts and docs/configuration.md list the same keys, so neither drifts.
    @Test func everyKeyIsDocumentedAndEveryDocumentedKeyIsKnown() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let documented = Set(text.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { row in
            row.split(separator: "|")[0].split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }.filter { $0.first?.isLetter == true && $0.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } })
        let known = Set(AnankorSettings.keys.map(\.name))
        #expect(known.subtracting(documented).isEmpty, "not in docs/configuration.md: \(known.subtracting(documented).sorted())")
        #expect(documented.subtracting(known).isEmpty, "documented but unknown: \(documented.subtracting(known).sorted())")
    }

    @Test func helpTextsListTheirVariablesAndTheDocs() {
        let run = AnankorSettings.helpText(for: .run)
        #expect(run.contains("docs/configuration.md"))
        for key in ["DISCORD_MASTER_TOKEN", "DISCORD_WORKER_TOKEN_1", "LAVALINK_URL", "ANANKOR_STATE_PATH", "ANANKOR_HTTP_HOST"] {
            #expect(run.contains(key), "\(key)")
        }
        #expect(!run.contains("REDIS_URL"))
        let worker = AnankorSettings.helpText(for: .worker)
        #expect(worker.contains("REDIS_URL") && worker.contains("AWS_REGION") && !worker.contains("DISCORD_MASTER_TOKEN"))
    }
}
