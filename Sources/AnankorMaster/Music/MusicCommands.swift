import AnankorCore
import DiscordKit
import Foundation

/// The music commands of DESIGN §4. Each takes a validated invocation and returns the reply;
/// refusals are thrown as `InvocationProblem`s that the dispatcher renders, localized, for the
/// member only.
struct MusicCommands: Sendable {
    let context: MasterContext
    let driver: SessionDriver

    init(context: MasterContext, driver: SessionDriver) {
        self.context = context
        self.driver = driver
    }

    /// Commands that take a while (Lavalink lookups) and are acknowledged first.
    static let slowCommands: Set<String> = ["play", "search", "lyrics"]

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        if let voice = invocation.targetSession ?? (try? session(of: invocation)) {
            // The guild's and the channel's settings in one read, before the gate and the command use them.
            try? await context.settings.warm(voice)
        }
        try await gate(invocation)
        switch invocation.name {
        case "play": return try await play(invocation)
        case "search": return try await search(invocation)
        case "invite": return invite(invocation)
        case "queue": return try await queue(invocation)
        case "nowplaying": return try await nowPlaying(invocation)
        case "stay": return try await stay(invocation)
        case "lyrics": return try await lyrics(invocation)
        default:
            if invocation.name == "seek", PlaybackTime.parse(invocation.string("position") ?? "") == nil {
                throw InvocationProblem(.musicSeekNotATime, ["input": String((invocation.string("position") ?? "").prefix(16))])
            }
            guard var command = sessionCommand(invocation) else { throw InvocationProblem(.errorUnknownCommand) }
            if case .skip(let to) = command, let vote = try await skipVote(invocation, to: to) { command = .voteSkip(vote) }
            return try await run(command, invocation)
        }
    }

    /// The session command an invocation asks for (options validated already).
    private func sessionCommand(_ invocation: CommandInvocation) -> MemberCommand? {
        switch invocation.name {
        case "skip": return .skip(to: invocation.integer("to").map(Int.init))
        case "previous": return .previous
        case "pause": return .pause
        case "resume": return .resume
        case "toggle": return .togglePause
        case "stop": return .stop
        case "leave": return .leave
        case "seek":
            // Not a time at all: the session refuses it like a position past the end.
            return .seek(PlaybackTime.parse(invocation.string("position") ?? "") ?? -1)
        case "volume": return .volume(Int(invocation.integer("level") ?? 100))
        case "loop": return .loop(invocation.string("mode").flatMap(LoopMode.init(rawValue:)))
        case "shuffle": return .shuffle(seed: UInt64.random(in: 1...UInt64(Int32.max)))
        case "remove": return .remove(position: Int(invocation.integer("position") ?? 0))
        case "move": return .move(from: Int(invocation.integer("from") ?? 0), to: Int(invocation.integer("to") ?? 0))
        case "clear": return .clear
        case "replay": return .replay
        case "autoplay":
            // No mode toggles; `off` turns it off; a mode turns it on that way.
            guard let choice = invocation.string("mode") else { return .autoplay(nil) }
            return AutoplayMode(rawValue: choice).map(MemberCommand.autoplayMode) ?? .autoplay(false)
        case "filter":
            let preset = invocation.string("preset") ?? "off"
            return .filter(preset == "off" ? nil : preset)
        default: return nil
        }
    }

    /// Runs a session command and renders what it did.
    private func run(_ command: MemberCommand, _ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let result = try await driver.command(command, in: session, origin: origin(invocation))
        var reply = driver.texts.reply(result, session: session, locale: invocation.locale)
        // Mode buttons answer the presser alone; the board shows everyone.
        if invocation.targetSession != nil, ["loop", "shuffle", "toggle"].contains(invocation.name) { reply.ephemeral = true }
        return reply
    }

    func origin(_ invocation: CommandInvocation, postLocale: AnankorCore.DiscordLocale? = nil) -> CommandOrigin {
        CommandOrigin(command: CommandID(invocation.id), user: invocation.user, textChannel: invocation.textChannel,
                      postLocale: postLocale, handle: invocation.handle)
    }

    // MARK: Gates

    /// The DJ role, when a guild set one, gates destructive commands, and every command in a
    /// channel set DJ-only (managers pass).
    func gate(_ invocation: CommandInvocation) async throws {
        let name = invocation.name == "toggle" ? "pause" : invocation.name
        guard let spec = CommandValidation.specs[name], !invocation.isManager else { return }
        let settings = try await context.settings.settings(of: invocation.guild)
        guard let dj = settings.djRole, !invocation.roles.contains(dj) else { return }
        // A member without the role votes to skip instead (`skipVote`).
        if spec.isDestructive, name != "skip" { throw InvocationProblem(.musicDJOnly, ["role": "<@&\(dj)>"]) }
        // A channel set DJ-only (`/settings channel dj_only:`) gates every music command there.
        let voice = invocation.targetSession?.channel ?? context.cache.voiceChannel(
            of: Snowflake(invocation.user.rawValue), in: Snowflake(invocation.guild.rawValue)).map { ChannelID($0.rawValue) }
        if let voice, try await context.settings.settings(of: SessionKey(guild: invocation.guild, channel: voice)).djOnly {
            throw InvocationProblem(.musicDJOnly, ["role": "<@&\(dj)>"])
        }
    }

    /// For `/skip` (or the board's button) by a member who may not skip outright — neither
    /// Manage Server nor the DJ role — what the session needs to count a vote: who listens in
    /// the channel now and the share that must agree. Nil for DJs and managers.
    func skipVote(_ invocation: CommandInvocation, to: Int?) async throws -> SkipVoteContext? {
        guard !invocation.isManager else { return nil }
        let settings = try await context.settings.settings(of: invocation.guild)
        if let dj = settings.djRole, invocation.roles.contains(dj) { return nil }
        let session = try session(of: invocation)
        let bots = try await botIDs(in: session.guild)
        let listeners = context.cache.voiceMembers(of: Snowflake(session.channel.rawValue), in: Snowflake(session.guild.rawValue))
            .filter { !bots.contains($0.rawValue) }.map { UserID($0.rawValue) }
        // Through the settings cache (warmed with the guild's by `run`), like every channel setting.
        let channelShare = try? await context.settings.settings(of: session).voteSkipShare
        return SkipVoteContext(listeners: Set(listeners), share: channelShare ?? settings.effectiveVoteSkipShare, to: to)
    }

    /// The session a command acts on: the button's, or the caller's voice channel. Members control
    /// only the music of the channel they are in.
    func session(of invocation: CommandInvocation) throws -> SessionKey {
        let voice = context.cache.voiceChannel(of: Snowflake(invocation.user.rawValue),
                                               in: Snowflake(invocation.guild.rawValue))
        if let target = invocation.targetSession {
            guard voice?.rawValue == target.channel.rawValue else {
                throw InvocationProblem(.musicNotSameChannel, ["channel": context.mention(channel: target.channel)])
            }
            return target
        }
        guard let voice else {
            throw InvocationProblem(.musicNotInVoice, ["command": context.catalog.command(invocation.name, invocation.locale)])
        }
        return SessionKey(guild: invocation.guild, channel: ChannelID(voice.rawValue))
    }

    func text(_ invocation: CommandInvocation, _ key: MessageKey, _ arguments: [String: String] = [:]) -> String {
        context.text(key, invocation.locale, arguments)
    }

    // MARK: /play and /search

    private func play(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let query = invocation.string("query") ?? ""
        let tracks: [AnankorCore.Track]
        let playlist: String?
        switch await context.tracks.resolve(query) {
        case .tracks(let found, let name):
            tracks = TrackResolver.queued(found, playlist: name, query: query)
            playlist = name
        case .nothing:
            throw InvocationProblem(.musicNothingFound, ["query": String(query.prefix(100))])
        case .needsPlugin(let service):
            throw InvocationProblem(.musicLinkNeedsPlugin, ["service": service])
        case .failed(let reason):
            throw InvocationProblem(.musicLoadFailed, ["reason": reason])
        }
        return try await enqueue(tracks, playlist: playlist, next: invocation.bool("next") ?? false,
                                 session: session, invocation: invocation)
    }

    /// Queues tracks in the caller's session, binding a worker first when none plays there. The
    /// answer comes once playback started (a fresh session) or at once (queued behind).
    func enqueue(_ tracks: [AnankorCore.Track], playlist: String?, next: Bool, session: SessionKey,
                 invocation: CommandInvocation) async throws -> Reply {
        // A bound session's play is decided over this master's copy: queuing saves, so a stale
        // copy is refused by the compare-and-set and the command handled again over the stored
        // record. A session that looks unbound is read afresh: routing and refusals depend on it.
        // The fresh read and what routing needs come in one round trip (`guildSessions`).
        var read = driver.cachedRecord(session)
        var sessions: GuildSessions?
        if read?.binding == nil {
            let fresh = try await context.state.guildSessions(in: session.guild, record: session)
            driver.remember(fresh.record, for: session)
            read = fresh.record
            sessions = fresh
        }
        let record = read
        var routing = RoutingSnapshot(live: [])
        var present: Set<WorkerID> = []
        if record?.binding == nil {
            (routing, present) = try await snapshot(for: session, record: record, read: sessions)
            if case .failure = SessionRouting.choose(for: session, in: routing) {
                // The last pass's view of live workers may miss one that came alive since.
                (routing, present) = try await snapshot(for: session, record: record, fresh: true)
            }
            if case .failure = SessionRouting.choose(for: session, in: routing),
                try await releaseAbandoned(in: session.guild, for: session)
            {
                // A session nobody listens to any more (its members moved on) gave its bot up.
                (routing, present) = try await snapshot(for: session, record: record, fresh: true)
            }
        }
        let locale = await context.channelLocale(of: session.guild)
        // A fresh session starts at the channel's own volume (`/settings channel volume:`), else
        // the server's default, and 24/7 when the channel is one of the server's 24/7 channels
        // (`/settings channel stay:` or an earlier `/stay` there).
        var volume = 100
        var stays = false
        if record == nil {
            let channelVolume = try? await context.settings.settings(of: session).volume
            let guildSettings = try? await context.settings.settings(of: session.guild)
            volume = channelVolume ?? guildSettings?.defaultVolume ?? 100
            stays = guildSettings?.stayChannels.contains(session.channel) ?? false
        }
        let queued = Array(tracks.prefix(Anankor.maximumQueueAdd))
        let command = MemberCommand.play(queued, placement: next ? .next : .end, playlist: playlist, routing: routing)
        // Another master may bind the session, or take the chosen worker, first: route again.
        let result = try await driver.command(command, in: session, origin: origin(invocation, postLocale: locale),
                                              volume: volume, stays: stays, known: .some(record)) { stored in
            let routing = stored?.binding == nil ? try await self.snapshot(for: session, record: stored).0 : RoutingSnapshot(live: [])
            return .play(queued, placement: next ? .next : .end, playlist: playlist, routing: routing)
        }
        var invites: [(key: MessageKey, arguments: [String: String])] = []
        switch result {
        case .refused(.routing(.capReached)), .refused(.routing(.noFreeWorker)):
            invites = inviteSuggestion(present: present, cap: routing.cap)
        default:
            break  // one more bot would lack the same permissions
        }
        if case .notCarriedOut = result, record?.binding == nil,
            try await driver.record(session, cached: true)?.binding == nil
        {
            // The bot it was bound to could not join (or left): say so, the queue is kept.
            return Reply(context.text(.musicJoinFailed, invocation.locale, ["channel": context.mention(channel: session.channel)]),
                         ephemeral: true)
        }
        return driver.texts.reply(result, session: session, locale: invocation.locale, invites: invites)
    }

    /// What routing needs for a session that has no worker: the guild's live worker bots with
    /// their load, its bound sessions, the channel's last worker and the cap. The live workers
    /// come from the last reconciliation pass (`LiveWorkerView`) unless `fresh` or that reading
    /// is older than two passes; bindings are always read (the save refuses a worker bound
    /// elsewhere in the guild, but the cap is decided here).
    func snapshot(for session: SessionKey, record: SessionRecord?, fresh: Bool = false, read: GuildSessions? = nil)
        async throws -> (RoutingSnapshot, Set<WorkerID>)
    {
        let now = context.now()
        // The guild's bindings and worker bots in one round trip (or as the caller just read them).
        let guildSessions: GuildSessions
        if !fresh, let read {
            guildSessions = read
        } else {
            guildSessions = try await context.state.guildSessions(in: session.guild, record: nil)
        }
        let maxAge = 2 * context.configuration.watchdogInterval.timeInterval
        let live: [WorkerStatus]
        if !fresh, let seen = driver.liveWorkers.live(at: now, maxAge: maxAge) {
            live = seen
        } else {
            live = try await context.state.liveWorkers(now: now)
        }
        let cap = await context.sessionCap(of: session.guild)
        let present = guildSessions.workers
        var candidates = live.filter { present.contains($0.worker) }
            .map { RoutingCandidate(worker: $0.worker, load: $0.load) }
        // A worker that may not connect and speak there is passed over (`VoicePermissions`).
        let missing = await withTaskGroup(of: (Int, [String]).self) { group in
            for (index, candidate) in candidates.enumerated() {
                group.addTask { (index, await self.context.missingVoicePermissions(of: candidate.worker, in: session)) }
            }
            return await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        for (index, names) in missing { candidates[index].missing = names }
        return (RoutingSnapshot(live: candidates, bindings: guildSessions.bindings, affinity: record?.lastWorker, cap: cap), present)
    }

    /// While the guild has fewer worker bots than its cap, an invite link for one that is not there
    /// yet: one more bot is one more channel with music.
    private func inviteSuggestion(present: Set<WorkerID>, cap: Int) -> [(key: MessageKey, arguments: [String: String])] {
        guard present.count < cap, let next = context.configuration.workerBots.first(where: { !present.contains($0) })
        else { return [] }
        return [(.musicInviteNextWorker, ["link": WorkerInvite.link(for: next)])]
    }

    /// Ends the guild's sessions whose channel has no human left (other than `session`): their
    /// members moved on — to another channel where they now ask for music, or into a game lobby.
    /// Waiting for the alone timeout would refuse them meanwhile. Returns whether one ended.
    @discardableResult
    func releaseAbandoned(in guild: GuildID, for session: SessionKey? = nil,
                          leftBy movers: Set<UserID>? = nil) async throws -> Bool {
        let sessions = try await context.state.guildSessions(in: guild, record: nil)
        let bots = botIDs(among: sessions.workers)
        var released = false
        for binding in sessions.bindings where binding.session != session {
            let humans = context.cache.voiceMembers(of: Snowflake(binding.session.channel.rawValue),
                                                    in: Snowflake(guild.rawValue))
                .filter { !bots.contains($0.rawValue) }
            if let movers {
                // Everyone still there is being moved out.
                guard !humans.isEmpty, humans.allSatisfy({ movers.contains(UserID($0.rawValue)) }) else { continue }
            } else {
                guard humans.isEmpty else { continue }
            }
            context.logger.info("releasing a session its members left", metadata: ["session.key": "\(binding.session)"])
            let record = try await driver.handle(.command(.leave, from: CommandOrigin(command: CommandID(0), user: UserID(0))),
                                                 in: binding.session)
            if let channel = record.textChannel {
                let note = context.text(.musicLeft, record.locale ?? .englishUS,
                                        ["channel": context.mention(channel: binding.session.channel)])
                await context.post(note, in: channel)
            }
            released = true
        }
        return released
    }

    /// User ids that are bots: the worker bots (configured and registered) and the master.
    func botIDs(in guild: GuildID) async throws -> Set<UInt64> {
        botIDs(among: try await context.state.workers(in: guild))
    }

    /// The same, with the guild's registered worker bots already read.
    func botIDs(among workers: Set<WorkerID>) -> Set<UInt64> {
        Set(context.configuration.workerBots.map(\.rawValue))
            .union(workers.map(\.rawValue))
            .union(context.cache.botUserID.map { [$0.rawValue] } ?? [])
    }

    private func search(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let query = invocation.string("query") ?? ""
        if let type = invocation.string("type"), type != "track" {
            return try await searchCollections(query, type: type, session: session, invocation: invocation)
        }
        guard case .tracks(let found, _) = await context.tracks.resolve(query), !found.isEmpty else {
            throw InvocationProblem(.musicNothingFound, ["query": String(query.prefix(100))])
        }
        let options = found.prefix(10).enumerated().compactMap { index, track -> Component.StringSelect.Option? in
            guard let value = track.uri ?? Optional(track.encoded), value.utf8.count <= 100 else { return nil }
            let label = "\(index + 1). \(track.title)"
            return .init(label: String(label.prefix(100)), value: value,
                         description: String("\(track.author) · \(PlaybackTime.format(milliseconds: track.lengthMs))".prefix(100)))
        }
        guard !options.isEmpty else { throw InvocationProblem(.musicNothingFound, ["query": String(query.prefix(100))]) }
        let select = Component.StringSelect(customID: "pick:\(session.guild):\(session.channel)", options: options,
                                            minValues: 1, maxValues: 1)
        return Reply(text(invocation, .musicSearchPick), ephemeral: true, components: [.actionRow([.stringSelect(select)])])
    }

    /// A choice from `/search`'s menu: queue it like `/play`.
    func pick(_ invocation: CommandInvocation, value: String) async throws -> Reply {
        let session = try session(of: invocation)
        guard case .tracks(let found, let playlist) = await context.tracks.resolve(value), let track = found.first else {
            throw InvocationProblem(.musicNothingFound, ["query": String(value.prefix(100))])
        }
        // An album, artist or playlist picked from a typed search queues all of it.
        return try await enqueue(playlist == nil ? [track] : found, playlist: playlist, next: false, session: session,
                                 invocation: invocation)
    }

    private func invite(_ invocation: CommandInvocation) -> Reply {
        let links = context.configuration.workerBots.enumerated().map { index, worker in
            "\(index + 1). <\(WorkerInvite.link(for: worker))>"
        }
        return Reply(text(invocation, .musicInviteLinks, ["links": links.joined(separator: "\n")]), ephemeral: true)
    }
}
