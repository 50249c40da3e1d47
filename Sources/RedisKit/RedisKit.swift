/// RESP client on SwiftNIO. Knows nothing of Anankor.
public enum RedisProtocol {
    /// The RESP version requested with `HELLO`.
    public static let preferredVersion = 3
}
