import Testing

@testable import LavalinkKit

@Suite("NodeRegion and NodePlacement: a new player goes near its voice server")
struct NodeRegionTests {
    @Test func voiceServerEndpointsMapToRegions() {
        #expect(NodeRegion.of(voiceEndpoint: "us-east1234.discord.media:443") == "us-east")
        #expect(NodeRegion.of(voiceEndpoint: "us-west42.discord.media") == "us-west")
        #expect(NodeRegion.of(voiceEndpoint: "rotterdam10021.discord.media:443") == "europe")
        #expect(NodeRegion.of(voiceEndpoint: "wss://frankfurt77.discord.media:443/?v=8") == "europe")
        #expect(NodeRegion.of(voiceEndpoint: "brazil101.discord.media:443") == "south-america")
        #expect(NodeRegion.of(voiceEndpoint: "santa-clara5.discord.media:443") == "us-west")
        #expect(NodeRegion.of(voiceEndpoint: "south-korea3.discord.media:443") == "east-asia")
        #expect(NodeRegion.of(voiceEndpoint: "SYDNEY9.DISCORD.MEDIA:443") == "oceania")
        #expect(NodeRegion.of(voiceEndpoint: "emulated-voice.discord.media:443") == nil)
        #expect(NodeRegion.of(voiceEndpoint: "") == nil)
    }

    @Test func everyVoiceServerMapsToAKnownRegionWithAnArea() {
        for (server, region) in NodeRegion.voiceServers {
            #expect(NodeRegion.isKnown(region), "\(server) → \(region)")
        }
        #expect(NodeRegion.all.contains("europe"))
        #expect(!NodeRegion.isKnown("mars"))
    }

    @Test func theRegionsNodeWinsThenTheAreaThenPenalty() {
        let idle = NodePenalty(stats: nil)
        let busy = NodePenalty(stats: nil, localPlayers: 40)
        let candidates = [
            NodeCandidate(name: "eu", region: "europe", penalty: idle),
            NodeCandidate(name: "us-west", region: "us-west", penalty: idle),
            NodeCandidate(name: "us-east", region: "us-east", penalty: busy),
            NodeCandidate(name: "plain", region: nil, penalty: idle),
        ]
        #expect(NodePlacement.rank(candidates, voiceRegion: "us-east") == ["us-east", "us-west", "eu", "plain"])
        #expect(NodePlacement.rank(candidates, voiceRegion: "us-central") == ["us-west", "us-east", "eu", "plain"])
        #expect(NodePlacement.rank(candidates, voiceRegion: "europe").first == "eu")
        #expect(NodePlacement.rank(candidates, voiceRegion: "oceania") == ["eu", "us-west", "plain", "us-east"],
                "no node nearby: by penalty alone")
        #expect(NodePlacement.rank(candidates, voiceRegion: nil) == ["eu", "us-west", "plain", "us-east"])
    }
}
