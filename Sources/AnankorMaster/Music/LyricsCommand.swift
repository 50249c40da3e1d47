import AnankorCore
import LavalinkKit

/// `/lyrics`: the lyrics of the track playing in the member's voice channel, from the LavaLyrics
/// plugin. Timed lyrics show each line's time. A node without the plugin gets a clear answer.
extension MusicCommands {
    /// Discord's message limit, less room for the title line.
    static let lyricsBudget = 1_800

    func lyrics(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        guard let record = try await driver.record(session, cached: true), record.binding != nil,
            let track = record.nowPlaying?.entry.track
        else { throw InvocationProblem(.musicNothingPlaying) }
        switch await context.tracks.lyrics(ofEncoded: track.encoded) {
        case .found(let lyrics):
            let title = text(invocation, .musicLyricsTitle, ["title": track.title, "source": lyrics.provider.isEmpty
                ? lyrics.sourceName : "\(lyrics.sourceName), \(lyrics.provider)"])
            let body = Self.lyricsBody(lyrics, budget: Self.lyricsBudget,
                                       truncated: text(invocation, .musicLyricsTruncated))
            return Reply("\(title)\n\(body)", ephemeral: true)
        case .notFound:
            return Reply(text(invocation, .musicLyricsNotFound, ["title": track.title]), ephemeral: true)
        case .unavailable:
            throw InvocationProblem(.musicLyricsUnavailable)
        case .failed(let reason):
            throw InvocationProblem(.musicLoadFailed, ["reason": reason])
        }
    }

    /// Timed lines as `` `m:ss` line ``, plain text as it is; cut at a line boundary to fit.
    static func lyricsBody(_ lyrics: Lyrics, budget: Int, truncated: String) -> String {
        let lines = lyrics.isTimed
            ? lyrics.lines.map { "`\(PlaybackTime.format(milliseconds: $0.timestamp))` \($0.line)" }
            : lyrics.fullText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var body = ""
        for line in lines {
            if body.count + line.count + 1 > budget - truncated.count - 1 {
                return body + truncated
            }
            body += body.isEmpty ? line : "\n\(line)"
        }
        return body
    }
}
