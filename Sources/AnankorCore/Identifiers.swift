/// Discord snowflake identifiers as the domain sees them. Discord sends them as decimal strings;
/// the domain keeps them as 64-bit integers (cheap to hash, compare and store) and each kind of
/// resource has its own type so a channel id can never be passed where a guild id is expected.
public protocol DiscordIdentifier: Hashable, Sendable, Codable, Comparable,
    CustomStringConvertible, LosslessStringConvertible
{
    var rawValue: UInt64 { get }
    init(_ rawValue: UInt64)
}

extension DiscordIdentifier {
    public init?(_ description: String) {
        guard let value = UInt64(description) else { return nil }
        self.init(value)
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Encoded as a decimal string, as on Discord's wire.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Accepts a decimal string or an integer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            self.init(number)
            return
        }
        let text = try container.decode(String.self)
        guard let value = UInt64(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a snowflake, got \(text.prefix(32))")
        }
        self.init(value)
    }
}

public struct GuildID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

public struct ChannelID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

public struct UserID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

public struct RoleID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

public struct MessageID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// A worker is identified by the user id of the worker bot whose token it holds: whichever
/// process holds the lease on that token acts as this worker.
public struct WorkerID: DiscordIdentifier {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// A music session: one voice channel of one guild. At most one worker plays in it.
public struct SessionKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var guild: GuildID
    public var channel: ChannelID

    public init(guild: GuildID, channel: ChannelID) {
        self.guild = guild
        self.channel = channel
    }

    /// `guildId/voiceChannelId`, the form used in logs and storage keys.
    public var description: String { "\(guild)/\(channel)" }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let guild = GuildID(String(parts[0])),
            let channel = ChannelID(String(parts[1]))
        else { return nil }
        self.init(guild: guild, channel: channel)
    }
}
