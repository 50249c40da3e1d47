import AnankorCore
import AnankorSandbox
import DiscordEmulator
import Foundation
import Testing

extension LobbyAndProcessEndToEnd {
/// Recurring lobbies (`/game create … repeat:`) as members see them: the series on the lobby
/// message, the next lobby posted when one ends, and `/game cancel`'s question.
@Suite("Game lobby series end to end")
struct GameLobbySeriesTests {
    static let nextDaily = "🔁 The next lobby of the daily series **Raid** is open."

    @Test("a daily lobby that ends, after a master restart, is followed by one next lobby a day later at the same local time",
          arguments: Mode.allCases)
    func endPostsTheNext(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let created = try await alice.run("game create", ["title": "Raid", "start": "20:00 Europe/Berlin",
                                                              "repeat": "daily"])
            #expect(created.ephemeral && created.text.hasSuffix("\n🔁 Repeats daily at 20:00 (Europe/Berlin)."),
                    "\(created)")
            let first = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            #expect(first.series?.rule == .daily && first.series?.timeZone == "Europe/Berlin")
            #expect(await world.eventually {
                await seriesBoards(world).last?.embed?.contains("🔁 Repeats daily at 20:00 (Europe/Berlin).") == true
            }, "the lobby message shows the series")
            // The series lives in the store: another master carries it on.
            await stage.stopMaster("master-1")
            stage.startMaster("master-2")
            #expect(await world.eventually(timeout: .seconds(30)) { stage.mastersReady }, "the new master is up")
            #expect(try await bob.run("game list").text.contains("🔁 Repeats daily at 20:00 (Europe/Berlin)."))
            _ = try await bob.run("game join")
            #expect(try await alice.run("game start").text.hasPrefix("**Raid** has started"))
            #expect(try await alice.run("game end").text.hasPrefix("**Raid** has ended after"))

            let expected = try #require(nextDay(after: first.startAt))
            let open = try await stage.ports.state.openLobbies(in: guild)
            let next = try #require(open.first)
            #expect(open.count == 1 && next.id != first.id && next.series?.occurrence == 2, "\(open.map(\.id))")
            #expect(next.startAt == expected, "20:00 in Berlin the next day")
            #expect(next.participants.map(\.user.rawValue) == [alice.id], "the series' host is signed up, nobody else")
            let unix = Int64(expected.timeIntervalSince1970)
            #expect(await world.eventually {
                await seriesBoards(world).contains { $0.content == Self.nextDaily && $0.embed?.contains("<t:\(unix):F>") == true }
            }, "the next lobby message names the next start")
            // A later round trip through the master, after which a duplicate would have shown.
            #expect(try await bob.run("game join").text == "You joined **Raid**.")
            #expect(await seriesBoards(world).filter { $0.content == Self.nextDaily }.count == 1, "posted once")
        }
    }

    @Test("with two masters sweeping, a series lobby that times out is followed by exactly one next lobby",
          arguments: Mode.allCases)
    func timeoutPostsTheNextOnce(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.lobbyMaxDuration = .seconds(2)
        try await withStage(mode, tuning: tuning, masters: 2) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let alice = stage.member("alice")
            _ = try await alice.run("game create", ["title": "Raid", "start": "in 1h", "repeat": "daily"])
            let first = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            #expect(try await alice.run("game start").text.hasPrefix("**Raid** has started"))
            #expect(await world.eventually {
                await world.notices().contains { $0.content.hasPrefix("**Raid** has ended after ") }
            })
            #expect(await world.eventually {
                await seriesBoards(world).contains { $0.content == Self.nextDaily }
            }, "the next lobby is posted after the end")
            let next = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            // The series keeps whole seconds of the local start time.
            let expected = try #require(nextDay(after: first.startAt, in: "UTC"))
            #expect(next.startAt.map { Int64($0.timeIntervalSince1970) } == Int64(expected.timeIntervalSince1970),
                    "relative starts repeat in UTC")
            #expect(try await stage.ports.state.lobby(first.id, in: guild)?.state == .ended)
            #expect(try await stage.member("bob").run("game join").text == "You joined **Raid**.", "a later round trip")
            let notices = await world.notices().map(\.content)
            #expect(notices.filter { $0.hasPrefix("**Raid** has ended") }.count == 1, "\(notices)")
            #expect(await seriesBoards(world).filter { $0.content == Self.nextDaily }.count == 1, "one next lobby")
        }
    }

    @Test("cancel asks; “only this one” cancels it and posts the next lobby", arguments: Mode.allCases)
    func cancelOnlyThisOne(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            _ = try await alice.run("game create", ["title": "Raid", "start": "20:00 Europe/Berlin", "repeat": "daily"])
            let first = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            #expect(try await bob.run("game cancel").text == "Only the host or members who can manage events can do that.")
            let question = try await alice.run("game cancel")
            #expect(question.ephemeral
                && question.text == "**Raid** is part of a series. Cancel only this one, or stop the whole series?")
            #expect(await cancelButtonLabels(world) == ["Cancel only this one", "Stop the whole series"])
            #expect(try await stage.ports.state.lobby(first.id, in: guild)?.state == .open, "asking changes nothing")
            let expected = try #require(nextDay(after: first.startAt))
            let unix = Int64(expected.timeIntervalSince1970)
            let answer = try await alice.pressLobby("cancelone")
            #expect(answer.ephemeral && answer.text
                == "**Raid** was cancelled; the series goes on, the next one starts <t:\(unix):F> (<t:\(unix):R>).",
                "\(answer)")
            #expect(try await stage.ports.state.lobby(first.id, in: guild)?.state == .cancelled)
            #expect(try await stage.ports.state.openLobbies(in: guild).map(\.startAt) == [expected])
            #expect(await world.eventually {
                await seriesBoards(world).filter { $0.content == Self.nextDaily }.count == 1
            })
            #expect(try await alice.pressLobby("stopseries").text == "There is no open lobby here.",
                    "the question's other button no longer acts on the cancelled lobby")
        }
    }

    @Test("what a master left half done when it died — a series lobby closed with no next one, a lobby never posted — the sweep finishes once",
          arguments: Mode.allCases)
    func sweepFinishesWhatADeadMasterLeft(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let alice = stage.member("alice")
            _ = try await alice.run("game create", ["title": "Raid", "start": "20:00 Europe/Berlin", "repeat": "daily"])
            let first = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            // A master closed the lobby a minute ago and died before saving the next one.
            let long = Date().addingTimeInterval(-60)
            let closed = try await stage.ports.state.updateLobby(first.id, in: guild) { lobby -> Bool? in
                lobby.state = .cancelled
                lobby.endedAt = long
                return true
            }
            guard case .saved = closed else { Issue.record("could not close the lobby: \(closed)"); return }
            #expect(try await stage.ports.state.openLobbies(in: guild).isEmpty)
            let expected = try #require(nextDay(after: first.startAt))
            let unix = Int64(expected.timeIntervalSince1970)
            #expect(await world.eventually(timeout: .seconds(20)) {
                await seriesBoards(world).contains { $0.content == Self.nextDaily && $0.embed?.contains("<t:\(unix):F>") == true }
            }, "a sweep posts the next lobby")
            let series = try #require(first.series)
            // The message id is saved right after the post.
            #expect(await world.eventually {
                (try? await stage.ports.state.lobby(series.lobbyID(occurrence: 2), in: guild))?.message != nil
            })
            let next = try #require(try await stage.ports.state.lobby(series.lobbyID(occurrence: 2), in: guild))
            #expect(next.state == .open && next.startAt == expected)
            #expect(await world.eventually {
                (try? await stage.ports.state.lobby(first.id, in: guild))?.series?.nextSaved == true
            }, "the closed lobby is marked handed on, so no later sweep acts on it")
            #expect(try await stage.ports.state.listedLobbies(in: guild).map(\.id) == [next.id])

            // A lobby saved a minute ago by a master that died before posting its message.
            var orphan = Lobby(id: LobbyID("orphan1"), guild: guild, textChannel: ChannelID(world.textChannel),
                               host: UserID(alice.id), title: "Unposted", seats: 4,
                               startAt: Date().addingTimeInterval(3600), createdAt: long)
            orphan.join(UserID(alice.id), role: nil, now: long)
            #expect(try await stage.ports.state.saveLobby(orphan) != nil)
            #expect(await world.eventually(timeout: .seconds(20)) {
                (try? await stage.ports.state.lobby(orphan.id, in: guild))?.message != nil
            }, "a sweep posts its message")
            #expect(await world.eventually {
                await seriesBoards(world).contains { $0.embed?.contains("Unposted") == true }
            })
            // Members can use it: a round trip through the master after which a second post would show.
            #expect(try await stage.member("bob").run("game join", ["lobby": "orphan1"]).text == "You joined **Unposted**.")
            #expect(await seriesBoards(world).filter { $0.embed?.contains("Unposted") == true }.count == 1, "posted once")
            #expect(await seriesBoards(world).filter { $0.content == Self.nextDaily }.count == 1, "one next lobby")
        }
    }

    @Test("in German: cancel asks in German; “stop the whole series” cancels it and nothing follows",
          arguments: Mode.allCases)
    func stopTheSeriesInGerman(mode: Mode) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.guildLocale = "de"
        try await withStage(mode, plan: plan) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let dave = try #require(SandboxMember("dave", in: world, locale: "de"))
            let created = try await dave.run("game create", ["title": "Runde", "start": "21:00 Europe/Berlin",
                                                             "repeat": "weekly"])
            #expect(created.text.hasSuffix("\n🔁 Wiederholt sich wöchentlich um 21:00 (Europe/Berlin)."), "\(created)")
            let first = try #require(try await stage.ports.state.openLobbies(in: guild).first)
            let series = try #require(first.series)
            #expect(await world.eventually {
                await seriesBoards(world).last?.embed?.contains("🔁 Wiederholt sich wöchentlich um 21:00 (Europe/Berlin).")
                    == true
            })
            let question = try await dave.run("game cancel")
            #expect(question.ephemeral && question.text
                == "**Runde** gehört zu einer Serie. Nur diese Runde absagen oder die ganze Serie beenden?")
            #expect(await cancelButtonLabels(world) == ["Nur diese absagen", "Ganze Serie beenden"])
            let answer = try await dave.pressLobby("stopseries")
            #expect(answer.ephemeral && answer.text == "**Runde** wurde abgesagt und die Serie beendet.", "\(answer)")
            // The next lobby would have been saved before this answer: the store shows none.
            let stopped = try #require(try await stage.ports.state.lobby(first.id, in: guild))
            #expect(stopped.state == .cancelled && stopped.series?.stopped == true)
            #expect(try await stage.ports.state.lobby(series.lobbyID(occurrence: 2), in: guild) == nil)
            #expect(try await stage.ports.state.openLobbies(in: guild).isEmpty)
            #expect(await world.eventually {
                await seriesBoards(world).last?.embed?.contains("🔁 Die Serie wurde beendet: es folgen keine weiteren Lobbys.")
                    == true
            }, "the lobby message says the series stopped")
            #expect(try await dave.run("game cancel").text == "Hier gibt es keine offene Lobby.")
            #expect(await seriesBoards(world).filter { !$0.content.isEmpty }.isEmpty, "no next lobby was posted")
        }
    }
}
}

/// The lobby messages (those with an embed) the master posted, oldest first.
private func seriesBoards(_ world: SandboxWorld) async -> [SandboxMessage] {
    await world.messages().filter { $0.author == world.master.userID && !$0.isInteractionReply && $0.embed != nil }
}

/// The labels of the buttons on the newest `/game cancel` question.
private func cancelButtonLabels(_ world: SandboxWorld) async -> [String] {
    let messages = await world.discord.messages(in: world.textChannel)
    let buttons = messages.reversed().lazy.map { message in
        (message["components"]?.arrayValue ?? []).flatMap { $0["components"]?.arrayValue ?? [] }
    }.first { $0.contains { $0["custom_id"]?.stringValue?.hasPrefix("lobby:cancelone:") == true } }
    return (buttons ?? []).compactMap { $0["label"]?.stringValue }
}

/// The same wall-clock time a calendar day later in `zone`: what a daily series should give.
private func nextDay(after date: Date?, in zone: String = "Europe/Berlin") -> Date? {
    guard let date else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    return calendar.date(byAdding: .day, value: 1, to: date)
}
