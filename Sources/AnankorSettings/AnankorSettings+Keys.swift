extension AnankorSettings {
    /// One configuration key as the help texts list it (docs/configuration.md has the full table).
    public struct Key: Sendable, Equatable {
        public var name: String
        public var modes: Set<RunMode>
        public var summary: String
    }

    /// Every key the reader knows, in the order of docs/configuration.md.
    public static let keys: [Key] = {
        let all = Set(RunMode.allCases)
        let services: Set<RunMode> = [.run, .master, .worker, .doctor]
        let distributed: Set<RunMode> = [.master, .worker, .doctor]
        return [
            Key(name: "DISCORD_MASTER_TOKEN", modes: [.run, .master, .commandsSync, .doctor], summary: "the master bot's token"),
            Key(name: "DISCORD_WORKER_TOKEN_1", modes: [.run, .worker, .doctor], summary: "worker bot tokens _1 … _N, without gaps"),
            Key(name: "REDIS_URL", modes: distributed, summary: "redis://[user:password@]host:port[/db]"),
            Key(name: "AWS_REGION", modes: distributed, summary: "the DynamoDB table's region"),
            Key(name: "AWS_ACCESS_KEY_ID", modes: distributed, summary: "access key id"),
            Key(name: "AWS_SECRET_ACCESS_KEY", modes: distributed, summary: "secret access key"),
            Key(name: "AWS_SESSION_TOKEN", modes: distributed, summary: "optional, temporary credentials"),
            Key(name: "DYNAMODB_ENDPOINT", modes: distributed, summary: "http(s):// endpoint of DynamoDB Local"),
            Key(name: "DYNAMODB_TABLE", modes: distributed, summary: "table name (default anankor)"),
            Key(name: "LAVALINK_NODES", modes: services, summary: "http://:password@host:2333,… (several nodes)"),
            Key(name: "LAVALINK_URL", modes: services, summary: "one node's URL, with LAVALINK_PASSWORD"),
            Key(name: "LAVALINK_PASSWORD", modes: services, summary: "that node's password"),
            Key(name: "LAVALINK_REGIONS", modes: services, summary: "host:port=region,… (e.g. lavalink-eu:2333=europe)"),
            Key(name: "OTLP_ENDPOINT", modes: services, summary: "collector URL: traces exported over OTLP/HTTP"),
            Key(name: "ANANKOR_GUILD_SESSION_CAP", modes: [.run, .master], summary: "music sessions per guild, 1–25 (default 5)"),
            Key(name: "ANANKOR_IDLE_TIMEOUT", modes: [.run, .master], summary: "idle sessions are left after this (default 10m)"),
            Key(name: "ANANKOR_LOBBY_HOST_GRACE", modes: [.run, .master], summary: "default 5m"),
            Key(name: "ANANKOR_LOBBY_MAX_DURATION", modes: [.run, .master], summary: "default 12h"),
            Key(name: "ANANKOR_LOBBY_EXPIRY", modes: [.run, .master], summary: "default 2h"),
            Key(name: "ANANKOR_SHARD_LEASE_TTL", modes: [.master], summary: "masters split the shards with leases this long, 2s–60s (default 5s)"),
            Key(name: "ANANKOR_SHUTDOWN_DRAIN_TIMEOUT", modes: [.run, .master], summary: "default 10s"),
            Key(name: "ANANKOR_INTERACTIONS_RUNNING", modes: [.run, .master], summary: "interactions worked on at once, 1–100000 (default 256)"),
            Key(name: "ANANKOR_INTERACTIONS_WAITING", modes: [.run, .master], summary: "interactions that may wait for a turn, 0–1000000 (default 4096)"),
            Key(name: "ANANKOR_STATE_PATH", modes: [.run, .doctor], summary: "the SQLite file (default anankor.sqlite)"),
            Key(name: "ANANKOR_HTTP_HOST", modes: [.run, .master, .worker], summary: "address of the endpoints (default 0.0.0.0)"),
            Key(name: "ANANKOR_HTTP_PORT", modes: [.run, .master, .worker], summary: "port of /health /ready /metrics (default 9090)"),
            Key(name: "ANANKOR_LOG_FORMAT", modes: all, summary: "json, plain or auto"),
            Key(name: "ANANKOR_LOG_LEVEL", modes: all, summary: "trace … critical (default info)"),
            Key(name: "DISCORD_API_URL", modes: all.subtracting([.sandbox]), summary: "only to point at an emulator"),
            Key(name: "ANANKOR_CONFIG_FILE", modes: all.subtracting([.sandbox]), summary: "a JSON file of these keys (environment wins)"),
        ]
    }()

    /// The environment variables `mode` reads, one per line, for `--help`.
    public static func helpText(for mode: RunMode) -> String {
        let listed = keys.filter { $0.modes.contains(mode) }
        let width = listed.map(\.name.count).max() ?? 0
        let lines = listed.map { "  " + $0.name + String(repeating: " ", count: width + 2 - $0.name.count) + $0.summary }
        return "Environment variables (every key: docs/configuration.md):\n" + lines.joined(separator: "\n")
    }
}
