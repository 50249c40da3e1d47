import AnankorCore
import LavalinkKit

/// Loads tracks from the Lavalink emulator's catalogue through LavalinkKit (in its own file: the
/// emulator module declares types of the same names).
enum TrackCatalogue {
    static func load(_ identifier: String, port: Int, password: String) async throws -> AnankorCore.Track {
        let rest = LavalinkREST(endpoint: NodeEndpoint(host: "127.0.0.1", port: port, password: password), nodeName: "tests")
        guard case .track(let track) = try await rest.loadTracks(identifier) else {
            throw CatalogueError(identifier: identifier)
        }
        return AnankorCore.Track(encoded: track.encoded, title: track.info.title, author: track.info.author,
                                 lengthMs: track.info.length, isStream: track.info.isStream)
    }

    struct CatalogueError: Error, CustomStringConvertible {
        var identifier: String
        var description: String { "\(identifier) did not load as one track" }
    }
}
