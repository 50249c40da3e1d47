/// Lavalink v4 client: node REST and websocket, node pool, events. Knows nothing of Anankor.
public enum LavalinkAPI {
    /// The Lavalink major API version this client speaks.
    public static let version = 4
    /// The oldest server accepted: 4.2 is the first with Discord's end-to-end encrypted voice (DAVE),
    /// which Discord requires of bots.
    public static let minimumServerVersion = (major: 4, minor: 2)
}
