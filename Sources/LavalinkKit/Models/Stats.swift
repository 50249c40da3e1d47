/// Node statistics (`stats` op every minute, and `GET /v4/stats` without `frameStats`).
public struct NodeStats: Sendable, Hashable, Codable {
    public struct Memory: Sendable, Hashable, Codable {
        public var free: Int64
        public var used: Int64
        public var allocated: Int64
        public var reservable: Int64
        public init(free: Int64, used: Int64, allocated: Int64, reservable: Int64) {
            self.free = free
            self.used = used
            self.allocated = allocated
            self.reservable = reservable
        }
    }

    public struct CPU: Sendable, Hashable, Codable {
        public var cores: Int
        /// Whole machine load, 0…1.
        public var systemLoad: Double
        /// Lavalink's own load, 0…1.
        public var lavalinkLoad: Double
        public init(cores: Int, systemLoad: Double, lavalinkLoad: Double) {
            self.cores = cores
            self.systemLoad = systemLoad
            self.lavalinkLoad = lavalinkLoad
        }
    }

    /// Frames over the last minute; 3000 expected per playing player (one every 20 ms).
    public struct FrameStats: Sendable, Hashable, Codable {
        public var sent: Int64
        public var nulled: Int64
        /// Expected minus sent; positive means frames were missing.
        public var deficit: Int64
        public init(sent: Int64, nulled: Int64, deficit: Int64) {
            self.sent = sent
            self.nulled = nulled
            self.deficit = deficit
        }
    }

    public var players: Int
    public var playingPlayers: Int
    /// Milliseconds.
    public var uptime: Int64
    public var memory: Memory
    public var cpu: CPU
    public var frameStats: FrameStats?

    public init(players: Int, playingPlayers: Int, uptime: Int64, memory: Memory, cpu: CPU, frameStats: FrameStats?) {
        self.players = players
        self.playingPlayers = playingPlayers
        self.uptime = uptime
        self.memory = memory
        self.cpu = cpu
        self.frameStats = frameStats
    }
}

/// `GET /v4/info`.
public struct NodeInfo: Sendable, Hashable, Codable {
    public struct Version: Sendable, Hashable, Codable {
        public var semver: String
        public var major: Int
        public var minor: Int
        public var patch: Int
        public var preRelease: String?
        public var build: String?

        enum CodingKeys: String, CodingKey { case semver, string, major, minor, patch, preRelease, build }

        public init(semver: String, major: Int, minor: Int, patch: Int, preRelease: String? = nil, build: String? = nil) {
            self.semver = semver
            self.major = major
            self.minor = minor
            self.patch = patch
            self.preRelease = preRelease
            self.build = build
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            major = try container.decode(Int.self, forKey: .major)
            minor = try container.decode(Int.self, forKey: .minor)
            patch = try container.decode(Int.self, forKey: .patch)
            preRelease = try container.decodeIfPresent(String.self, forKey: .preRelease)
            build = try container.decodeIfPresent(String.self, forKey: .build)
            // The docs' example once called this field `string`; accept both.
            semver = try container.decodeIfPresent(String.self, forKey: .semver)
                ?? container.decodeIfPresent(String.self, forKey: .string)
                ?? "\(major).\(minor).\(patch)"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(semver, forKey: .semver)
            try container.encode(major, forKey: .major)
            try container.encode(minor, forKey: .minor)
            try container.encode(patch, forKey: .patch)
            try container.encodeIfPresent(preRelease, forKey: .preRelease)
            try container.encodeIfPresent(build, forKey: .build)
        }
    }

    public struct Git: Sendable, Hashable, Codable {
        public var branch: String
        public var commit: String
        public var commitTime: Int64
    }

    public struct Plugin: Sendable, Hashable, Codable {
        public var name: String
        public var version: String
    }

    public var version: Version
    public var buildTime: Int64
    public var git: Git
    public var jvm: String
    public var lavaplayer: String
    public var sourceManagers: [String]
    public var filters: [String]
    public var plugins: [Plugin]
}
