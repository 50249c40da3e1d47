public import DiscordEmulator
import Foundation

/// What a member saw in answer to one of their interactions.
public struct SandboxAnswer: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    /// Only the member saw it.
    public var ephemeral: Bool

    public var description: String { ephemeral ? "(only you) \(text)" : text }
}

/// A message in a text channel, as members see it.
public struct SandboxMessage: Sendable, Equatable {
    public var id: UInt64
    public var author: UInt64
    public var content: String
    /// The first embed's title and description, joined.
    public var embed: String?
    public var edited: Bool
    /// The custom ids of its buttons.
    public var buttons: [String]
    public var ephemeral: Bool
    /// A reply to an interaction (type 19/20) rather than a plain post.
    public var isInteractionReply: Bool

    public init?(_ json: EmulatorJSON) {
        guard let id = json["id"]?.snowflakeValue else { return nil }
        self.id = id
        author = json["author"]?["id"]?.snowflakeValue ?? 0
        content = json["content"]?.stringValue ?? ""
        if let first = json["embeds"]?.arrayValue?.first {
            embed = [first["title"]?.stringValue, first["description"]?.stringValue, first["footer"]?["text"]?.stringValue]
                .compactMap { $0 }.joined(separator: "\n")
        }
        edited = !(json["edited_timestamp"]?.isNull ?? true)
        buttons = (json["components"]?.arrayValue ?? []).flatMap { row in
            (row["components"]?.arrayValue ?? []).compactMap { $0["custom_id"]?.stringValue }
        }
        ephemeral = (json["flags"]?.intValue ?? 0) & 64 != 0
        let type = json["type"]?.intValue ?? 0
        isInteractionReply = type == 19 || type == 20
    }
}

extension SandboxWorld {
    /// Waits for the bot's complete answer to an interaction: an immediate reply, or a deferred
    /// one once it was edited or replaced by a followup. Nil when none came within `timeout`
    /// (or the waiting task was cancelled).
    public func answer(to interaction: EmulatedInteraction, timeout: Duration = .seconds(15)) async -> SandboxAnswer? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let record = await discord.interactionRecord(interaction.id), let answer = Self.answer(in: record) {
                return answer
            }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return nil }
        }
        return nil
    }

    /// The answer an interaction record (`GET /_emulator/interactions/{id}`) shows the member, if any yet.
    public static func answer(in record: EmulatorJSON) -> SandboxAnswer? {
        let responses = record["responses"]?.arrayValue ?? []
        guard let callback = responses.first(where: { $0["kind"]?.stringValue == "callback" })?["body"] else { return nil }
        let type = callback["type"]?.intValue ?? 0
        func answer(_ body: EmulatorJSON?) -> SandboxAnswer? {
            guard let body else { return nil }
            let text = body["content"]?.stringValue ?? ""
            return SandboxAnswer(text: text, ephemeral: (body["flags"]?.intValue ?? 0) & 64 != 0)
        }
        switch type {
        case 4, 7:
            return answer(callback["data"])
        case 5:
            // The last edit of the original, or a followup sent after the original was deleted.
            for response in responses.reversed() {
                switch response["kind"]?.stringValue {
                case "original_edited": return answer(response["body"])
                case "followup": return answer(response["body"])
                default: continue
                }
            }
            return nil
        case 6:
            return SandboxAnswer(text: "", ephemeral: true)
        default:
            return nil
        }
    }

    /// Every message in a text channel, oldest first.
    public func messages(in channel: UInt64? = nil) async -> [SandboxMessage] {
        await discord.messages(in: channel ?? textChannel).compactMap(SandboxMessage.init)
    }

    /// The now-playing messages (those with the player buttons), oldest first.
    public func nowPlayingMessages(in channel: UInt64? = nil) async -> [SandboxMessage] {
        await messages(in: channel).filter { $0.buttons.contains { $0.hasPrefix("np:") } || $0.embed != nil }
            .filter { $0.author == master.userID && !$0.isInteractionReply }
    }

    /// Plain notices the master posted (not replies, not now-playing messages), oldest first.
    public func notices(in channel: UInt64? = nil) async -> [SandboxMessage] {
        await messages(in: channel).filter { $0.author == master.userID && !$0.isInteractionReply && $0.embed == nil }
    }

    /// The voice channel a bot or user is in now.
    public func voiceChannel(of user: UInt64) async -> UInt64? {
        await discord.voiceChannel(of: user, in: guild)
    }

    /// Polls until `condition` holds; false after `timeout`, or at once when the task is cancelled.
    public func eventually(timeout: Duration = .seconds(15), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            do { try await Task.sleep(for: .milliseconds(25)) } catch { return false }
        }
        return await condition()
    }
}

