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

@Suite("Autoplay picks and SponsorBlock choices")
struct AutoplayPickTests {
    static func track(_ encoded: String, _ title: String, _ author: String, uri: String? = nil) -> Track {
        Track(encoded: encoded, title: title, author: author, lengthMs: 200_000, uri: uri, sourceName: "youtube")
    }

    @Test("a pick skips every recently played track: same encoding, same link, or the same song re-uploaded")
    func pickSkipsRecent() {
        let last = Self.track("e1", "Harbour", "Ada")
        let recent = [Self.track("e2", "Tides", "Mira", uri: "https://youtu.be/t"), Self.track("e3", "Dawn", "Ada")]
        let candidates = [
            Self.track("e1", "Harbour", "Ada"), Self.track("e9", "Tides", "Mira", uri: "https://youtu.be/t"),
            Self.track("e8", "Dawn (Official Video)", "Ada - Topic"), Self.track("e7", "Night", "Ada"),
        ]
        #expect(AutoplayQuery.pick(from: candidates, last: last, recent: recent)?.encoded == "e7")
        #expect(AutoplayQuery.pick(from: Array(candidates.prefix(3)), last: last, recent: recent) == nil)
    }

    @Test("mixed alternates by turn; the others stay themselves")
    func strategies() {
        #expect((0..<4).map { AutoplayMode.mixed.strategy(turn: $0) } == [.similar, .artist, .similar, .artist])
        #expect(AutoplayMode.artist.strategy(turn: 1) == .artist && AutoplayMode.similar.strategy(turn: 0) == .similar)
    }

    @Test("SponsorBlock categories: commas or spaces, any case, none, and the first unknown word named")
    func sponsorBlockChoice() {
        #expect(GuildSettings.sponsorBlockChoice(parsing: "Intro, sponsor  sponsor") == .categories(["sponsor", "intro"]))
        #expect(GuildSettings.sponsorBlockChoice(parsing: "music-offtopic") == .categories(["music_offtopic"]))
        #expect(GuildSettings.sponsorBlockChoice(parsing: " none ") == .categories([]))
        #expect(GuildSettings.sponsorBlockChoice(parsing: "sponsor, ads, spam") == .unknown("ads"))
        #expect(GuildSettings.sponsorBlockChoice(parsing: "none sponsor") == .unknown("none"))
    }
}
