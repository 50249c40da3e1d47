import AnankorCore
import DiscordKit
import Foundation

/// Reminders, start and end of a lobby.
extension GameCommands {
    /// The payload of a reminder item: the job a worker turns into a post. Mentions are left empty:
    /// the worker mentions whoever is signed up when the reminder fires.
    func scheduleReminders(_ lobby: Lobby, now: Date) async throws {
        let locale = lobby.locale ?? .englishUS
        for (offset, dueAt) in lobby.reminderTimes(after: now) {
            let start = LobbyStartTime(date: lobby.startAt ?? dueAt)
            let content = offset == 0
                ? context.text(.gameReminderNow, locale, ["title": lobby.title, "mentions": ""])
                : context.text(.gameReminderSoon, locale, ["title": lobby.title, "start": start.relativeMarkup,
                                                          "mentions": ""])
            let job = ReminderPostJob(lobby: lobby.id, guild: lobby.guild, channel: lobby.textChannel,
                                      content: content.trimmingCharacters(in: .whitespaces))
            let item = ScheduleItem(id: ScheduleItemID("lobby:\(lobby.guild):\(lobby.id):\(offset)"), dueAt: dueAt,
                                    group: Self.reminderGroup(lobby), payload: try JSONEncoder().encode(job))
            try await context.state.schedule(item)
        }
    }

    static func reminderGroup(_ lobby: Lobby) -> String { "lobby:\(lobby.guild):\(lobby.id)" }

    // MARK: Start

