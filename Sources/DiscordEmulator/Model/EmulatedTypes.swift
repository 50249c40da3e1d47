/// Values the Swift API hands out and takes; the control API speaks the same in JSON.

/// An application with its bot user (same id, as for modern Discord applications).
public struct EmulatedBot: Sendable, Equatable {
    public let applicationID: UInt64
    public var userID: UInt64 { applicationID }
    /// The bot token (never logged).
    public let token: String
    public let name: String
}

public enum EmulatedChannelType: Int, Sendable {
    case text = 0
    case voice = 2
    case category = 4
    case stage = 13
}

/// A permission overwrite on a channel.
public struct EmulatedOverwrite: Sendable, Equatable {
    public enum Kind: Int, Sendable { case role = 0, member = 1 }
    public var id: UInt64
    public var kind: Kind
    public var allow: UInt64
    public var deny: UInt64

    public init(id: UInt64, kind: Kind, allow: UInt64 = 0, deny: UInt64 = 0) {
        self.id = id
        self.kind = kind
        self.allow = allow
        self.deny = deny
    }

    var record: OverwriteRecord { .init(id: id, type: kind.rawValue, allow: allow, deny: deny) }
}

/// An interaction the emulator created for a user action, as returned to the test.
public struct EmulatedInteraction: Sendable, Equatable {
    public let id: UInt64
    public let token: String
    /// Whether a connected bot session received INTERACTION_CREATE.
    public let delivered: Bool
}
