import AnankorCore
import Foundation
import Testing

@Suite("Music session: autoplay modes and skipped segments")
struct MusicSessionAutoplayTests {
    typealias F = SessionFixture

    /// Ends whatever plays (the worker reports it finished) and returns what the session asked for.
    static func endCurrent(_ driver: inout SessionDriver) -> (after: Track, mode: AutoplayMode, excluding: [Track])? {
        guard let current = driver.record.nowPlaying else { return nil }
        let effects = driver.report(.trackEnded(current.entry.id, reason: .finished))
        return effects.lazy.compactMap { effect -> (Track, AutoplayMode, [Track])? in
            if case .findAutoplay(let after, let mode, let excluding) = effect { (after, mode, excluding) } else { nil }
        }.first
    }

    @Test("/autoplay mode: turns autoplay on that way; the queue ending asks for a track by that mode")
    func modeChosen() throws {
        var driver = SessionDriver.playing(["a"])
        #expect(driver.command(2, .autoplayMode(.artist)).reply(to: 2) == .autoplayMode(.artist))
        #expect(driver.record.autoplay && driver.record.autoplayMode == .artist)
        let asked = try #require(Self.endCurrent(&driver))
        #expect(asked.after == F.track("a") && asked.mode == .artist && asked.excluding == [F.track("a")])
        driver.send(.autoplayFound(F.track("by-artist")))
        #expect(driver.record.nowPlaying?.entry.track.title == "by-artist")
    }

    @Test("mixed takes turns: similar, then artist, then similar")
    func mixedAlternates() throws {
        var driver = SessionDriver.playing(["a"])
        driver.command(2, .autoplayMode(.mixed))
        var modes: [AutoplayMode] = []
        for name in ["x", "y", "z"] {
            let asked = try #require(Self.endCurrent(&driver))
            modes.append(asked.mode)
            driver.send(.autoplayFound(F.track(name)))
            #expect(driver.record.nowPlaying?.entry.track.title == name)
        }
        #expect(modes == [.similar, .artist, .similar])
    }

    @Test("autoplay never queues a recently played track, whatever the search answered")
    func recentExcluded() throws {
        var driver = SessionDriver.playing(["a", "b"])
        driver.command(2, .autoplay(true))
        driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        let asked = try #require(Self.endCurrent(&driver))
        #expect(asked.excluding == [F.track("a"), F.track("b")], "the recent history goes with the request")
        let effects = driver.send(.autoplayFound(F.track("a")))
        #expect(driver.record.nowPlaying == nil && driver.record.queue.isEmpty, "a track just played is not queued again")
        #expect(effects.sent.isEmpty)
        #expect(!driver.record.autoplayAsked, "the request is answered; the next end of the queue asks again")
    }

    @Test("toggling keeps the chosen mode; off is off")
    func toggleKeepsMode() {
        var driver = SessionDriver.playing(["a"])
        driver.command(2, .autoplayMode(.artist))
        #expect(driver.command(3, .autoplay(nil)).reply(to: 3) == .autoplay(false))
        #expect(driver.command(4, .autoplay(nil)).reply(to: 4) == .autoplayMode(.artist))
        #expect(driver.command(5, .autoplay(false)).reply(to: 5) == .autoplay(false))
        let ended = driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        #expect(!ended.contains { if case .findAutoplay = $0 { true } else { false } }, "off asks for nothing")
    }

    @Test("a skipped segment shows on the board until the next track (or a repeat of the same one)")
    func skippedSegment() {
        var driver = SessionDriver.playing(["a", "b"])
        driver.command(2, .loop(.track))
        let a = driver.record.nowPlaying!.entry.id
        let part = SkippedSegment.Part(category: "sponsor", startMs: 30_000, endMs: 45_000)
        #expect(driver.report(.segmentSkipped(a, part), from: F.w2).isEmpty, "not the bound worker")
        let skipped = driver.report(.segmentSkipped(a, part))
        #expect(driver.record.skippedSegment == SkippedSegment(entry: a, part: part))
        #expect(skipped.contains(.refreshBoard), "the now-playing message is edited to say so")
        #expect(driver.report(.segmentSkipped(QueueEntryID("other"), part)).isEmpty, "a late event about another entry")

        let repeated = driver.report(.trackEnded(a, reason: .finished))
        #expect(driver.record.nowPlaying?.entry.id == a && driver.record.skippedSegment == nil)
        #expect(repeated.contains(.refreshBoard))

        driver.report(.segmentSkipped(nil, part))
        #expect(driver.record.skippedSegment?.entry == a, "without an entry it is about what plays")
        driver.command(3, .loop(.off))
        driver.command(4, .skip(to: nil))
        #expect(driver.record.nowPlaying?.entry.track.title == "b")
        #expect(driver.record.skippedSegment == nil, "the line goes with the track")
    }

    @Test("records stored before autoplay modes read as similar")
    func oldRecords() throws {
        var driver = SessionDriver.playing(["a"])
        driver.command(2, .autoplay(true))
        let data = try JSONEncoder().encode(driver.record)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["am"] == nil && object["ss"] == nil, "unset fields are not written")
        object.removeValue(forKey: "at")
        let old = try JSONDecoder().decode(SessionRecord.self, from: JSONSerialization.data(withJSONObject: object))
        driver = SessionDriver(record: old)
        #expect(Self.endCurrent(&driver)?.mode == .similar)
    }
}
