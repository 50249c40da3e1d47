/// Discord REST v10 and Gateway v10 client. Knows nothing of Anankor.
public enum DiscordAPI {
    /// The API version this client speaks on REST and the gateway.
    public static let version = 10
    /// This library's version, sent in the `User-Agent`.
    public static let libraryVersion = "0.1.0"
    /// The URL sent in the `User-Agent`, as Discord asks for `DiscordBot ($url, $versionNumber)`.
    public static let libraryURL = "https://github.com/anankor/anankor"
}
