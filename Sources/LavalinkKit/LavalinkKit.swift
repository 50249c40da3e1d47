/// Lavalink v4 client: node REST and websocket, node pool, events. Knows nothing of Anankor.
public enum LavalinkAPI {
    /// The Lavalink major API version this client speaks.
    public static let version = 4
}
