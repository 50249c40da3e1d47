import AnankorCore
import Foundation

/// `/playlist save|load|list|delete|rename`: named track lists in the ledger, a member's own or
/// the server's shared ones. Saving takes what plays and is queued in the caller's voice channel;
/// loading queues into the caller's session through the same path as `/play`.
struct PlaylistCommands: Sendable {
    let context: MasterContext
    let music: MusicCommands

    /// The most playlists one member, or one server's shared scope, may keep.
    static let maxPlaylists = 25

    /// Whose playlists a command acts on. The server's shared playlists are stored under the
    /// guild's id as owner: guild and user ids are both snowflakes and never equal.
    enum Scope {
        case member(UserID)
        case server(GuildID)

        var owner: UserID {
            switch self {
            case .member(let user): user
            case .server(let guild): UserID(guild.rawValue)
            }
        }

        var isServer: Bool { if case .server = self { true } else { false } }
    }

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        let scope: Scope = invocation.string("scope") == "server" ? .server(invocation.guild) : .member(invocation.user)
        let name = invocation.string("name") ?? ""
        switch invocation.name {
        case "playlist.save": return try await save(invocation, name: name, scope: scope)
        case "playlist.load": return try await load(invocation, name: name, scope: scope)
        case "playlist.list": return try await list(invocation, scope: scope)
        case "playlist.delete": return try await delete(invocation, name: name, scope: scope)
        case "playlist.rename": return try await rename(invocation, name: name, scope: scope)
        default: throw InvocationProblem(.errorUnknownCommand)
        }
    }

    private func save(_ invocation: CommandInvocation, name: String, scope: Scope) async throws -> Reply {
        try await requireDJ(for: scope, invocation)
        let session = try music.session(of: invocation)
        let entries = try await music.driver.record(session)?.entries ?? []
        let total = entries.count
        guard !entries.isEmpty else { throw InvocationProblem(.playlistNothingToSave) }
        let existing = try await context.ledger.playlists(owner: scope.owner)
        let replaces = existing.contains { SavedPlaylist.nameKey($0.name) == SavedPlaylist.nameKey(name) }
        if !replaces, existing.count >= Self.maxPlaylists {
            throw InvocationProblem(.playlistLimit, ["limit": "\(Self.maxPlaylists)"])
        }
        let tracks = entries.prefix(SavedPlaylist.maxTracks).map { entry in
            SavedPlaylist.Track(encoded: entry.track.encoded, title: entry.track.title, author: entry.track.author,
                                uri: entry.track.uri, lengthMilliseconds: entry.track.lengthMs)
        }
        try await context.ledger.savePlaylist(SavedPlaylist(owner: scope.owner, name: name, tracks: Array(tracks),
                                                            updatedAt: context.now()))
        var lines = [text(invocation, scope.isServer ? .playlistSavedServer : .playlistSaved,
                          ["count": "\(tracks.count)", "playlist": name])]
        if total > tracks.count {
            lines.append(text(invocation, .playlistTruncated, ["limit": "\(SavedPlaylist.maxTracks)"]))
        }
        return Reply(lines.joined(separator: "\n"))
    }

    private func load(_ invocation: CommandInvocation, name: String, scope: Scope) async throws -> Reply {
        // Loading is playing: the same DJ-only channel gate as /play.
        var asPlay = invocation
        asPlay.name = "play"
        try await music.gate(asPlay)
        let playlist = try await stored(name, scope, invocation)
        let session = try music.session(of: invocation)
        let tracks = playlist.tracks.map { track in
            AnankorCore.Track(encoded: track.encoded, title: track.title, author: track.author,
                              lengthMs: track.lengthMilliseconds, uri: track.uri)
        }
        return try await music.enqueue(tracks, playlist: playlist.name, next: invocation.bool("next") ?? false,
                                       session: session, invocation: invocation)
    }

    private func list(_ invocation: CommandInvocation, scope: Scope) async throws -> Reply {
        let playlists = try await context.ledger.playlists(owner: scope.owner)
        guard !playlists.isEmpty else {
            return Reply(text(invocation, scope.isServer ? .playlistListEmptyServer : .playlistListEmpty), ephemeral: true)
        }
        var lines = [text(invocation, scope.isServer ? .playlistListTitleServer : .playlistListTitle)]
        for playlist in playlists.prefix(Self.maxPlaylists) {
            lines.append(text(invocation, .playlistListLine, [
                "playlist": playlist.name, "count": "\(playlist.trackCount)",
                "duration": context.catalog.duration(seconds: playlist.totalMilliseconds / 1000, invocation.locale),
            ]))
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    private func delete(_ invocation: CommandInvocation, name: String, scope: Scope) async throws -> Reply {
        try await requireDJ(for: scope, invocation)
        let playlist = try await stored(name, scope, invocation)
        guard try await context.ledger.deletePlaylist(owner: scope.owner, name: playlist.name) else {
            throw notFound(name, scope)
        }
        return Reply(text(invocation, .playlistDeleted, ["playlist": playlist.name]), ephemeral: !scope.isServer)
    }

    private func rename(_ invocation: CommandInvocation, name: String, scope: Scope) async throws -> Reply {
        try await requireDJ(for: scope, invocation)
        let newName = invocation.string("new_name") ?? ""
        var playlist = try await stored(name, scope, invocation)
        let renamesOnlyCase = SavedPlaylist.nameKey(newName) == SavedPlaylist.nameKey(playlist.name)
        if !renamesOnlyCase, try await context.ledger.playlist(owner: scope.owner, name: newName) != nil {
            throw InvocationProblem(.playlistNameTaken, ["playlist": newName])
        }
        let old = playlist.name
        playlist.name = newName
        playlist.updatedAt = context.now()
        // Saved under the new name first, so a failure in between leaves a copy rather than nothing.
        try await context.ledger.savePlaylist(playlist)
        if !renamesOnlyCase { try await context.ledger.deletePlaylist(owner: scope.owner, name: old) }
        return Reply(text(invocation, .playlistRenamed, ["from": old, "playlist": newName]), ephemeral: !scope.isServer)
    }

    // MARK: Helpers

    private func stored(_ name: String, _ scope: Scope, _ invocation: CommandInvocation) async throws -> SavedPlaylist {
        guard let playlist = try await context.ledger.playlist(owner: scope.owner, name: name) else {
            throw notFound(name, scope)
        }
        return playlist
    }

    private func notFound(_ name: String, _ scope: Scope) -> InvocationProblem {
        InvocationProblem(scope.isServer ? .playlistNotFoundServer : .playlistNotFound, ["playlist": name])
    }

    /// The server's shared playlists change only by DJs (everyone when the server has no DJ role,
    /// as with the music commands); managers always may.
    private func requireDJ(for scope: Scope, _ invocation: CommandInvocation) async throws {
        guard scope.isServer, !invocation.isManager else { return }
        let settings = try await context.settings.settings(of: invocation.guild)
        if let dj = settings.djRole, !invocation.roles.contains(dj) {
            throw InvocationProblem(.musicDJOnly, ["role": "<@&\(dj)>"])
        }
    }

    private func text(_ invocation: CommandInvocation, _ key: MessageKey, _ arguments: [String: String] = [:]) -> String {
        context.text(key, invocation.locale, arguments)
    }
}
