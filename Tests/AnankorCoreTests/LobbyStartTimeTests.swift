import Foundation
import Testing

@testable import AnankorCore

@Suite("Lobby start times")
struct LobbyStartTimeTests {
    // 2026-11-24 15:00:00 UTC, a Tuesday.
    let now = Date(timeIntervalSince1970: 1_795_532_400)
    let utc = TimeZone(identifier: "UTC")!

    func parse(_ text: String, zone: TimeZone? = nil) throws(StartTimeError) -> Date {
        try LobbyStartTime.parse(text, now: now, defaultTimeZone: zone ?? utc).date
    }

    @Test(arguments: [
        ("in 30m", 1800.0), ("30m", 1800), ("in 1h30m", 5400), ("1h 30m", 5400),
        ("in 2 hours", 7200), ("in 90 minutes", 5400), ("45min", 2700), ("now", 0), ("in 1 day", 86_400),
    ])
    func relative(text: String, seconds: Double) throws {
        #expect(try parse(text).timeIntervalSince(now) == seconds)
    }

    @Test func absoluteWithIANAZone() throws {
        // Berlin is UTC+1 in December.
        let date = try parse("2026-12-24 20:00 Europe/Berlin")
        #expect(date == Date(timeIntervalSince1970: 1_798_138_800))
        #expect(try parse("2026-12-24 20:00 europe/berlin") == date)
        #expect(try parse("2026-12-24 14:00 America/New_York") == date)
        #expect(try parse("2026-12-24T19:00Z") == date)
        #expect(try parse("2026-12-24T20:00+01:00") == date)
        #expect(try parse("2026-12-24 21:00 UTC+2") == date)
    }

    @Test func clockTimeIsItsNextOccurrence() throws {
        #expect(try parse("20:00").timeIntervalSince(now) == 5 * 3600)
        // 14:00 UTC already passed today: tomorrow.
        #expect(try parse("14:00").timeIntervalSince(now) == 23 * 3600)
        #expect(try parse("8pm").timeIntervalSince(now) == 5 * 3600)
        #expect(try parse("tomorrow 20:00").timeIntervalSince(now) == 29 * 3600)
        // 17:00 in Berlin is 16:00 UTC.
        #expect(try parse("17:00 Europe/Berlin").timeIntervalSince(now) == 3600)
        // The guild's default zone applies when none is typed.
        #expect(try parse("17:00", zone: TimeZone(identifier: "Europe/Berlin")).timeIntervalSince(now) == 3600)
    }

    @Test(arguments: ["soon", "in 30 parsecs", "25:00", "2026-02-30 10:00", "", "12:61", "in", "m30"])
    func unreadable(text: String) {
        #expect(throws: StartTimeError(.unreadable, text)) { try parse(text) }
    }

    @Test func unknownZone() {
        #expect(throws: StartTimeError(.unknownTimeZone, "20:00 Mars/Olympus")) { try parse("20:00 Mars/Olympus") }
        #expect(throws: StartTimeError(.unknownTimeZone, "20:00 UTC+19")) { try parse("20:00 UTC+19") }
    }

    @Test func datedTimesInThePastAreRefused() {
        #expect(throws: StartTimeError(.inPast, "2026-11-24 10:00 UTC")) { try parse("2026-11-24 10:00 UTC") }
    }

    @Test func tooFarAhead() {
        #expect(throws: StartTimeError(.tooFar, "in 400 days")) { try parse("in 400 days") }
    }

    @Test func hostileInputIsRefusedNotCrashing() {
        #expect(throws: StartTimeError.self) { try parse(String(repeating: "9", count: 5000)) }
        #expect(throws: StartTimeError.self) { try parse("in 99999999999999999999h") }
        #expect(throws: StartTimeError.self) { try parse("-:-") }
    }

    @Test func theZoneReadIsKeptForRepeatingLobbies() throws {
        let berlin = try LobbyStartTime.parse("20:00 Europe/Berlin", now: now)
        #expect(berlin.timeZone?.identifier == "Europe/Berlin")
        let offset = try LobbyStartTime.parse("20:00 UTC+2", now: now)
        #expect(offset.timeZone?.secondsFromGMT(for: now) == 7200)
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(try LobbyStartTime.parse("21:00", now: now, defaultTimeZone: tokyo).timeZone == tokyo, "the default")
        #expect(try LobbyStartTime.parse("in 30m", now: now, defaultTimeZone: tokyo).timeZone == tokyo)
    }

    @Test func markupUsesUnixSeconds() throws {
        let start = try LobbyStartTime.parse("in 30m", now: now)
        #expect(start.fullMarkup == "<t:1795534200:F>")
        #expect(start.relativeMarkup == "<t:1795534200:R>")
    }
}

@Suite("Playback times")
struct PlaybackTimeTests {
    @Test func formats() {
        #expect(PlaybackTime.format(milliseconds: 187_000) == "3:07")
        #expect(PlaybackTime.format(milliseconds: 3_723_000) == "1:02:03")
        #expect(PlaybackTime.format(milliseconds: 0) == "0:00")
        #expect(PlaybackTime.format(milliseconds: nil) == "LIVE")
    }

    @Test(arguments: [("1:23", Int64(83_000)), ("01:02:03", 3_723_000), ("90", 90_000), ("2m", 120_000),
                      ("1h2m3s", 3_723_000), (" 45s ", 45_000)])
    func parses(text: String, milliseconds: Int64) {
        #expect(PlaybackTime.parse(text) == milliseconds)
    }

    @Test(arguments: ["", "abc", "1:60", "-5", "-1:00", "1:2:3:4", "99999999999", "5x", "h", ":30"])
    func refuses(text: String) {
        #expect(PlaybackTime.parse(text) == nil)
    }
}
