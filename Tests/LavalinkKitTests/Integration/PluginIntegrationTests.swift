import Foundation
import LavalinkEmulator
import Testing

@testable import LavalinkKit

/// LavaSrc, SponsorBlock, LavaSearch and LavaLyrics against emulated nodes with and without them.
@Suite("LavalinkKit against the Lavalink emulator: plugins")
struct PluginIntegrationTests {
    func segmentEvent(_ event: PoolEvent) -> PluginEvent? {
        if case .plugin(let plugin)? = event.playerEvent { return plugin }
        return nil
    }

    @Test("plugins are read from /v4/info; a node without them refuses each feature with pluginMissing")
    func detection() async throws {
        try await withEmulator(plugins: .none) { emulator in
            let node = Emulated.node("bare", emulator)
            try await withPool([node]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("bare") }
                #expect(await node.info?.plugins.isEmpty == true)
                for plugin in LavalinkPlugin.known { #expect(await node.has(plugin) == false) }
                let search = await #expect(throws: LavalinkError.self) { try await pool.loadSearch("spsearch:x", types: [.album]) }
                #expect(search?.code == .pluginMissing && search?.plugin == .lavaSearch)
                let lyrics = await #expect(throws: LavalinkError.self) { try await pool.lyrics(encodedTrack: "x") }
                #expect(lyrics?.code == .pluginMissing && lyrics?.plugin == .lavaLyrics)
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                let categories = await #expect(throws: LavalinkError.self) {
                    try await pool.setSponsorBlockCategories(guildId: "100", [.sponsor])
                }
                #expect(categories?.code == .pluginMissing && categories?.plugin == .sponsorBlock)
                #expect(categories?.description.contains("SponsorBlock") == true)
                let read = await #expect(throws: LavalinkError.self) { try await pool.sponsorBlockCategories(guildId: "100") }
                #expect(read?.code == .pluginMissing && read?.plugin == .sponsorBlock)
                // LavaSrc links and search prefixes find nothing on a node without LavaSrc.
                #expect(try await pool.loadTracks("https://open.spotify.com/track/0eG08cBeKk0mzykKjw4hcQ") == .empty)
                #expect(try await pool.loadTracks("spsearch:architects") == .empty)
            }
        }
        try await withEmulator(plugins: .all) { emulator in
            let node = Emulated.node("full", emulator)
            try await withNode(node) { log in
                try await waitFor("ready", in: log) { if case .ready = $0 { true } else { false } }
                let info = try #require(await node.info)
                #expect(info.knownPlugins == LavalinkPlugin.known)
                #expect(info.sourceManagers.contains("spotify"))
            }
        }
    }

    @Test("LavaSrc: links and prefixes of every source resolve, with pluginInfo, and a Spotify track plays")
    func lavaSrc() async throws {
        try await withEmulator(plugins: EmulatedPlugins(lavaSrc: true)) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                guard case .track(let track) = try await pool.loadTracks("https://open.spotify.com/intl-de/track/0eG08cBeKk0mzykKjw4hcQ")
                else { Issue.record("a Spotify track link did not load a track"); return }
                #expect(track.info.sourceName == "spotify" && track.info.identifier == "0eG08cBeKk0mzykKjw4hcQ")
                #expect(track.info.isrc?.count == 12 && track.isMirrored)
                let extra = try #require(track.lavaSrc)
                #expect(extra.albumName?.isEmpty == false && extra.isPreview == false && extra.artistUrl != nil)

                guard case .playlist(let album) = try await pool.loadTracks("https://open.spotify.com/album/7qemUq4n71awwVPOaX7jw4")
                else { Issue.record("album link did not load a playlist"); return }
                let albumInfo = try #require(album.lavaSrc)
                #expect(albumInfo.type == .album && albumInfo.totalTracks == album.tracks.count && !album.tracks.isEmpty)
                #expect(albumInfo.url == "https://open.spotify.com/album/7qemUq4n71awwVPOaX7jw4")

                let links = [
                    ("https://music.apple.com/cy/album/animals/1533388849?i=1533388859", "applemusic"),
                    ("https://www.deezer.com/track/1090538082", "deezer"),
                    ("https://music.yandex.ru/album/13886032/track/71663565", "yandexmusic"),
                ]
                for (link, source) in links {
                    guard case .track(let linked) = try await pool.loadTracks(link) else { Issue.record("\(link) found nothing"); continue }
                    #expect(linked.info.sourceName == source)
                }
                guard case .playlist(let artist) = try await pool.loadTracks("https://www.deezer.com/artist/159126")
                else { Issue.record("artist link did not load"); return }
                #expect(artist.lavaSrc?.type == .artist)

                guard case .search(let found) = try await pool.loadTracks("spsearch:animals architects")
                else { Issue.record("spsearch found nothing"); return }
                #expect(found.count == 5 && found.allSatisfy { $0.info.sourceName == "spotify" })
                #expect(LavaSrc.source(of: "spsearch:animals")?.sourceName == "spotify")
                #expect(LavaSrc.source(of: "https://music.apple.com/us/album/x/1")?.sourceName == "applemusic")

                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                let started = try await waitFor("TrackStart", in: log) { $0.playerEvent?.startedTitle == track.info.title }
                guard case .trackStart(let playing)? = started.playerEvent else { return }
                #expect(playing.info.sourceName == "spotify" && playing.lavaSrc?.albumName == extra.albumName)
            }
        }
    }

    @Test("SponsorBlock: categories round-trip; chosen segments are loaded, skipped and announced; chapters start")
    func sponsorBlock() async throws {
        try await withEmulator(plugins: EmulatedPlugins(sponsorBlock: true)) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                #expect(try await pool.sponsorBlockCategories(guildId: "100") == nil)
                try await pool.setSponsorBlockCategories(guildId: "100", [.sponsor, .selfPromo])
                #expect(try await pool.sponsorBlockCategories(guildId: "100") == [.sponsor, .selfPromo])

                let identifier = "emulator:track:segmented?length=100000&segments=intro:0-3000,sponsor:10000-20000"
                let track = try #require(try await pool.loadTracks(identifier).tracks.first)
                try await pool.update(guildId: "100", .play(track))
                let loaded = try await waitFor("SegmentsLoaded", in: log) {
                    if case .segmentsLoaded? = segmentEvent($0) { true } else { false }
                }
                // Only the chosen categories: the intro plays.
                #expect(segmentEvent(loaded) == .segmentsLoaded([SponsorBlock.Segment(category: .sponsor, start: 10_000, end: 20_000)]))
                let chapters = try await waitFor("ChaptersLoaded", in: log) {
                    if case .chaptersLoaded? = segmentEvent($0) { true } else { false }
                }
                guard case .chaptersLoaded(let list)? = segmentEvent(chapters) else { return }
                #expect(list.map(\.name) == ["Intro", "Verse", "Chorus", "Outro"] && list[1].start == 25_000 && list[1].duration == 25_000)

                await emulator.advance(byMilliseconds: 10_000)
                let skipped = try await waitFor("SegmentSkipped", in: log) {
                    if case .segmentSkipped? = segmentEvent($0) { true } else { false }
                }
                #expect(segmentEvent(skipped) == .segmentSkipped(SponsorBlock.Segment(category: .sponsor, start: 10_000, end: 20_000)))
                #expect(try #require(await emulator.player(guildId: "100")).position == 20_000)
                #expect(await pool.snapshot(guildId: "100")?.position == 20_000)

                await emulator.advance(byMilliseconds: 5_000)
                let verse = try await waitFor("ChapterStarted Verse", in: log) {
                    if case .chapterStarted(let chapter)? = segmentEvent($0) { chapter.name == "Verse" } else { false }
                }
                #expect(verse.playerEvent != nil)

                let mark = await log.events.count
                try await pool.update(guildId: "100", PlayerUpdate(position: 0))  // a seek back skips the segment again
                await emulator.advance(byMilliseconds: 10_000)
                try await waitFor("second SegmentSkipped", in: log, from: mark) {
                    if case .segmentSkipped? = segmentEvent($0) { true } else { false }
                }

                try await pool.deleteSponsorBlockCategoriesForTest(guildId: "100")
                #expect(try await pool.sponsorBlockCategories(guildId: "100") == nil)
            }
        }
    }

    @Test("SponsorBlock: YouTube videos of the catalogue carry their documented segments")
    func catalogueSegments() async throws {
        try await withEmulator(plugins: EmulatedPlugins(sponsorBlock: true)) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let results = try await pool.loadTracks("ytsearch:sponsored video").tracks
                let long = try #require(results.first { $0.info.length >= 150_000 })
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                try await pool.setSponsorBlockCategories(guildId: "100", [.sponsor, .selfPromo, .interaction])
                try await pool.update(guildId: "100", .play(long))
                let loaded = try await waitFor("SegmentsLoaded", in: log) {
                    if case .segmentsLoaded? = segmentEvent($0) { true } else { false }
                }
                #expect(segmentEvent(loaded) == .segmentsLoaded([
                    .init(category: .sponsor, start: 30_000, end: 45_000),
                    .init(category: .interaction, start: 60_000, end: 65_000),
                    .init(category: .selfPromo, start: long.info.length - 30_000, end: long.info.length - 10_000),
                ]))
            }
        }
    }

    @Test("without SponsorBlock a track plays through its segments without segment events")
    func noSponsorBlock() async throws {
        try await withEmulator(plugins: .none) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let track = try #require(try await pool.loadTracks("emulator:track:plain?length=30000&segments=sponsor:1000-20000").tracks.first)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                await emulator.advance(byMilliseconds: 30_000)
                try await waitFor("TrackEnd", in: log) { $0.playerEvent?.endReason == .finished }
                #expect(await log.events.allSatisfy { segmentEvent($0) == nil })
            }
        }
    }

    @Test("LavaSearch: typed results, albums without tracks whose url loads them; nothing found is nil")
    func lavaSearch() async throws {
        try await withEmulator(plugins: EmulatedPlugins(lavaSrc: true, lavaSearch: true)) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let albums = try #require(try await pool.loadSearch("spsearch:architects", types: [.album]))
                #expect(albums.albums.count == 3 && albums.tracks.isEmpty && albums.artists.isEmpty)
                let album = albums.albums[0]
                #expect(album.tracks.isEmpty && album.lavaSrc?.type == .album)
                guard case .playlist(let loaded) = try await pool.loadTracks(try #require(album.lavaSrc?.url)) else {
                    Issue.record("the album's url did not load"); return
                }
                #expect(loaded.info.name == album.info.name && loaded.tracks.count == album.lavaSrc?.totalTracks)

                let all = try #require(try await pool.loadSearch("dzsearch:architects", types: LavaSearch.ResultType.allCases))
                #expect(all.tracks.count == 5 && all.artists.count == 2 && all.playlists.count == 3 && all.texts.count == 2)
                #expect(all.collections(.artist).first?.lavaSrc?.type == .artist)
                #expect(try await pool.loadSearch("spsearch:emulator:empty", types: [.track]) == nil)
                #expect(try await pool.loadSearch("no prefix", types: [.track]) == nil)
            }
        }
    }

    @Test("LavaLyrics: timed lyrics of a LavaSrc track, plain ones of a video, none for SoundCloud")
    func lavaLyrics() async throws {
        try await withEmulator(plugins: EmulatedPlugins(lavaSrc: true, lavaLyrics: true)) { emulator in
            try await withPool([Emulated.node("a", emulator)]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "100", PlayerUpdate(voice: Emulated.voice))
                let nothing = await #expect(throws: LavalinkError.self) { try await pool.currentTrackLyrics(guildId: "100") }
                #expect(nothing?.status == 404 && nothing?.serverBody?.message == "No track playing")

                let spotify = try #require(try await pool.loadTracks("https://open.spotify.com/track/5ofoB8PFmocBXFBEWVb6Vz").tracks.first)
                try await pool.update(guildId: "100", .play(spotify))
                let timed = try #require(try await pool.currentTrackLyrics(guildId: "100"))
                #expect(timed.isTimed && timed.sourceName == "spotify" && timed.text == nil)
                #expect(timed.lines.first?.timestamp == 8_000 && timed.lines.map(\.timestamp) == timed.lines.map(\.timestamp).sorted())

                let video = try #require(try await pool.loadTracks("ytsearch:lyrics please").tracks.first)
                let plain = try #require(try await pool.lyrics(encodedTrack: video.encoded))
                #expect(!plain.isTimed && plain.text?.isEmpty == false && plain.fullText == plain.text)

                let soundcloud = try #require(try await pool.loadTracks("scsearch:no words").tracks.first)
                #expect(try await pool.lyrics(encodedTrack: soundcloud.encoded) == nil)
            }
        }
    }

    @Test("plugins switched through the control API show in /v4/info and their routes")
    func switchedAtRuntime() async throws {
        try await withEmulator(plugins: .none) { emulator in
            let rest = LavalinkREST(endpoint: NodeEndpoint(host: "127.0.0.1", port: emulator.port, password: emulator.password),
                                    nodeName: "a", httpClient: Emulated.httpClient)
            let missing = await #expect(throws: LavalinkError.self) { try await rest.loadSearch("spsearch:x", types: [.track]) }
            #expect(missing?.status == 404)
            await emulator.setPlugins(EmulatedPlugins(lavaSrc: true, lavaSearch: true))
            let info = try await rest.info()
            #expect(info.knownPlugins == [.lavaSrc, .lavaSearch])
            let found = try await rest.loadSearch("spsearch:x", types: [.track])
            #expect(found?.tracks.count == 5)
        }
    }
}

extension LavalinkNodePool {
    /// DELETE through the player's node (the pool offers set and get; tests also need delete).
    func deleteSponsorBlockCategoriesForTest(guildId: String) async throws {
        guard let name = snapshot(guildId: guildId)?.node, let node = node(named: name) else { return }
        try await node.rest.deleteSponsorBlockCategories(sessionId: try await node.requireSession(), guildId: guildId)
    }
}
