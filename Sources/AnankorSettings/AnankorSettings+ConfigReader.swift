import Configuration
import SystemPackage

extension AnankorSettings {
    /// Reads the settings from `environment` over the JSON file named by `ANANKOR_CONFIG_FILE`
    /// (environment wins). Throws the first malformed value; missing values keep their defaults
    /// (use `validate(for:)` for what a mode requires).
    public static func load(environment: [String: String]) async throws(SettingsError) -> AnankorSettings {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider(environmentVariables: environment)]
        if let path = environment["ANANKOR_CONFIG_FILE"], !path.isEmpty {
            try ConfigFileCheck.check(path: path)
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
            } catch {
                throw SettingsError(
                    key: "ANANKOR_CONFIG_FILE", problem: .unreadableFile(reason: Self.reason(error)),
                    expected: "a readable JSON object whose keys are the variable names")
            }
        }
        return try read(ConfigReader(providers: providers))
    }

    static func read(_ config: ConfigReader) throws(SettingsError) -> AnankorSettings {
        let values = SettingsValues(config)
        var settings = AnankorSettings()
        settings.masterToken = try values.secret("DISCORD_MASTER_TOKEN")
        settings.workerTokens = try values.workerTokens()
        settings.redisURL = try values.url("REDIS_URL", schemes: ["redis", "rediss"], secret: true).map(Secret.init)
        if let region = try values.text("AWS_REGION") {
            guard let keyID = try values.secret("AWS_ACCESS_KEY_ID") else {
                throw SettingsError(key: "AWS_ACCESS_KEY_ID", problem: .missing, expected: "the access key id for AWS_REGION \(region)")
            }
            guard let secretKey = try values.secret("AWS_SECRET_ACCESS_KEY") else {
                throw SettingsError(key: "AWS_SECRET_ACCESS_KEY", problem: .missing, expected: "the secret access key for AWS_ACCESS_KEY_ID")
            }
            settings.aws = AWS(region: region, accessKeyID: keyID, secretAccessKey: secretKey,
                               sessionToken: try values.secret("AWS_SESSION_TOKEN"))
        }
        settings.dynamoEndpoint = try values.url("DYNAMODB_ENDPOINT", schemes: ["http", "https"], secret: false)
        settings.dynamoTable = try values.text("DYNAMODB_TABLE", pattern: "3 to 255 of A-Z a-z 0-9 _ - .") {
            (3...255).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
        } ?? settings.dynamoTable
        settings.lavalinkNodes = try values.lavalinkNodes()
        try values.lavalinkRegions(of: &settings.lavalinkNodes)
        settings.otlpEndpoint = try values.url("OTLP_ENDPOINT", schemes: ["http", "https"], secret: false)
        settings.guildSessionCap = try values.integer("ANANKOR_GUILD_SESSION_CAP", in: 1...25) ?? settings.guildSessionCap
        settings.idleTimeout = try values.duration("ANANKOR_IDLE_TIMEOUT") ?? settings.idleTimeout
        settings.lobbyHostGrace = try values.duration("ANANKOR_LOBBY_HOST_GRACE") ?? settings.lobbyHostGrace
        settings.lobbyMaxDuration = try values.duration("ANANKOR_LOBBY_MAX_DURATION") ?? settings.lobbyMaxDuration
        settings.lobbyOpenExpiry = try values.duration("ANANKOR_LOBBY_EXPIRY") ?? settings.lobbyOpenExpiry
        settings.shardLeaseTTL = try values.duration("ANANKOR_SHARD_LEASE_TTL", in: .seconds(2)...(.seconds(60)),
                                                     expected: "a duration from 2s to 60s such as 5s") ?? settings.shardLeaseTTL
        settings.shutdownDrainTimeout = try values.duration("ANANKOR_SHUTDOWN_DRAIN_TIMEOUT") ?? settings.shutdownDrainTimeout
        settings.interactionsRunning = try values.integer("ANANKOR_INTERACTIONS_RUNNING", in: 1...100_000)
            ?? settings.interactionsRunning
        settings.interactionsWaiting = try values.integer("ANANKOR_INTERACTIONS_WAITING", in: 0...1_000_000)
            ?? settings.interactionsWaiting
        settings.statePath = try values.text("ANANKOR_STATE_PATH") ?? settings.statePath
        settings.httpPort = try values.integer("ANANKOR_HTTP_PORT", in: 0...65535) ?? settings.httpPort
        settings.httpHost = try values.text("ANANKOR_HTTP_HOST", pattern: "an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                                            AnankorSettings.isBindAddress) ?? settings.httpHost
        if let format = try values.text("ANANKOR_LOG_FORMAT", pattern: "json, plain or auto", { LogFormat(rawValue: $0) != nil }) {
            settings.logFormat = LogFormat(rawValue: format) ?? .automatic
        }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        settings.logLevel = try values.text("ANANKOR_LOG_LEVEL", pattern: levels.joined(separator: ", "), levels.contains)
            ?? settings.logLevel
        settings.discordAPIURL = try values.url("DISCORD_API_URL", schemes: ["http", "https"], secret: false)
            ?? settings.discordAPIURL
        return settings
    }

    /// What `ANANKOR_HTTP_HOST` accepts: an IPv4 or IPv6 literal or a plain host name.
    public static func isBindAddress(_ text: String) -> Bool {
        guard text.count <= 253, !text.isEmpty else { return false }
        if text.contains(":") { return text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            && !text.hasPrefix("-") && !text.hasPrefix(".")
    }

    private static func reason(_ error: any Error) -> String {
        // The provider's errors name the path and the parse problem; keep the line short.
        String(String(describing: error).prefix(160))
    }
}