/// A member of the sandbox guild acting like a person in a Discord client.
public struct SandboxMember: Sendable {
    public let world: SandboxWorld
    public let name: String
    public let id: UInt64
    public var locale: String?

    public init?(_ name: String, in world: SandboxWorld, locale: String? = nil) {
        guard let id = world.user(name) else { return nil }
        self.world = world
        self.name = name
        self.id = id
        self.locale = locale
    }

    /// Joins (or moves to) a voice channel by name; nil leaves voice.
    public func join(_ channel: String?) async throws {
        let target = try channel.map { name in
            guard let id = world.voiceChannel(name) else { throw SandboxError("no voice channel named \(name)") }
            return id
        }
        try await world.discord.setVoiceChannel(of: id, in: world.guild, to: target)
    }

    /// Runs a slash command (`"play"`, `"game create"`) in the text channel and waits for the answer.
    public func run(_ command: String, _ options: EmulatorJSON? = nil) async throws -> SandboxAnswer {
        let interaction = try await world.discord.invokeSlashCommand(
            command, application: world.master.applicationID, channel: world.textChannel, user: id, options: options,
            locale: locale)
        guard let answer = await world.answer(to: interaction) else {
            throw SandboxError("no answer to /\(command) within 15 s")
        }
        return answer
    }

    /// Presses a button of the latest now-playing message of the session in `voice` (by its action:
    /// toggle, previous, skip, stop, loop, shuffle).
    public func press(_ action: String, forSessionIn voice: String) async throws -> SandboxAnswer {
        guard let channel = world.voiceChannel(voice) else { throw SandboxError("no voice channel named \(voice)") }
        let suffix = ":\(world.guild):\(channel)"
        guard let message = await world.nowPlayingMessages().last(where: { $0.buttons.contains("np:\(action)\(suffix)") })
        else { throw SandboxError("no now-playing message with a \(action) button for \(voice)") }
        let interaction = try await world.discord.pressButton("np:\(action)\(suffix)", on: message.id, by: id,
                                                              locale: locale)
        guard let answer = await world.answer(to: interaction) else { throw SandboxError("no answer to the button") }
        return answer
    }

    /// Uses a control of the newest lobby message: presses `join`, `leave`, `ready` or `start`,
    /// or with `choosing` picks that role in the Join select (lobbies with roles).
    public func pressLobby(_ action: String, choosing value: String? = nil) async throws -> SandboxAnswer {
        let prefix = "lobby:\(action):"
        guard let message = await world.messages().last(where: {
            $0.author == world.master.userID && $0.buttons.contains { $0.hasPrefix(prefix) }
        }), let customID = message.buttons.first(where: { $0.hasPrefix(prefix) })
        else { throw SandboxError("no lobby message with a \(action) control") }
        let interaction = if let value {
            try await world.discord.chooseSelectOptions([value], in: customID, on: message.id, by: id, locale: locale)
        } else {
            try await world.discord.pressButton(customID, on: message.id, by: id, locale: locale)
        }
        guard let answer = await world.answer(to: interaction) else { throw SandboxError("no answer to the lobby control") }
        return answer
    }

    /// Types a text message (`!play …` with the message-content intent).
    public func say(_ text: String) async throws {
        _ = try await world.discord.sendMessage(text, in: world.textChannel, as: id)
    }
}

public struct SandboxError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
