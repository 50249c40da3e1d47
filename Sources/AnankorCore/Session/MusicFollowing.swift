import Foundation

/// Which music goes along when a game lobby moves its players into its voice channel, as a pure
/// rule (docs/games.md, "Music when the lobby starts"):
///
/// - a session follows when everyone listening to it is among the players moved into the lobby
///   channel, and that channel has no music of its own (no session there, and the lobby brings no
///   music of its own: the host's choice wins);
/// - when several sessions qualify, the one with the most listeners follows (ties: the lowest
///   channel id, so every master picks the same one); the others end at once.
public enum MusicFollowing {
    /// - Parameters:
    ///   - lobby: the channel the players are moved into.
    ///   - movers: the players being moved.
    ///   - listeners: the humans in each channel that has a bound session.
    ///   - lobbyHasMusic: the lobby channel has a session, or the lobby brings its own music.
    /// - Returns: the channel whose session follows, and the channels whose sessions end.
    public static func plan(into lobby: ChannelID, movers: Set<UserID>, listeners: [ChannelID: Set<UserID>],
                            lobbyHasMusic: Bool) -> (follows: ChannelID?, released: [ChannelID]) {
        let abandoned = listeners.filter { channel, humans in
            channel != lobby && !humans.isEmpty && humans.isSubset(of: movers)
        }
        let ranked = abandoned.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map(\.key)
        guard !lobbyHasMusic, let first = ranked.first else { return (nil, ranked.sorted()) }
        return (first, ranked.dropFirst().sorted())
    }
}
