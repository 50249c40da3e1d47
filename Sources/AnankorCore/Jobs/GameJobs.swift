import Foundation

/// Identifies one game lobby (a `/game create`).
public struct LobbyID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// `game.reminder.post`: post a (localized, already rendered) reminder in a lobby's text channel.
public struct ReminderPostJob: VersionedPayload {
    public static let kind = "game.reminder.post"
    public static let version = 1
    public var lobby: LobbyID
    public var guild: GuildID
    public var channel: ChannelID
    public var content: String
    public var mentions: [UserID]

    public init(lobby: LobbyID, guild: GuildID, channel: ChannelID, content: String, mentions: [UserID] = []) {
        self.lobby = lobby
        self.guild = guild
        self.channel = channel
        self.content = content
        self.mentions = mentions
    }
}

/// `game.voice.move`: move members who are in voice into the lobby's voice channel.
public struct VoiceMoveJob: VersionedPayload {
    public static let kind = "game.voice.move"
    public static let version = 1
    public var lobby: LobbyID
    public var guild: GuildID
    public var users: [UserID]
    public var channel: ChannelID

    public init(lobby: LobbyID, guild: GuildID, users: [UserID], channel: ChannelID) {
        self.lobby = lobby
        self.guild = guild
        self.users = users
        self.channel = channel
    }
}

/// `game.role.add` / `game.role.remove`: the temporary lobby role.
public struct RoleChangeJob: Sendable, Hashable, Codable {
    public var lobby: LobbyID
    public var guild: GuildID
    public var users: [UserID]
    public var role: RoleID

    public init(lobby: LobbyID, guild: GuildID, users: [UserID], role: RoleID) {
        self.lobby = lobby
        self.guild = guild
        self.users = users
        self.role = role
    }
}

public struct RoleAddJob: VersionedPayload {
    public static let kind = "game.role.add"
    public static let version = 1
    public var change: RoleChangeJob
    public init(_ change: RoleChangeJob) { self.change = change }
    public init(from decoder: any Decoder) throws { change = try RoleChangeJob(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try change.encode(to: encoder) }
}

public struct RoleRemoveJob: VersionedPayload {
    public static let kind = "game.role.remove"
    public static let version = 1
    public var change: RoleChangeJob
    public init(_ change: RoleChangeJob) { self.change = change }
    public init(from decoder: any Decoder) throws { change = try RoleChangeJob(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try change.encode(to: encoder) }
}

/// `game.channel.create`: a temporary voice channel for a lobby; the worker answers with a
/// `tempChannelCreated` event carrying the new channel id.
public struct TempChannelCreateJob: VersionedPayload {
    public static let kind = "game.channel.create"
    public static let version = 1
    public var lobby: LobbyID
    public var guild: GuildID
    public var name: String
    public var parent: ChannelID?
    public var userLimit: Int

    public init(lobby: LobbyID, guild: GuildID, name: String, parent: ChannelID? = nil, userLimit: Int) {
        self.lobby = lobby
        self.guild = guild
        self.name = name
        self.parent = parent
        self.userLimit = userLimit
    }
}

/// `game.channel.delete`: delete a lobby's temporary channel at its end.
public struct TempChannelDeleteJob: VersionedPayload {
    public static let kind = "game.channel.delete"
    public static let version = 1
    public var lobby: LobbyID
    public var guild: GuildID
    public var channel: ChannelID

    public init(lobby: LobbyID, guild: GuildID, channel: ChannelID) {
        self.lobby = lobby
        self.guild = guild
        self.channel = channel
    }
}
