import AnankorCore
import DiscordKit
import Foundation

/// The music commands of DESIGN §4. Each takes a validated invocation and returns the reply;
/// refusals are thrown as `InvocationProblem`s that the dispatcher renders, localized, for the
/// member only.
struct MusicCommands: Sendable {
    let context: MasterContext
    let router: SessionRouter
    let conductor: PlaybackConductor

    init(context: MasterContext, refresher: CoalescedWork<SessionKey>) {
        self.context = context
        self.router = SessionRouter(context: context)
        self.conductor = PlaybackConductor(context: context, refresher: refresher)
    }

    /// Commands that take a while (Lavalink lookups) and are acknowledged first.
    static let slowCommands: Set<String> = ["play", "search"]

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        try await gate(invocation)
        switch invocation.name {
        case "play": return try await play(invocation)
        case "search": return try await search(invocation)
        case "invite": return invite(invocation)
        case "skip": return try await skip(invocation)
        case "previous": return try await previous(invocation)
        case "pause": return try await pause(invocation, paused: true)
        case "resume": return try await pause(invocation, paused: false)
        case "toggle": return try await toggle(invocation)
        case "stop": return try await stop(invocation)
        case "leave": return try await leave(invocation)
        case "queue": return try await queue(invocation)
        case "nowplaying": return try await nowPlaying(invocation)
        case "seek": return try await seek(invocation)
        case "volume": return try await volume(invocation)
        case "loop": return try await loop(invocation)
        case "shuffle": return try await shuffle(invocation)
        case "remove": return try await remove(invocation)
        case "move": return try await move(invocation)
        case "clear": return try await clear(invocation)
        case "replay": return try await replay(invocation)
        case "autoplay": return try await autoplay(invocation)
        case "filter": return try await filter(invocation)
        case "stay": return try await stay(invocation)
        default: throw InvocationProblem(.errorUnknownCommand)
        }
    }

    // MARK: Gates

    /// The DJ role, when a guild set one, gates destructive commands, and every command in a
    /// channel set DJ-only (managers pass).
    func gate(_ invocation: CommandInvocation) async throws {
        let name = invocation.name == "toggle" ? "pause" : invocation.name
        guard let spec = CommandValidation.specs[name], !invocation.isManager else { return }
        let settings = try await context.settings.settings(of: invocation.guild)
        guard let dj = settings.djRole, !invocation.roles.contains(dj) else { return }
        if spec.isDestructive { throw InvocationProblem(.musicDJOnly, ["role": "<@&\(dj)>"]) }
        // A channel set DJ-only (`/settings channel dj_only:`) gates every music command there.
        let voice = invocation.targetSession?.channel ?? context.cache.voiceChannel(
            of: Snowflake(invocation.user.rawValue), in: Snowflake(invocation.guild.rawValue)).map { ChannelID($0.rawValue) }
        if let voice, try await context.ledger.voiceChannelSettings(SessionKey(guild: invocation.guild, channel: voice)).djOnly {
            throw InvocationProblem(.musicDJOnly, ["role": "<@&\(dj)>"])
        }
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

    /// The worker playing the caller's session, or "nothing is playing".
    func boundSession(_ invocation: CommandInvocation) async throws -> (SessionKey, Binding) {
        let session = try session(of: invocation)
        guard let binding = try await context.state.binding(for: session) else {
            throw InvocationProblem(.musicNothingPlaying)
        }
        try await context.state.touchSession(session, at: context.now())
        return (session, binding)
    }

    func playing(_ session: SessionKey) async throws -> NowPlaying {
        guard let playing = try await context.state.nowPlaying(session) else { throw InvocationProblem(.musicNothingPlaying) }
        return playing
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
        case .failed(let reason):
            throw InvocationProblem(.musicLoadFailed, ["reason": reason])
        }
        return try await enqueue(tracks, playlist: playlist, next: invocation.bool("next") ?? false,
                                 session: session, invocation: invocation)
    }

    /// Queues tracks in the caller's session, binding a worker first when none plays there.
    func enqueue(_ tracks: [AnankorCore.Track], playlist: String?, next: Bool, session: SessionKey,
                 invocation: CommandInvocation) async throws -> Reply {
        let binding: Binding
        let isNew: Bool
        var route = try await router.route(session)
        if case .refused = route, try await releaseAbandoned(in: session.guild, for: session) {
            // A session nobody listens to any more (its members moved on) gave its bot up.
            route = try await router.route(session)
        }
        switch route {
        case .bound(let bound, let fresh):
            binding = bound
            isNew = fresh
        case .refused(let problem):
            throw problem
        }
        let now = context.now()
        let entries = tracks.prefix(Anankor.maximumQueueAdd).map {
            QueueEntry(track: $0, requester: invocation.user, addedAt: now)
        }
        let length = try await context.state.enqueue(Array(entries), in: session, at: next ? .next : .end)
        try await rememberChannel(session, invocation: invocation)
        if isNew {
            try await conductor.start(session, on: binding.worker, textChannel: invocation.textChannel)
        } else {
            try await conductor.startIfIdle(session, on: binding.worker)
        }
        if let playlist {
            return Reply(text(invocation, .musicQueuedPlaylist, ["count": "\(entries.count)", "playlist": playlist]))
        }
        let track = entries[0].track
        let position = next ? 1 : length
        return Reply(text(invocation, .musicQueuedTrack, [
            "title": track.title, "duration": PlaybackTime.format(milliseconds: track.isStream ? nil : track.lengthMs),
            "position": "\(position)",
        ]))
    }

    /// Ends the guild's sessions whose channel has no human left (other than `session`): their
    /// members moved on — to another channel where they now ask for music, or into a game lobby.
    /// Waiting for the alone timeout would refuse them meanwhile. Returns whether one ended.
    @discardableResult
    func releaseAbandoned(in guild: GuildID, for session: SessionKey? = nil,
                          leftBy movers: Set<UserID>? = nil) async throws -> Bool {
        let bots = Set(context.configuration.workerBots.map(\.rawValue))
            .union(try await context.state.workers(in: guild).map(\.rawValue))
            .union(context.cache.botUserID.map { [$0.rawValue] } ?? [])
        var released = false
        for binding in try await context.state.bindings(in: guild) where binding.session != session {
            let humans = context.cache.voiceMembers(of: Snowflake(binding.session.channel.rawValue),
                                                    in: Snowflake(guild.rawValue))
                .filter { !bots.contains($0.rawValue) }
            if let movers {
                // Everyone still there is being moved out.
                guard !humans.isEmpty, humans.allSatisfy({ movers.contains(UserID($0.rawValue)) }) else { continue }
            } else {
                guard humans.isEmpty else { continue }
            }
            let locale = try await context.state.sessionDetails(binding.session)?.locale ?? .englishUS
            let note = context.text(.musicLeft, locale, ["channel": context.mention(channel: binding.session.channel)])
            context.logger.info("releasing a session its members left", metadata: ["session.key": "\(binding.session)"])
            try await conductor.finish(binding.session, reason: .alone, note: note)
            released = true
        }
        return released
    }

    /// Where the session talks and in which language; kept across restarts.
    private func rememberChannel(_ session: SessionKey, invocation: CommandInvocation) async throws {
        let locale = await context.channelLocale(of: session.guild)
        // A channel's own volume (`/settings channel volume:`) wins over the server's default.
        let channelVolume = try? await context.ledger.voiceChannelSettings(session).volume
        let guildVolume = try? await context.settings.settings(of: session.guild).defaultVolume
        let volume = channelVolume ?? guildVolume
        try await context.state.updateSessionDetails(session) { details in
            let fresh = details.version == 0
            if let channel = invocation.textChannel, details.textChannel != channel {
                details.textChannel = channel
                details.nowPlayingMessage = nil
            }
            if fresh || details.locale == nil { details.locale = locale }
            if fresh, let volume { details.volume = volume }
        }
    }

    private func search(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let query = invocation.string("query") ?? ""
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
        guard case .tracks(let found, _) = await context.tracks.resolve(value), let track = found.first else {
            throw InvocationProblem(.musicNothingFound, ["query": String(value.prefix(100))])
        }
        return try await enqueue([track], playlist: nil, next: false, session: session, invocation: invocation)
    }

    private func invite(_ invocation: CommandInvocation) -> Reply {
        let links = context.configuration.workerBots.enumerated().map { index, worker in
            "\(index + 1). <\(WorkerInvite.link(for: worker))>"
        }
        return Reply(text(invocation, .musicInviteLinks, ["links": links.joined(separator: "\n")]), ephemeral: true)
    }
}
