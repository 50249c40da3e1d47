/// Domain types, pure policies and the ports (JobBus, StateStore, Ledger). Imports no I/O.
public enum Anankor {
    /// Default maximum number of simultaneous music sessions in one guild.
    public static let defaultGuildSessionCap = 5
}
