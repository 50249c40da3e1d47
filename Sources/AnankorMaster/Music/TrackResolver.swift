import AnankorCore
import Foundation
import LavalinkKit
import Logging
import Metrics

/// Resolves `/play` queries on Lavalink (`/v4/loadtracks`). The master only uses the nodes' REST
/// API: it never joins voice, so it needs no websocket session and creates no player. Nodes are
/// tried in their configured order, reordered by each node's breaker for the query's source
/// (`SourceBreakerBoard.load`): a node whose YouTube source keeps failing gets no searches until
/// a probe succeeds, and a failure on one node falls over to the next, so members see an error
/// only when every node failed.
struct TrackResolver: Sendable {
    enum Resolution: Sendable {
        case tracks([AnankorCore.Track], playlist: String?)
        case nothing
        /// A LavaSrc link or search (Spotify, Apple Music, …) that found nothing because no node
        /// runs LavaSrc with that source: the member is told so, not that nothing was found.
        case needsPlugin(service: String)
        case failed(String)
    }

    let nodes: [LavalinkREST]
    let logger: Logger
    /// Per node and source; the master's own (its loads are its evidence).
    let breakers: SourceBreakerBoard

    init(nodes: [(name: String, endpoint: NodeEndpoint)], logger: Logger, breakers: SourceBreakerBoard? = nil) {
        self.nodes = nodes.map { LavalinkREST(endpoint: $0.endpoint, nodeName: $0.name) }
        self.logger = logger
        self.breakers = breakers ?? SourceBreakerBoard(onTransition: Self.reportTransition(logger: logger))
    }

    /// Logs and counts a breaker opening or closing (`anankor_lavalink_source_breaker_*`).
    static func reportTransition(logger: Logger) -> SourceBreakerBoard.TransitionHandler {
        { node, source, transition in
            let dimensions = [("node", node), ("source", source), ("role", "master")]
            switch transition {
            case .opened(let backoff):
                Counter(label: "anankor_lavalink_source_breaker_opened_total", dimensions: dimensions).increment()
                Gauge(label: "anankor_lavalink_source_breaker_open", dimensions: dimensions).record(1)
                logger.warning("source breaker opened: searches avoid this source on this node", metadata: [
                    "lavalink.node": "\(node)", "lavalink.source": "\(source)", "backoff": "\(backoff)",
                ])
            case .closed:
                Gauge(label: "anankor_lavalink_source_breaker_open", dimensions: dimensions).record(0)
                logger.info("source breaker closed: the source works again", metadata: [
                    "lavalink.node": "\(node)", "lavalink.source": "\(source)",
                ])
            case .none:
                break
            }
        }
    }

    /// URLs and prefixed identifiers (`ytsearch:`, `scsearch:`) go to Lavalink as they are; plain
    /// words become a YouTube search.
    /// LavaSrc's recommendation and ISRC prefixes (autoplay loads `sprec:`/`dzrec:`), sent as they are.
    static let lavaSrcPrefixes: Set<String> = ["sprec", "dzrec", "ymrec", "dzisrc"]

    static func identifier(for query: String) -> String {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return trimmed }
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].hasSuffix("search")
            || Self.lavaSrcPrefixes.contains(String(trimmed[..<colon]))
        {
            return trimmed
        }
        return "ytsearch:\(trimmed)"
    }

    /// What `/play` queues for a query: a search plays its best match; a link (to a track or a
    /// playlist) queues everything it names.
    static func queued(_ found: [AnankorCore.Track], playlist: String?, query: String) -> [AnankorCore.Track] {
        playlist == nil && !identifier(for: query).hasPrefix("http") ? Array(found.prefix(1)) : found
    }

    func resolve(_ query: String) async -> Resolution {
        guard !nodes.isEmpty else { return .failed("no Lavalink node is configured") }
        let identifier = Self.identifier(for: query)
        let nodes = self.nodes
        let logger = self.logger
        do {
            let resolution = Self.resolution(of: try await breakers.load(identifier, on: nodes.map(\.nodeName)) { name in
                guard let node = nodes.first(where: { $0.nodeName == name }) else { return .empty }
                do {
                    let result = try await node.loadTracks(identifier)
                    if case .error(let exception) = result {
                        logger.warning("track load failed", metadata: [
                            "lavalink.node": "\(name)", "error": "\(exception.message ?? exception.cause)",
                            "severity": "\(exception.severity.rawValue)",
                        ])
                    }
                    return result
                } catch {
                    logger.warning("track resolution failed", metadata: ["lavalink.node": "\(name)", "error": "\(error)"])
                    throw error
                }
            })
            if case .nothing = resolution, let source = LavaSrc.source(of: identifier),
                await !anyNodeRuns(source)
            {
                return .needsPlugin(service: source.displayName)
            }
            return resolution
        } catch {
            return .failed("Lavalink is unreachable")
        }
    }

    /// Whether some node runs LavaSrc with `source` enabled (asked only after a LavaSrc query
    /// found nothing, so the common path makes no extra call). An unreachable node counts as
    /// running it: the member then reads "nothing found", never a wrong claim about plugins.
    private func anyNodeRuns(_ source: LavaSrc.Source) async -> Bool {
        for node in nodes {
            guard let info = try? await node.info() else { return true }
            if info.has(.lavaSrc), info.sourceManagers.contains(source.sourceName) { return true }
        }
        return false
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
