/// Everything an operator configures (DESIGN §9), read from environment variables over an
/// optional JSON file (`ANANKOR_CONFIG_FILE`, keys spelled like the variables). Each field is
/// validated when read; what a run mode requires is checked by `validate(for:)`.
public struct AnankorSettings: Sendable {
    public enum RunMode: String, Sendable, CaseIterable {
        case sandbox, run, master, worker, commandsSync = "commands sync", doctor
    }

    public enum LogFormat: String, Sendable, CaseIterable { case json, plain, automatic = "auto" }

    public struct LavalinkNode: Sendable, Equatable {
        /// `host:port`, used in logs and metrics labels.
        public var name: String
        /// Scheme, host and port, without the password.
        public var baseURL: String
        public var host: String
        /// The URL's port, or the scheme's default.
        public var port: Int
        /// `https://`.
        public var secure: Bool
        public var password: Secret
        /// From `LAVALINK_REGIONS`: where the node runs, for placing players near their voice server.
        public var region: String? = nil
    }

    public struct AWS: Sendable {
        public var region: String
        public var accessKeyID: Secret
        public var secretAccessKey: Secret
        public var sessionToken: Secret?
    }

    public var masterToken: Secret?
    /// `DISCORD_WORKER_TOKEN_1…N`, in order.
    public var workerTokens: [Secret] = []
    public var redisURL: Secret?
    public var aws: AWS?
    public var dynamoEndpoint: String?
    public var dynamoTable: String = "anankor"
    public var lavalinkNodes: [LavalinkNode] = []
    public var otlpEndpoint: String?
    public var guildSessionCap: Int = 5
    public var idleTimeout: Duration = .seconds(600)
    /// A started lobby's host may be out of its voice channel this long before hosting passes on.
    public var lobbyHostGrace: Duration = .seconds(300)
    /// A started lobby ends after this long.
    public var lobbyMaxDuration: Duration = .seconds(12 * 3600)
    /// An open lobby is cancelled this long after its start time (or creation) if it never starts.
    public var lobbyOpenExpiry: Duration = .seconds(2 * 3600)
    /// Masters split the gateway shards through leases this long: a master that dies loses its
    /// shards to the others within about 1.2 × this (distributed mode only).
    public var shardLeaseTTL: Duration = .seconds(5)
    /// On SIGTERM the master answers the interactions in flight, waiting at most this long.
    public var shutdownDrainTimeout: Duration = .seconds(10)
    /// Interactions the master works on at once; more wait for a turn, acknowledged.
    public var interactionsRunning: Int = 256
    /// Interactions that may wait for a turn; beyond, members are told the bot is busy.
    public var interactionsWaiting: Int = 4096
    /// The SQLite file of the embedded mode.
    public var statePath: String = "anankor.sqlite"
    /// `/health`, `/ready`, `/metrics`.
    public var httpPort: Int = 9090
    /// The address `/health`, `/ready` and `/metrics` listen on. Every interface by default, so
    /// probes and Prometheus reach a container; `127.0.0.1` keeps them on the host.
    public var httpHost: String = "0.0.0.0"
    public var logFormat: LogFormat = .automatic
    public var logLevel: String = "info"
    /// Where the Discord REST API and gateway are; set only to point at an emulator.
    public var discordAPIURL: String = "https://discord.com/api/v10"

    public init() {}

    /// Every secret value, for the log redactor.
    public var secrets: [String] {
        var values = workerTokens.map(\.exposedValue)
        values += [masterToken, redisURL, aws?.accessKeyID, aws?.secretAccessKey, aws?.sessionToken]
            .compactMap { $0?.exposedValue }
        values += lavalinkNodes.map(\.password.exposedValue)
        return values
    }

    /// Every node region must be one the player placement knows (`known`: LavalinkKit's
    /// `NodeRegion.all`, passed in because settings know no Lavalink library).
    public func validateRegions(known: [String]) throws(SettingsError) {
        for node in lavalinkNodes {
            guard let region = node.region, !known.contains(region) else { continue }
            throw SettingsError(key: "LAVALINK_REGIONS",
                                problem: .invalid(detail: "node \(node.name) has the unknown region \"\(region.prefix(40))\""),
                                expected: "one of " + known.joined(separator: ", "))
        }
    }

    /// What a mode cannot start without; the first problem found, as the one line to print.
    public func validate(for mode: RunMode) throws(SettingsError) {
        func require(_ present: Bool, _ key: String, _ expected: String) throws(SettingsError) {
            if !present { throw SettingsError(key: key, problem: .missing, expected: expected) }
        }
        let lavalinkExpected = "LAVALINK_URL and LAVALINK_PASSWORD, or LAVALINK_NODES (see docs/configuration.md)"
        switch mode {
        case .sandbox, .doctor:
            return
        case .commandsSync:
            try require(masterToken != nil, "DISCORD_MASTER_TOKEN", "the master bot's token")
        case .run:
            try require(masterToken != nil, "DISCORD_MASTER_TOKEN", "the master bot's token")
            try require(!workerTokens.isEmpty, "DISCORD_WORKER_TOKEN_1", "at least one worker bot token")
            try require(!lavalinkNodes.isEmpty, "LAVALINK_URL", lavalinkExpected)
        case .master:
            try require(masterToken != nil, "DISCORD_MASTER_TOKEN", "the master bot's token")
            try require(redisURL != nil, "REDIS_URL", "redis://host:6379 (the distributed mode's coordination store)")
            try require(aws != nil, "AWS_REGION", "the AWS region of the DynamoDB table, with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            try require(!lavalinkNodes.isEmpty, "LAVALINK_URL", lavalinkExpected)
        case .worker:
            try require(!workerTokens.isEmpty, "DISCORD_WORKER_TOKEN_1", "the worker bot tokens this process may claim")
            try require(redisURL != nil, "REDIS_URL", "redis://host:6379 (the distributed mode's coordination store)")
            try require(aws != nil, "AWS_REGION", "the AWS region of the DynamoDB table, with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            try require(!lavalinkNodes.isEmpty, "LAVALINK_URL", lavalinkExpected)
        }
    }
}
