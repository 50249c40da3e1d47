import AnankorCore
import DiscordKit
import Foundation

/// `/game …` and the lobby buttons (DESIGN §5). Lobbies live in the `StateStore` and change only
/// through `updateLobby` (compare-and-set on the version), so several masters and quick button
/// presses never overbook a seat or lose a sign-up. Lobby messages are edited in place through a
/// coalescing queue, like now-playing messages.
struct GameCommands: Sendable {
    let context: MasterContext
    let board: LobbyBoard
    let refresher: CoalescedWork<LobbyKey>
    /// For lobbies with music: a worker joins the lobby channel through the music routing and cap.
    let music: MusicCommands

    static let defaultSeats = 5

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        switch invocation.name {
        case "game.create": return try await create(invocation)
        case "game.join": return try await join(invocation, lobby: try named(invocation), role: invocation.string("role"))
        case "game.leave": return try await leave(invocation, lobby: try named(invocation))
        case "game.ready": return try await ready(invocation, lobby: try named(invocation))
        case "game.start": return try await start(invocation, lobby: try named(invocation))
        case "game.end": return try await finish(invocation, lobby: try named(invocation), state: .ended)
        case "game.cancel": return try await cancel(invocation, lobby: try named(invocation))
        case "game.list": return try await list(invocation)
        case "game.stats": return try await stats(invocation)
        default: throw InvocationProblem(.errorUnknownCommand)
        }
    }

    /// A press on a lobby message: `lobby:<action>:<id>`; the role select carries its value.
    func press(_ action: LobbyBoard.Action, lobby id: LobbyID, value: String?, _ invocation: CommandInvocation)
        async throws -> Reply
    {
        switch action {
        case .join: try await join(invocation, lobby: .button(id), role: value)
        case .leave: try await leave(invocation, lobby: .button(id))
        case .ready: try await ready(invocation, lobby: .button(id))
        case .start: try await start(invocation, lobby: .button(id))
        case .cancelOne: try await cancelInSeries(invocation, lobby: .button(id), stopSeries: false)
        case .stopSeries: try await cancelInSeries(invocation, lobby: .button(id), stopSeries: true)
        }
    }

    // MARK: Create

    private func create(_ invocation: CommandInvocation) async throws -> Reply {
        guard let channel = invocation.textChannel else { throw InvocationProblem(.gameNoLobby) }
        let now = context.now()
        let roles: [LobbyRole]
        if let text = invocation.string("roles") {
            guard let parsed = LobbyRole.parseList(text) else {
                throw CommandValidation.invalid("game.create.roles", .errorOptionRoles)
            }
            roles = parsed
        } else {
            roles = []
        }
        let roleSeats = roles.compactMap(\.seats).reduce(0, +)
        let seats = invocation.integer("seats").map(Int.init)
            ?? (roles.allSatisfy { $0.seats != nil } && roleSeats > 0 ? roleSeats : Self.defaultSeats)
        guard (1...Lobby.maxSeats).contains(seats) else {
            throw InvocationProblem(.gameSeatsInvalid, ["max": "\(Lobby.maxSeats)"])
        }
        if let role = roles.first(where: { ($0.seats ?? 0) > seats }) {
            throw InvocationProblem(.gameRoleOverSeats, ["seat": role.name, "count": "\(role.seats ?? 0)", "seats": "\(seats)"])
        }
        let start = try startTime(invocation.string("start"), now: now)
        let rule = invocation.string("repeat").flatMap(LobbyRepeat.init(rawValue:))
        // A series keeps a local start time: without one there is nothing to repeat.
        if rule != nil, start == nil { throw InvocationProblem(.gameRepeatNeedsStart) }
        var offsets = Lobby.defaultReminderOffsets
        if let text = invocation.string("reminders") {
            guard let parsed = Lobby.parseReminderOffsets(text) else {
                throw CommandValidation.invalid("game.create.reminders", .errorOptionReminders)
            }
            offsets = parsed
        }
        let voice = invocation.options["voice"].flatMap { value -> ChannelID? in
            if case .snowflake(let id) = value { ChannelID(id) } else { nil }
        }
        let tempRole = invocation.options["lobby_role"].flatMap { value -> RoleID? in
            if case .snowflake(let id) = value { RoleID(id) } else { nil }
        }
        // @everyone (its id is the guild's) cannot be given; refused now rather than at the start.
        if tempRole?.rawValue == invocation.guild.rawValue {
            throw CommandValidation.invalid("game.create.lobby_role", .errorOptionNotEveryone)
        }
        let locale = await context.channelLocale(of: invocation.guild)
        var lobby = Lobby(
            id: LobbyID(Self.newID(now: now)), guild: invocation.guild, textChannel: channel, host: invocation.user,
            title: invocation.string("title") ?? "Game", game: invocation.string("game"), seats: seats, roles: roles,
            startAt: start?.date, voiceChannel: voice, tempRole: tempRole, reminderOffsets: offsets, musicQuery: invocation.string("music"),
            createdAt: now, locale: locale)
        if let rule, let start {
            lobby.series = LobbySeries(id: lobby.id, rule: rule, start: start.date,
                                       zone: start.timeZone ?? TimeZone(identifier: "UTC")!, host: invocation.user)
        }
        lobby.join(invocation.user, role: nil, now: now)
        guard let created = try await context.state.saveLobby(lobby) else { throw InvocationProblem(.errorGeneric) }
        let saved = try await publish(created, now: now)
        var reply = LobbyBoard.openLine(saved, invocation.locale, context.catalog)
        if let series = saved.series { reply += "\n" + LobbyBoard.seriesLine(series, invocation.locale, context.catalog) }
        return Reply(reply, ephemeral: true)
    }

    /// Posts the message of a lobby saved without one, remembers it, and schedules the reminders.
    /// The message is remembered only if none is yet (a compare-and-set): when two masters post
    /// at once — the sweep repairing a lobby another master is still posting — the one that lost
    /// deletes its post, so members see one message.
    func publish(_ lobby: Lobby, now: Date) async throws -> Lobby {
        var saved = lobby
        if let message = await board.post(saved) {
            switch try await context.state.updateLobby(saved.id, in: saved.guild, { lobby -> Bool? in
                guard lobby.message == nil else { return nil }
                lobby.message = message
                return true
            }) {
            case .saved(let stored, _):
                saved = stored
            case .unchanged(let current):
                saved = current
                await board.delete(message, of: current)
            case .missing:
                await board.delete(message, of: saved)
                return saved
            }
        }
        try await scheduleReminders(saved, now: now)
        return saved
    }

    private func startTime(_ text: String?, now: Date) throws(InvocationProblem) -> LobbyStartTime? {
        guard let text else { return nil }
        do {
            return try LobbyStartTime.parse(text, now: now)
        } catch {
            if error.code == .inPast { throw InvocationProblem(.gamePastTime, ["input": String(text.prefix(100))]) }
            throw InvocationProblem(.gameInvalidTime, ["input": error.input])
        }
    }

    /// Lobby ids are short, unique and time-ordered: base-36 milliseconds and a random suffix.
    static func newID(now: Date) -> String {
        let millis = String(UInt64(max(0, now.epochMilliseconds)), radix: 36)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(millis)\(random)"
    }

    /// The start in Discord timestamp markup, nil when the host starts the lobby by hand.
    func startText(_ lobby: Lobby) -> String? {
        guard let startAt = lobby.startAt else { return nil }
        let start = LobbyStartTime(date: startAt)
        return "\(start.fullMarkup) (\(start.relativeMarkup))"
    }

    /// "All seats are taken" holds only when the lobby is full: a member who asked for a full role
    /// waits for that role's seat and is told which roles still have one.
    private func benchedText(_ lobby: Lobby, _ invocation: CommandInvocation, place: Int) -> String {
        guard lobby.participants.count < lobby.seats,
            let role = lobby.bench.first(where: { $0.user == invocation.user })?.role
        else {
            return context.text(.gameBenched, invocation.locale, ["title": lobby.title, "position": "\(place)"])
        }
        var lines = [context.text(.gameBenchedRole, invocation.locale,
                                  ["seat": role, "title": lobby.title, "position": "\(place)"])]
        let free = lobby.roles.filter { lobby.hasSeat(for: $0.name) }.map(\.name)
        if !free.isEmpty {
            lines.append(context.text(.gameSeatsFreeFor, invocation.locale, ["roles": free.joined(separator: ", ")]))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Sign-ups

    private func join(_ invocation: CommandInvocation, lobby ref: LobbyRef?, role: String?) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> JoinResult? in
            let (outcome, promoted) = lobby.join(invocation.user, role: role, now: context.now())
            switch outcome {
            case .alreadyJoined, .unknownRole, .closed: return nil
            case .seated, .benched: return JoinResult(outcome: outcome, promoted: promoted)
            }
        }
        switch update {
        case .missing: throw InvocationProblem(.gameNoLobby)
        case .unchanged(let current):
            let (outcome, _) = { var copy = current; return copy.join(invocation.user, role: role, now: context.now()) }()
            switch outcome {
            case .unknownRole:
                throw CommandValidation.invalid("game.join.role", .errorOptionOneOf,
                                                ["choices": current.roles.map { Markdown.escape($0.name) }.joined(separator: ", ")])
            case .closed: throw InvocationProblem(.gameNoLobby)
            default: throw InvocationProblem(.gameAlreadyJoined, ["title": current.title])
            }
        case .saved(let saved, let outcome):
            refresher.request(LobbyKey(saved))
            await announcePromotions(outcome.promoted, in: saved)
            if case .benched(let place) = outcome.outcome {
                return Reply(benchedText(saved, invocation, place: place), ephemeral: true)
            }
            guard let role = saved.member(invocation.user)?.role else {
                return Reply(context.text(.gameJoinedNoRole, invocation.locale, ["title": saved.title]), ephemeral: true)
            }
            return Reply(context.text(.gameJoined, invocation.locale, ["title": saved.title, "seat": role]), ephemeral: true)
        }
    }

    private func leave(_ invocation: CommandInvocation, lobby ref: LobbyRef?) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> LobbyLeaveOutcome? in
            guard lobby.state.isActive else { return nil }
            let outcome = lobby.leave(invocation.user)
            return outcome.left ? outcome : nil
        }
        guard case .saved(let saved, let outcome) = update else { throw InvocationProblem(.gameNoLobby) }
        refresher.request(LobbyKey(saved))
        await announcePromotions(outcome.promoted, in: saved)
        if let host = outcome.newHost {
            await context.post(context.text(.gameNewHost, saved.locale ?? .englishUS,
                                            ["user": "<@\(host)>", "title": saved.title]), in: saved.textChannel)
        }
        if saved.state == .started, let role = saved.tempRole {
            try await changeRole(role, of: [invocation.user], in: saved, add: false)
        }
        if saved.signedUp.isEmpty {
            // Nobody is left to host: a running lobby ends as if the host had ended it, an open
            // one is cancelled (`close` decides which from the state).
            if let closed = await close(saved, as: .ended) { await continueSeries(after: closed) }
        }
        return Reply(context.text(.gameLeft, invocation.locale, ["title": saved.title]), ephemeral: true)
    }

    private func ready(_ invocation: CommandInvocation, lobby ref: LobbyRef?) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        // The command says "ready"; the button toggles.
        let wanted: Bool? = if case .button = ref { nil } else { true }
        let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby in
            lobby.state.isActive ? lobby.setReady(invocation.user, wanted) : nil
        }
        guard case .saved(let saved, let isReady) = update else {
            throw InvocationProblem(.gameNotSeated, ["title": lobby.title])
        }
        refresher.request(LobbyKey(saved))
        if isReady, saved.state == .started, let role = saved.tempRole {
            // Ready after the start: the member plays, so gets the lobby role like those at the start.
            try await changeRole(role, of: [invocation.user], in: saved, add: true)
        }
        let key: MessageKey = isReady ? .gameReady : .gameNotReady
        return Reply(context.text(key, invocation.locale, ["title": saved.title]), ephemeral: true)
    }

    /// Promoted members are told in the lobby channel, mentioned so they notice.
    private func announcePromotions(_ promoted: [UserID], in lobby: Lobby) async {
        let locale = lobby.locale ?? .englishUS
        for user in promoted {
            let text = context.text(.gamePromoted, locale, ["user": "<@\(user)>", "title": lobby.title])
            _ = try? await context.rest.createMessage(
                channelID: Snowflake(lobby.textChannel.rawValue),
                MessageCreate(content: text, allowedMentions: AllowedMentions(users: [Snowflake(user.rawValue)])))
        }
    }

    // MARK: Lookup

    /// The lobby a command's `lobby` option names. A malformed id is refused here, before any
    /// lookup, with the same words as an unknown one.
    private func named(_ invocation: CommandInvocation) throws(InvocationProblem) -> LobbyRef? {
        guard let text = invocation.string("lobby") else { return nil }
        let id = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard Lobby.isWellFormedID(id) else { throw Self.unknownLobby(text) }
        return .option(LobbyID(id))
    }

    /// Names the id as typed (shortened, without backticks so the code span stays intact).
    static func unknownLobby(_ text: String) -> InvocationProblem {
        let shown = String(text.filter { $0 != "`" && !$0.isNewline }.prefix(40))
        return InvocationProblem(.gameUnknownLobby, ["id": "`\(shown)`"])
    }

    /// The lobby a command or button acts on: the one a button or the `lobby` option names, or the
    /// newest open lobby in the channel where the command was typed. Lobbies are stored per guild,
    /// so an id from another guild is not found.
    func target(_ invocation: CommandInvocation, _ ref: LobbyRef?) async throws -> Lobby {
        if let ref {
            guard let lobby = try await context.state.lobby(ref.id, in: invocation.guild), lobby.state.isActive else {
                if case .option(let id) = ref { throw Self.unknownLobby(id.rawValue) }
                throw InvocationProblem(.gameNoLobby)
            }
            return lobby
        }
        let open = try await context.state.openLobbies(in: invocation.guild)
        guard let lobby = open.last(where: { $0.textChannel == invocation.textChannel }) else {
            throw InvocationProblem(.gameNoLobby)
        }
        return lobby
    }

    func mayManage(_ lobby: Lobby, _ invocation: CommandInvocation) -> Bool {
        let permissions = invocation.permissions ?? []
        return lobby.canManage(invocation.user, hasManageEvents: permissions.contains(.manageEvents)
            || permissions.contains(.administrator))
    }

    // MARK: List and stats

    private func list(_ invocation: CommandInvocation) async throws -> Reply {
        let open = try await context.state.openLobbies(in: invocation.guild)
        guard !open.isEmpty else { return Reply(context.text(.gameListEmpty, invocation.locale), ephemeral: true) }
        let lines = open.prefix(20).map { lobby in
            "• **\(Markdown.escape(lobby.title))** — \(lobby.participants.count)/\(lobby.seats)"
                + (lobby.bench.isEmpty ? "" : " (+\(lobby.bench.count))")
                + (startText(lobby).map { " · \($0)" } ?? "")
                + (lobby.series.map { " · " + LobbyBoard.seriesLine($0, invocation.locale, context.catalog) } ?? "")
                + " · \(context.mention(channel: lobby.textChannel)) · `\(lobby.id)`"
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    private func stats(_ invocation: CommandInvocation) async throws -> Reply {
        var user = invocation.user
        if case .snowflake(let id) = invocation.options["user"] { user = UserID(id) }
        let stats = try await context.ledger.gameStats(user: user, guild: invocation.guild)
        guard stats.sessionsPlayed + stats.noShows > 0 else {
            return Reply(context.text(.gameStatsEmpty, invocation.locale), ephemeral: true)
        }
        return Reply(context.text(.gameStatsSummary, invocation.locale, [
            "user": "<@\(user)>", "sessions": "\(stats.sessionsPlayed)",
            "time": context.catalog.duration(seconds: stats.secondsPlayed, invocation.locale),
            "game": stats.favouriteGames.first?.game ?? context.text(.gameStatsNoFavourite, invocation.locale), "noShows": "\(stats.noShows)",
        ]), ephemeral: true)
    }
}

/// Which lobby a command or a press acts on.
enum LobbyRef: Sendable {
    /// Named by a lobby message's control (a closed lobby is "no open lobby here").
    case button(LobbyID)
    /// Named by the `lobby` option (a closed or unknown one is refused naming the id).
    case option(LobbyID)

    var id: LobbyID {
        switch self {
        case .button(let id), .option(let id): id
        }
    }
}

struct JoinResult: Sendable {
    var outcome: LobbyJoinOutcome
    var promoted: [UserID]
}

/// A lobby message to refresh.
struct LobbyKey: Hashable, Sendable {
    var guild: GuildID
    var id: LobbyID
    init(_ lobby: Lobby) {
        guild = lobby.guild
        id = lobby.id
    }
}
