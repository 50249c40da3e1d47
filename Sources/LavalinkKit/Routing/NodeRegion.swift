/// Regions for placing players near their voice server. A node is configured with one of
/// `NodeRegion.all`; a player's region comes from the endpoint of its VOICE_SERVER_UPDATE
/// (`us-east1234.discord.media:443` → `us-east`), by the table below. Regions group into areas
/// (north-america, europe, …), the next best match when no node is in the region itself.
public enum NodeRegion {
    /// Discord voice server names (the endpoint's first label without its digits) by region.
    static let voiceServers: [String: String] = [
        "us-east": "us-east", "atlanta": "us-east", "newark": "us-east", "montreal": "us-east",
        "us-central": "us-central",
        "us-south": "us-south",
        "us-west": "us-west", "santa-clara": "us-west", "seattle": "us-west", "oregon": "us-west",
        "brazil": "south-america", "buenos-aires": "south-america", "santiago": "south-america",
        "rotterdam": "europe", "amsterdam": "europe", "frankfurt": "europe", "milan": "europe", "madrid": "europe",
        "stockholm": "europe", "bucharest": "europe", "finland": "europe", "warsaw": "europe", "london": "europe",
        "europe": "europe", "eu-central": "europe", "eu-west": "europe", "russia": "europe", "st-pete": "europe",
        "dubai": "middle-east", "tel-aviv": "middle-east", "dammam": "middle-east",
        "india": "india",
        "hongkong": "east-asia", "japan": "east-asia", "south-korea": "east-asia",
        "singapore": "southeast-asia", "jakarta": "southeast-asia",
        "sydney": "oceania",
        "southafrica": "africa",
    ]

    /// Each region's area.
    static let areas: [String: String] = [
        "us-east": "north-america", "us-central": "north-america", "us-south": "north-america",
        "us-west": "north-america", "south-america": "south-america", "europe": "europe",
        "middle-east": "asia", "india": "asia", "east-asia": "asia", "southeast-asia": "asia",
        "oceania": "oceania", "africa": "africa",
    ]

    /// Every region a node may be given, sorted.
    public static let all: [String] = areas.keys.sorted()

    public static func isKnown(_ region: String) -> Bool { areas[region] != nil }

    public static func area(of region: String) -> String? { areas[region] }

    /// The region of a voice server endpoint (`us-east1234.discord.media:443`, with or without
    /// scheme or port), nil for an endpoint the table does not know.
    public static func of(voiceEndpoint endpoint: String) -> String? {
        var host = Substring(endpoint.lowercased())
        if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
        let label = host.prefix { $0 != "." && $0 != ":" && $0 != "/" }
        // `us-east1234` → `us-east`.
        var name = String(label.prefix { !$0.isNumber })
        while name.hasSuffix("-") { name.removeLast() }
        return voiceServers[name]
    }
}

/// A node as placement sees it.
public struct NodeCandidate: Sendable, Hashable {
    public var name: String
    public var region: String?
    public var penalty: NodePenalty

    public init(name: String, region: String?, penalty: NodePenalty) {
        self.name = name
        self.region = region
        self.penalty = penalty
    }
}

/// Where a new player should go, before source breakers are considered.
public enum NodePlacement {
    /// The candidates best first: a node in the voice server's region, then one in the same area,
    /// then any; the lowest penalty first within each (ties keep the given order). Without a
    /// known voice region, by penalty alone.
    public static func rank(_ candidates: [NodeCandidate], voiceRegion: String?) -> [String] {
        let area = voiceRegion.flatMap(NodeRegion.area(of:))
        func tier(_ candidate: NodeCandidate) -> Int {
            guard let voiceRegion, let region = candidate.region else { return 2 }
            if region == voiceRegion { return 0 }
            if let area, NodeRegion.area(of: region) == area { return 1 }
            return 2
        }
        return candidates.enumerated().sorted { lhs, rhs in
            let (l, r) = (tier(lhs.element), tier(rhs.element))
            if l != r { return l < r }
            if lhs.element.penalty.total != rhs.element.penalty.total { return lhs.element.penalty < rhs.element.penalty }
            return lhs.offset < rhs.offset
        }.map(\.element.name)
    }
}
