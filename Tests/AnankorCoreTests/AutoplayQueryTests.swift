import AnankorCore
import Testing

@Suite("Autoplay query choice")
struct AutoplayQueryTests {
    let youtube = Track(encoded: "yt1", title: "Midnight Harbour (Official Video)", author: "Ada Vance", lengthMs: 200_000,
                        uri: "https://www.youtube.com/watch?v=abcdefghijk", sourceName: "youtube")
    let spotify = Track(encoded: "sp1", title: "Golden Tides", author: "Mira Solis", lengthMs: 180_000,
                        uri: "https://open.spotify.com/track/0eG08cBeKk0mzykKjw4hcQ", sourceName: "spotify")

    @Test("similar asks the source's recommendations first, then a clean title search in the same source")
    func similar() {
        let query = AutoplayQuery.choose(mode: .similar, last: youtube, recent: [])
        #expect(query.strategy == .similar)
        #expect(query.identifiers == [
            "https://www.youtube.com/watch?v=abcdefghijk&list=RDabcdefghijk",
            "ytsearch:Ada Vance Midnight Harbour",
            "ytsearch:Ada Vance",
        ])
        let fromSpotify = AutoplayQuery.choose(mode: .similar, last: spotify, recent: [])
        #expect(fromSpotify.identifiers.first == "sprec:seed_tracks=0eG08cBeKk0mzykKjw4hcQ")
        #expect(fromSpotify.identifiers.dropFirst().first == "spsearch:Mira Solis Golden Tides")
    }

    @Test("artist searches the artist first")
    func artist() {
        let query = AutoplayQuery.choose(mode: .artist, last: spotify, recent: [])
        #expect(query.identifiers == ["spsearch:Mira Solis", "spsearch:Mira Solis Golden Tides"])
    }

    @Test("mixed alternates with each track that played")
    func mixed() {
        #expect(AutoplayQuery.choose(mode: .mixed, last: youtube, recent: []).strategy == .similar)
        #expect(AutoplayQuery.choose(mode: .mixed, last: youtube, recent: ["a"]).strategy == .artist)
        #expect(AutoplayQuery.choose(mode: .mixed, last: youtube, recent: ["a", "b"]).strategy == .similar)
    }

    @Test("a track without a link or author still gets a search")
    func bareTrack() {
        let bare = Track(encoded: "x", title: "Static Bloom [Lyrics]", author: "", lengthMs: 1000)
        #expect(AutoplayQuery.choose(mode: .artist, last: bare, recent: []).identifiers == ["ytsearch:Static Bloom"])
    }

    @Test("pick skips the last track, recently played ones and re-uploads of the same song")
    func pickExcludesRecent() {
        let reupload = Track(encoded: "yt2", title: "Midnight Harbour [Lyrics]", author: "Ada Vance", lengthMs: 200_000,
                             uri: "https://www.youtube.com/watch?v=zzzzzzzzzzz", sourceName: "youtube")
        let played = Track(encoded: "yt3", title: "Neon Avenue", author: "Ada Vance", lengthMs: 1, sourceName: "youtube")
        let fresh = Track(encoded: "yt4", title: "Paper Lanterns", author: "Ada Vance", lengthMs: 1, sourceName: "youtube")
        let candidates = [youtube, reupload, played, fresh]
        #expect(AutoplayQuery.pick(from: candidates, last: youtube, recent: ["yt3"]) == fresh)
        #expect(AutoplayQuery.pick(from: [youtube, reupload, played], last: youtube, recent: ["yt3"]) == nil)
    }
}
