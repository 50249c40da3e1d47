import Foundation
import Testing

@testable import LavalinkKit

/// The plugins' payloads as their repositories document them.
@Suite("Plugin payload decoding")
struct PluginDecodingTests {
    func message(_ json: String) throws -> NodeMessage {
        try JSONDecoder().decode(NodeMessage.self, from: Data(json.utf8))
    }

    @Test func sponsorBlockEvents() throws {
        let loaded = try message(#"{"op":"event","type":"SegmentsLoaded","guildId":"1","segments":[{"category":"sponsor","start":1000,"end":2000}]}"#)
        #expect(loaded == .event(PlayerEvent(guildId: "1", kind: .plugin(.segmentsLoaded([.init(category: .sponsor, start: 1000, end: 2000)])))))
        let skipped = try message(#"{"op":"event","type":"SegmentSkipped","guildId":"1","segment":{"category":"music_offtopic","start":0,"end":5}}"#)
        #expect(skipped == .event(PlayerEvent(guildId: "1", kind: .plugin(.segmentSkipped(.init(category: .musicOffTopic, start: 0, end: 5))))))
        let chapter = try message(#"{"op":"event","type":"ChapterStarted","guildId":"1","chapter":{"name":"Intro","start":0,"end":60000,"duration":60000}}"#)
        #expect(chapter == .event(PlayerEvent(guildId: "1", kind: .plugin(.chapterStarted(.init(name: "Intro", start: 0, end: 60000, duration: 60000))))))
        // An unknown category survives; an unknown plugin event is not an error.
        let other = try message(#"{"op":"event","type":"SegmentSkipped","guildId":"1","segment":{"category":"new_kind","start":0,"end":5}}"#)
        if case .event(let event) = other, case .plugin(.segmentSkipped(let segment)) = event.kind {
            #expect(segment.category.rawValue == "new_kind")
        } else {
            Issue.record("unknown category did not decode")
        }
        #expect(try message(#"{"op":"event","type":"LyricsLineEvent","guildId":"1"}"#) == .event(PlayerEvent(guildId: "1", kind: .unknown(type: "LyricsLineEvent"))))
        // A segment in another shape (the plugin's old README showed times as strings) is unknown, not an error.
        #expect(try message(#"{"op":"event","type":"SegmentSkipped","guildId":"1","segment":{"category":"sponsor","start":"1","end":"2"}}"#)
            == .event(PlayerEvent(guildId: "1", kind: .unknown(type: "SegmentSkipped"))))
    }

    @Test func lyricsObject() throws {
        let json = #"{"sourceName":"spotify","provider":"MusixMatch","text":null,"lines":[{"timestamp":16770,"duration":null,"line":"Took a walk","plugin":{}}],"plugin":{}}"#
        let lyrics = try JSONDecoder().decode(Lyrics.self, from: Data(json.utf8))
        #expect(lyrics.isTimed && lyrics.lines[0].timestamp == 16770 && lyrics.lines[0].duration == nil)
        #expect(lyrics.fullText == "Took a walk")
    }

    @Test func searchResultAndPluginInfo() throws {
        let json = #"{"albums":[{"info":{"name":"For Those That Wish To Exist","selectedTrack":-1},"pluginInfo":{"type":"album","url":"https://x/album/1","artworkUrl":null,"author":"Architects","totalTracks":15},"tracks":[]}],"texts":[{"text":"Architects","plugin":{}}],"plugin":{}}"#
        let result = try JSONDecoder().decode(LavaSearch.Result.self, from: Data(json.utf8))
        #expect(result.tracks.isEmpty && result.albums.count == 1 && result.texts.map(\.text) == ["Architects"])
        let info = try #require(result.albums[0].lavaSrc)
        #expect(info.type == .album && info.totalTracks == 15 && info.author == "Architects" && info.artworkUrl == nil)
    }

    @Test func pluginNamesFromInfo() {
        let named = { (name: String) in NodeInfo.Plugin(name: name, version: "1") }
        #expect(LavalinkPlugin.lavaSrc.matches(named("lavasrc-plugin")) && LavalinkPlugin.lavaSrc.matches(named("lavasrc")))
        #expect(LavalinkPlugin.sponsorBlock.matches(named("sponsorblock-plugin")))
        #expect(!LavalinkPlugin.lavaSearch.matches(named("lavasrc-plugin")))
    }
}
