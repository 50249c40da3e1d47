/// Discord REST v10 and Gateway v10 client. Knows nothing of Anankor.
public enum DiscordAPI {
    /// The API version this client speaks on REST and the gateway.
    public static let version = 10
}
