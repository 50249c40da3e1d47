import AnankorCore
import Foundation
import LavalinkKit
import Logging

/// Resolves `/play` queries on Lavalink (`/v4/loadtracks`). The master only uses the nodes' REST
/// API: it never joins voice, so it needs no websocket session and creates no player. Nodes are
/// tried in order; one that fails is skipped for the next query's first attempt.
struct TrackResolver: Sendable {
    enum Resolution: Sendable {
        case tracks([AnankorCore.Track], playlist: String?)
        case nothing
        case failed(String)
    }

    let nodes: [LavalinkREST]
    let logger: Logger

    init(nodes: [(name: String, endpoint: NodeEndpoint)], logger: Logger) {
        self.nodes = nodes.map { LavalinkREST(endpoint: $0.endpoint, nodeName: $0.name) }
        self.logger = logger
    }

    /// URLs and prefixed identifiers (`ytsearch:`, `scsearch:`) go to Lavalink as they are; plain
    /// words become a YouTube search.
    static func identifier(for query: String) -> String {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return trimmed }
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].hasSuffix("search") { return trimmed }
        return "ytsearch:\(trimmed)"
    }

    /// What `/play` queues for a query: a search plays its best match; a link (to a track or a
    /// playlist) queues everything it names.
    static func queued(_ found: [AnankorCore.Track], playlist: String?, query: String) -> [AnankorCore.Track] {
        playlist == nil && !identifier(for: query).hasPrefix("http") ? Array(found.prefix(1)) : found
    }

    func resolve(_ query: String) async -> Resolution {
        let identifier = Self.identifier(for: query)
        var lastError = "no Lavalink node is configured"
        for node in nodes {
            do {
                return Self.resolution(of: try await node.loadTracks(identifier))
            } catch {
                lastError = "Lavalink is unreachable"
                logger.warning("track resolution failed", metadata: ["lavalink.node": "\(node.nodeName)", "error": "\(error)"])
            }
        }
        return .failed(lastError)
    }

    static func resolution(of result: LoadResult) -> Resolution {
        switch result {
        case .track(let track): .tracks([convert(track)], playlist: nil)
        case .playlist(let playlist): .tracks(playlist.tracks.map(convert), playlist: playlist.info.name)
        case .search(let tracks): tracks.isEmpty ? .nothing : .tracks(tracks.map(convert), playlist: nil)
        case .empty: .nothing
        case .error(let exception): .failed(exception.message ?? exception.cause)
        case .unknown(let type): .failed("unsupported result \(type)")
        }
    }

    static func convert(_ track: LavalinkKit.Track) -> AnankorCore.Track {
        AnankorCore.Track(encoded: track.encoded, title: track.info.title, author: track.info.author,
                          lengthMs: track.info.length, isStream: track.info.isStream, uri: track.info.uri,
                          artworkURL: track.info.artworkUrl, sourceName: track.info.sourceName)
    }
}
