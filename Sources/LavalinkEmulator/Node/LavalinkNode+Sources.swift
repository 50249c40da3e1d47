/// A source made to fail, as a node whose YouTube source is rate-limited or asked to sign in:
/// the next `remaining` loads from it answer `loadType: error`, and the next plays of its tracks
/// throw at once (`TrackExceptionEvent`, then `TrackEndEvent` with `loadFailed`).
public struct SourceFailure: Sendable, Equatable {
    public var remaining: Int
    public var message: String
    public var severity: TrackException.Severity

    public init(remaining: Int, message: String = "Sign in to confirm you're not a bot",
                severity: TrackException.Severity = .suspicious) {
        self.remaining = max(0, remaining)
        self.message = message
        self.severity = severity
    }

    var exception: TrackException {
        TrackException(message: message, severity: severity,
                       cause: "com.sedmelluq.discord.lavaplayer.tools.FriendlyException: \(message)")
    }
}

extension LavalinkNode {
    /// `/v4/loadtracks`: the catalogue's answer, unless the identifier's source is made to fail.
    func loadTracks(_ identifier: String) -> LoadResult {
        let result = catalogue.load(identifier)
        let source = Self.source(of: identifier, result: result)
        guard var failure = failingSources[source], failure.remaining > 0 else { return result }
        failure.remaining -= 1
        failingSources[source] = failure
        return .error(failure.exception)
    }

    /// The fault of a play of a track from `source` while that source is made to fail.
    func takeSourceFailure(source: String) -> TrackFault? {
        guard var failure = failingSources[source], failure.remaining > 0 else { return nil }
        failure.remaining -= 1
        failingSources[source] = failure
        return .exception(atMs: 0, message: failure.message, severity: failure.severity)
    }

    func failSource(_ source: String, _ failure: SourceFailure) {
        failingSources[source] = failure.remaining > 0 ? failure : nil
    }

    func setRegion(_ region: String?) { self.region = region }

    /// The source a load goes to: that of the tracks it found, else its search prefix or link.
    static func source(of identifier: String, result: LoadResult) -> String {
        switch result {
        case .track(let track): return track.info.sourceName
        case .playlist(_, _, let tracks, _) where !tracks.isEmpty: return tracks[0].info.sourceName
        case .search(let tracks) where !tracks.isEmpty: return tracks[0].info.sourceName
        default: break
        }
        let lowered = identifier.lowercased()
        if lowered.hasPrefix("scsearch:") || lowered.contains("soundcloud.com") { return "soundcloud" }
        if lowered.hasPrefix("emulator:") { return "emulator" }
        return "youtube"
    }
}