    func start(_ invocation: CommandInvocation, lobby ref: LobbyRef?) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        guard mayManage(lobby, invocation) else { throw InvocationProblem(.gameNotHost) }
        let now = context.now()
        let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> Bool? in
            guard lobby.state == .open else { return nil }
            lobby.state = .started
            lobby.startedAt = now
            return true
        }
        guard case .saved(let started, _) = update else { throw InvocationProblem(.gameNoLobby) }
        try await context.state.cancelScheduled(group: Self.reminderGroup(started))
        refresher.request(LobbyKey(started))
        if let channel = started.voiceChannel {
            try await gather(started, into: channel)
        } else {
            guard let worker = try await liveWorker(in: started.guild) else {
                context.logger.warning("no live worker to create a lobby channel", metadata: ["guild.id": "\(started.guild)"])
                return Reply(LobbyBoard.startedLine(started, invocation.locale, context))
            }
            let job = TempChannelCreateJob(lobby: started.id, guild: started.guild, name: String(started.title.prefix(100)),
                                           userLimit: min(started.seats, 99))
            try await context.send(.tempChannelCreate(job), to: worker)
        }
        // A channel made for the lobby is not there yet: the lobby message names it once it is.
        return Reply(LobbyBoard.startedLine(started, invocation.locale, context))
    }

    /// A worker could not move players for lack of Move Members: the lobby's channel is told.
    func moveRefused(_ id: LobbyID, in guild: GuildID) async throws {
        guard let lobby = try await context.state.lobby(id, in: guild), let voice = lobby.voiceChannel else { return }
        await context.post(context.text(.gameMissingMoveMembers, lobby.locale ?? .englishUS,
                                        ["channel": context.mention(channel: voice)]), in: lobby.textChannel)
    }

    /// A worker could not give the lobby role (no Manage Roles, or the role sits above the bot's):
    /// the lobby's channel is told; the lobby itself runs on.
    func roleRefused(_ id: LobbyID, in guild: GuildID) async throws {
        guard let lobby = try await context.state.lobby(id, in: guild), let role = lobby.tempRole else { return }
        await context.post(context.text(.gameMissingManageRoles, lobby.locale ?? .englishUS,
                                        ["role": "<@&\(role)>", "title": lobby.title]), in: lobby.textChannel)
    }

    /// Gives or takes the lobby role through a live worker bot (the master bot only coordinates).
    func changeRole(_ role: RoleID, of users: [UserID], in lobby: Lobby, add: Bool) async throws {
        guard !users.isEmpty, let worker = try await liveWorker(in: lobby.guild) else { return }
        let change = RoleChangeJob(lobby: lobby.id, guild: lobby.guild, users: users, role: role)
        try await context.send(add ? .roleAdd(RoleAddJob(change)) : .roleRemove(RoleRemoveJob(change)), to: worker)
    }

    /// A worker created the temporary channel of a started lobby: remember it and gather there.
    func channelCreated(_ event: TempChannelCreatedEvent) async throws {
        let update = try await context.state.updateLobby(event.lobby, in: event.guild) { lobby -> Bool? in
            guard lobby.state == .started, lobby.voiceChannel == nil else { return nil }
            lobby.voiceChannel = event.channel
            lobby.voiceIsTemporary = true
            return true
        }
        switch update {
        case .saved(let lobby, _):
            refresher.request(LobbyKey(lobby))
            try await gather(lobby, into: event.channel)
        case .unchanged(let lobby) where lobby.voiceChannel != event.channel:
            // Ended meanwhile, or a duplicate create: the extra channel goes away.
            if let worker = try await liveWorker(in: event.guild) {
                try await context.send(.tempChannelDelete(TempChannelDeleteJob(lobby: event.lobby, guild: event.guild,
                                                                               channel: event.channel)), to: worker)
            }
        default:
            break
        }
    }

    /// Moves the ready participants who are in voice (elsewhere) into the lobby channel (the music
    /// they all listen to going along), gives the ready participants (those who play) the
    /// temporary role, and sends music when the lobby asked for it.
    private func gather(_ lobby: Lobby, into channel: ChannelID) async throws {
        let guild = Snowflake<Guild>(lobby.guild.rawValue)
        let inVoice = lobby.readyParticipants.filter { user in
            context.cache.voiceChannel(of: Snowflake(user.rawValue), in: guild) != nil
        }
        let toMove = inVoice.filter { context.cache.voiceChannel(of: Snowflake($0.rawValue), in: guild)?.rawValue != channel.rawValue }
        _ = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> Bool? in
            lobby.markSeenInVoice(inVoice)
            return true
        }
        guard let worker = try await liveWorker(in: lobby.guild) else { return }
        if !toMove.isEmpty {
            // Before they move: the music they leave follows them into the lobby channel, or
            // ends now rather than pausing for the alone timeout.
            try await music.gatherMusic(into: SessionKey(guild: lobby.guild, channel: channel), movers: Set(toMove),
                                        lobbyBringsMusic: lobby.musicQuery != nil)
            try await context.send(.voiceMove(VoiceMoveJob(lobby: lobby.id, guild: lobby.guild, users: toMove,
                                                           channel: channel)), to: worker)
        }
        if let role = lobby.tempRole {
            try await changeRole(role, of: lobby.readyParticipants, in: lobby, add: true)
        }
        if let query = lobby.musicQuery { await startMusic(query, for: lobby, in: channel) }
    }

    /// The lobby's music: queued in the lobby channel as if the host had asked there, so it gets a
    /// worker through the same routing and cap as `/play`; the outcome is posted in the lobby's
    /// text channel (a full guild gets the same clear refusal).
    private func startMusic(_ query: String, for lobby: Lobby, in channel: ChannelID) async {
        let locale = lobby.locale ?? .englishUS
        let host = CommandInvocation(name: "play", options: [:], guild: lobby.guild, textChannel: lobby.textChannel,
                                     user: lobby.host, roles: [], permissions: nil, locale: locale, targetSession: nil)
        let session = SessionKey(guild: lobby.guild, channel: channel)
        let text: String
        switch await context.tracks.resolve(query) {
        case .tracks(let found, let playlist):
            let tracks = TrackResolver.queued(found, playlist: playlist, query: query)
            do {
                text = try await music.enqueue(tracks, playlist: playlist, next: false, session: session, invocation: host)
                    .content
            } catch let problem as InvocationProblem {
                text = context.text(problem.key, locale, problem.arguments)
            } catch {
                context.logger.warning("lobby music failed", metadata: ["lobby.id": "\(lobby.id)", "error": "\(error)"])
                return
            }
        case .nothing:
            text = context.text(.musicNothingFound, locale, ["query": String(query.prefix(100))])
        case .needsPlugin(let service):
            text = context.text(.musicLinkNeedsPlugin, locale, ["service": service])
        case .failed(let reason):
            text = context.text(.musicLoadFailed, locale, ["reason": reason])
        }
        await context.post(text, in: lobby.textChannel)
    }

    /// A live worker bot that is a member of the guild, the least loaded first.
    func liveWorker(in guild: GuildID) async throws -> WorkerID? {
        let members = try await context.state.workers(in: guild)
        return try await context.state.liveWorkers(now: context.now())
            .filter { members.contains($0.worker) }
            .min { ($0.load, $0.worker.rawValue) < ($1.load, $1.worker.rawValue) }?.worker
    }

    // MARK: End and cancel

    func finish(_ invocation: CommandInvocation, lobby ref: LobbyRef?, state: LobbyState) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        guard mayManage(lobby, invocation) else { throw InvocationProblem(.gameNotHost) }
        guard let closed = await close(lobby, as: state) else { throw InvocationProblem(.gameNoLobby) }
        await continueSeries(after: closed)
        if state == .cancelled {
            return Reply(context.text(.gameCancelled, invocation.locale, ["title": closed.title]))
        }
        return Reply(context.text(.gameEnded, invocation.locale, [
            "title": closed.title,
            "duration": LobbyBoard.duration(closed, now: context.now(), context.catalog, invocation.locale),
        ]))
    }

    /// Ends or cancels a lobby once (the compare-and-set decides which master does it): reminders
    /// cancelled, temporary role and channel removed, the summary written when it had started.
    /// `stopSeries` stops the lobby's series in the same compare-and-set. The caller posts its
    /// notice, then calls `continueSeries(after:)` with what this returned.
    @discardableResult
    func close(_ lobby: Lobby, as state: LobbyState, stopSeries: Bool = false) async -> Lobby? {
        do {
            let guild = Snowflake<Guild>(lobby.guild.rawValue)
            let now = context.now()
            let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> Bool? in
                guard lobby.state.isActive else { return nil }
                // Whoever is in the lobby channel at the end was there.
                if let channel = lobby.voiceChannel {
                    let present = context.cache.voiceMembers(of: Snowflake(channel.rawValue), in: guild)
                        .map { UserID($0.rawValue) }
                    lobby.markSeenInVoice(present.filter { lobby.member($0) != nil })
                }
                lobby.state = lobby.state == .started && state == .ended ? .ended : .cancelled
                lobby.endedAt = now
                if stopSeries { lobby.stopSeries() }
                return true
            }
            guard case .saved(let closed, _) = update else { return nil }
            try await context.state.cancelScheduled(group: Self.reminderGroup(closed))
            refresher.request(LobbyKey(closed))
            if let summary = closed.summary(endedAt: now), closed.state == .ended {
                try await context.ledger.recordGameSession(summary)
            }
            if let role = closed.tempRole, closed.startedAt != nil {
                // Everyone still signed up: whoever got the role at the start or on becoming ready
                // (members who left took theirs off when leaving).
                try await changeRole(role, of: closed.signedUp.map(\.user), in: closed, add: false)
            }
            if let worker = try await liveWorker(in: closed.guild) {
                if closed.voiceIsTemporary, let channel = closed.voiceChannel {
                    try await context.send(.tempChannelDelete(TempChannelDeleteJob(lobby: closed.id, guild: closed.guild,
                                                                                   channel: channel)), to: worker)
                }
            }
            return closed
        } catch {
            context.logger.error("could not close a lobby", metadata: ["lobby.id": "\(lobby.id)", "error": "\(error)"])
            return nil
        }
    }
}
