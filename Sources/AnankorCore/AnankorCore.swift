/// Domain types, pure policies and the ports (JobBus, StateStore, Ledger). Imports no I/O.
public enum Anankor {
    /// Default maximum number of simultaneous music sessions in one guild.
    public static let defaultGuildSessionCap = 5
    /// The most an operator may allow (`ANANKOR_GUILD_SESSION_CAP` accepts 1…25): more worker
    /// bots per guild than that is not a setup Anankor is built for.
    public static let maximumGuildSessionCap = 25
    /// The most tracks one `/play` adds (a huge playlist is cut there rather than flooding the queue).
    public static let maximumQueueAdd = 500
}
