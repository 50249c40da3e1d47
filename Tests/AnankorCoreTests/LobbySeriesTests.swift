import Foundation
import Testing

@testable import AnankorCore

@Suite("Lobby series")
struct LobbySeriesTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let host = UserID(100)

    func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

    func series(_ rule: LobbyRepeat, start: Date, zone: TimeZone? = nil) -> LobbySeries {
        LobbySeries(id: LobbyID("abc"), rule: rule, start: start, zone: zone ?? berlin, host: host)
    }

    func local(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    @Test func keepsTheLocalTimeOfItsZone() {
        // 2026-03-28 20:00 CET.
        let daily = series(.daily, start: at(1_774_724_400))
        #expect(daily.hour == 20 && daily.minute == 0 && daily.second == 0)
        #expect(daily.localTime == "20:00" && daily.timeZone == "Europe/Berlin" && daily.occurrence == 1)
    }

    @Test("daily across the spring DST change: 20:00 CET, then 20:00 CEST (23 hours later)")
    func dailyAcrossSpringForward() {
        let start = at(1_774_724_400)  // 2026-03-28 20:00 CET = 19:00Z
        let next = series(.daily, start: start).nextStart(after: start, now: start)
        #expect(next == at(1_774_807_200))  // 2026-03-29 20:00 CEST = 18:00Z
        #expect(next.timeIntervalSince(start) == 23 * 3600)
    }

    @Test("daily across the autumn DST change: 25 hours later, still 20:00 local")
    func dailyAcrossFallBack() {
        let start = at(1_792_864_800)  // 2026-10-24 20:00 CEST
        #expect(series(.daily, start: start).nextStart(after: start, now: start) == at(1_792_954_800))
    }

    @Test func weeklyKeepsTheWeekdayAndTimeAcrossDST() {
        let start = at(1_774_206_000)  // Sunday 2026-03-22 20:00 CET
        let next = series(.weekly, start: start).nextStart(after: start, now: start)
        #expect(next == at(1_774_807_200))  // Sunday 2026-03-29 20:00 CEST
    }

    @Test func aTimeInTheDSTGapMovesForwardThatDayOnlyAndTheSeriesKeepsItsTime() {
        let start = at(1_774_661_400)  // 2026-03-28 02:30 CET; 02:30 does not exist on the 29th
        let daily = series(.daily, start: start)
        let gapDay = daily.nextStart(after: start, now: start)
        let gapLocal = local(gapDay, berlin)
        #expect(gapLocal.day == 29 && gapLocal.month == 3)
        #expect(gapDay > start)
        let after = daily.nextStart(after: gapDay, now: gapDay)
        #expect(after == at(1_774_830_600), "2026-03-30 02:30 CEST, not 03:30: \(local(after, berlin))")
    }

    @Test func crossesMonthEnds() {
        let start = at(1_769_889_600)  // 2026-01-31 21:00 CET
        #expect(series(.daily, start: start).nextStart(after: start, now: start) == at(1_769_976_000))
    }

    @Test func skipsOccurrencesThatBeganBeforeNow() {
        let start = at(1_774_724_400)  // 2026-03-28 20:00 CET
        // The lobby ran until 2026-03-29 21:00: the 29th's lobby would already have begun.
        let next = series(.daily, start: start).nextStart(after: start, now: at(1_774_807_200 + 3600))
        #expect(local(next, berlin) == DateComponents(year: 2026, month: 3, day: 30, hour: 20, minute: 0))
    }

    @Test func offsetZonesKeepTheirOffset() throws {
        let plusTwo = try #require(TimeZone(secondsFromGMT: 7200))
        let start = at(1_774_724_400)  // 21:00 at +02:00
        let daily = series(.daily, start: start, zone: plusTwo)
        #expect(daily.localTime == "21:00")
        #expect(daily.nextStart(after: start, now: start) == start.addingTimeInterval(86_400))
        #expect(daily.zone.secondsFromGMT(for: start) == 7200, "the identifier \(daily.timeZone) reads back")
    }

    @Test func lobbyIDsOfTheSeriesAreDistinctAndWellFormed() {
        let daily = series(.daily, start: at(0))
        #expect(daily.lobbyID(occurrence: 1) == LobbyID("abc"))
        let ids = (1...40).map { daily.lobbyID(occurrence: $0) }
        #expect(Set(ids).count == 40)
        #expect(ids.allSatisfy { Lobby.isWellFormedID($0.rawValue) })
    }

    // MARK: The lobby's side

    func lobby(rule: LobbyRepeat? = .daily) -> Lobby {
        let start = at(1_774_724_400)
        var lobby = Lobby(id: LobbyID("abc"), guild: GuildID(1), textChannel: ChannelID(2), host: host, title: "Raid",
                          game: "Chess", seats: 4, roles: [LobbyRole(name: "tank", seats: 1)], startAt: start,
                          voiceChannel: ChannelID(9), tempRole: RoleID(7), reminderOffsets: [600],
                          musicQuery: "lofi", createdAt: start.addingTimeInterval(-3600), locale: .german)
        if let rule { lobby.series = LobbySeries(id: lobby.id, rule: rule, start: start, zone: berlin, host: host) }
        lobby.join(host, role: nil, now: lobby.createdAt)
        return lobby
    }

    @Test func anActiveLobbyHasNoNextYet() {
        #expect(lobby().nextInSeries(now: at(1_774_724_400)) == nil)
    }

    @Test func theNextLobbyCopiesTheTemplateWithANewRosterAndStart() throws {
        var ended = lobby()
        let other = UserID(5)
        ended.join(other, role: nil, now: ended.createdAt)
        ended.leave(host)  // hosting passed to `other`
        ended.state = .ended
        ended.voiceIsTemporary = true
        let now = at(1_774_724_400 + 7200)
        let next = try #require(ended.nextInSeries(now: now))
        #expect(next.id == LobbyID("abcr2") && next.series?.occurrence == 2)
        #expect(next.startAt == at(1_774_807_200))
        #expect(next.host == host, "the series' host, not the last one's")
        #expect(next.participants.map(\.user) == [host] && next.bench.isEmpty)
        #expect(next.state == .open && next.version == 0 && next.message == nil && next.createdAt == now)
        #expect(next.title == "Raid" && next.game == "Chess" && next.seats == 4 && next.roles == ended.roles)
        #expect(next.tempRole == RoleID(7) && next.reminderOffsets == [600] && next.musicQuery == "lofi")
        #expect(next.locale == .german && next.textChannel == ChannelID(2))
        #expect(next.voiceChannel == nil, "the temporary channel was deleted with the last lobby")
        var third = next
        third.state = .cancelled
        #expect(third.nextInSeries(now: now)?.id == LobbyID("abcr3"))
    }

    @Test func aGivenVoiceChannelIsKept() throws {
        var cancelled = lobby()
        cancelled.state = .cancelled
        #expect(try #require(cancelled.nextInSeries(now: at(1_774_724_400))).voiceChannel == ChannelID(9))
    }

    @Test func aStoppedSeriesOrAOneOffLobbyHasNoNext() {
        var stopped = lobby()
        let didStop = stopped.stopSeries()
        #expect(didStop)
        stopped.state = .cancelled
        #expect(stopped.series?.stopped == true)
        #expect(stopped.nextInSeries(now: at(1_774_724_400)) == nil)
        var oneOff = lobby(rule: nil)
        let oneOffStopped = oneOff.stopSeries()
        #expect(!oneOffStopped)
        oneOff.state = .ended
        #expect(oneOff.nextInSeries(now: at(1_774_724_400)) == nil)
    }

    @Test func lobbiesStoredBeforeSeriesExistedStillDecode() throws {
        var oneOff = lobby(rule: nil)
        oneOff.series = nil
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(oneOff)) as? [String: Any])
        json["series"] = nil
        let decoded = try JSONDecoder().decode(Lobby.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.series == nil)
        let series = lobby()
        #expect(try JSONDecoder().decode(Lobby.self, from: JSONEncoder().encode(series)) == series)
    }

    @Test("a closed lobby of a running series stays listed until the next lobby is saved")
    func listedUntilTheNextIsSaved() throws {
        let open = lobby()
        #expect(open.isListed && !open.awaitsNextInSeries)
        var ended = open
        ended.state = .ended
        #expect(ended.awaitsNextInSeries && ended.isListed)
        #expect(try #require(ended.nextInSeries(now: at(1_774_724_400))).series?.nextSaved == false,
                "the next lobby awaits its own next one when it closes")
        let marked = ended.markNextSaved()
        #expect(marked)
        #expect(!ended.awaitsNextInSeries && !ended.isListed)
        let markedAgain = ended.markNextSaved()
        #expect(!markedAgain, "recorded once")
        #expect(ended.nextInSeries(now: at(1_774_724_400)) != nil, "the next lobby is still derived the same way")

        var stopped = open
        stopped.stopSeries()
        stopped.state = .cancelled
        #expect(!stopped.isListed, "a stopped series has no next lobby to wait for")
        var oneOff = lobby(rule: nil)
        oneOff.state = .ended
        #expect(!oneOff.isListed && !oneOff.awaitsNextInSeries)
    }

    @Test func seriesStoredBeforeNextSavedExistedDecode() throws {
        var ended = lobby()
        ended.state = .ended
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(ended)) as? [String: Any])
        var series = try #require(json["series"] as? [String: Any])
        series["nextSaved"] = nil
        json["series"] = series
        let decoded = try JSONDecoder().decode(Lobby.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.series == ended.series && decoded.awaitsNextInSeries)
    }
}
