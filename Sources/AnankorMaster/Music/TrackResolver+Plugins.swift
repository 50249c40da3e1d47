import AnankorCore
import Foundation
import LavalinkKit

/// What the master asks Lavalink's plugins: LavaSearch for typed searches and LavaLyrics for the
/// lyrics of a track. Each goes to the first configured node that runs the plugin (from its
/// `/v4/info`); when none does, the answer says so, so the member learns the feature is not
/// installed rather than that nothing was found.
extension TrackResolver {
    enum TypedSearch: Sendable {
        /// Albums, artists or playlists: name, author, track count and the link that loads them.
        case collections([Collection])
        case nothing
        case unavailable
        case failed(String)
    }

    struct Collection: Sendable, Equatable {
        var name: String
        var author: String?
        var totalTracks: Int?
        var url: String
    }

    enum LyricsLookup: Sendable {
        case found(Lyrics)
        case notFound
        case unavailable
        case failed(String)
    }

    /// The search prefix a typed search uses: the member's own (`dzsearch:…`), else the first
    /// LavaSrc source the node has, in the order Spotify, Deezer, Apple Music, Yandex Music.
    static func searchIdentifier(_ query: String, sources: [String]) -> String {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if LavaSrc.Source.all.contains(where: { trimmed.hasPrefix($0.searchPrefix) }) { return trimmed }
        let preferred = [LavaSrc.Source.spotify, .deezer, .appleMusic, .yandexMusic]
        let source = preferred.first { sources.contains($0.sourceName) } ?? .spotify
        return source.searchPrefix + trimmed
    }

    func search(_ query: String, type: LavaSearch.ResultType) async -> TypedSearch {
        var lastError: String?
        for node in nodes {
            do {
                let info = try await node.info()
                guard info.has(.lavaSearch), info.has(.lavaSrc) else { continue }
                let identifier = Self.searchIdentifier(query, sources: info.sourceManagers)
                guard let result = try await node.loadSearch(identifier, types: [type]) else { return .nothing }
                let found = result.collections(type).compactMap { playlist -> Collection? in
                    guard let url = playlist.lavaSrc?.url else { return nil }
                    return Collection(name: playlist.info.name, author: playlist.lavaSrc?.author,
                                      totalTracks: playlist.lavaSrc?.totalTracks, url: url)
                }
                return found.isEmpty ? .nothing : .collections(found)
            } catch {
                lastError = "Lavalink is unreachable"
                logger.warning("typed search failed", metadata: ["lavalink.node": "\(node.nodeName)", "error": "\(error)"])
            }
        }
        return lastError.map(TypedSearch.failed) ?? .unavailable
    }

    func lyrics(ofEncoded encoded: String) async -> LyricsLookup {
        var lastError: String?
        for node in nodes {
            do {
                guard try await node.info().has(.lavaLyrics) else { continue }
                return try await node.lyrics(encodedTrack: encoded).map(LyricsLookup.found) ?? .notFound
            } catch {
                lastError = "Lavalink is unreachable"
                logger.warning("lyrics lookup failed", metadata: ["lavalink.node": "\(node.nodeName)", "error": "\(error)"])
            }
        }
        return lastError.map(LyricsLookup.failed) ?? .unavailable
    }
}
