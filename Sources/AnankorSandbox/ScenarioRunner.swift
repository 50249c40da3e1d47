import AnankorCore
public import DiscordEmulator
import Foundation

/// Plays a `ScenarioScript` against a running sandbox and writes what members see: their
/// commands and the answers, the bots joining and leaving voice, and the messages posted or
/// edited in the text channel.
public struct ScenarioRunner: Sendable {
    public let world: SandboxWorld
    /// How long to let the system react after each step before reporting what changed.
    public var settle: Duration

    public init(world: SandboxWorld, settle: Duration = .milliseconds(700)) {
        self.world = world
        self.settle = settle
    }

    /// Runs every step; returns the number of steps that failed (each failure is in the transcript).
    @discardableResult
    public func run(_ script: ScenarioScript, write: @Sendable (String) -> Void) async -> Int {
        var seen = await world.discord.activity().last?.id ?? 0
        var failures = 0
        let started = ContinuousClock.now
        for (line, step) in script.steps {
            let elapsed = ContinuousClock.now - started
            let stamp = String(format: "%6.1fs", elapsed.timeInterval)
            do {
                for text in try await perform(step) { write("\(stamp)  \(readable(text))") }
            } catch {
                failures += 1
                write("\(stamp)  ⚠️ line \(line): \(error)")
            }
            try? await Task.sleep(for: settle)
            let (lines, last) = await changes(after: seen)
            seen = last
            for text in lines { write("         \(readable(text))") }
        }
        return failures
    }

    private func perform(_ step: ScenarioScript.Step) async throws -> [String] {
        switch step {
        case .join(let user, let channel):
            try await member(user).join(channel)
            return [channel.map { "\(user) joins 🔊 \($0)" } ?? "\(user) leaves voice"]
        case .slash(let user, let command, let options):
            let json = EmulatorJSON.object(options.mapValues { value in
                // `@Players`: one of the world's roles, sent as its id (role options take ids).
                if value.hasPrefix("@"), let role = world.role(named: String(value.dropFirst())) { return .string("\(role)") }
                // `"#Lounge"` (quoted: `#` starts a comment): one of the world's voice channels, as its id.
                if value.hasPrefix("#"), let channel = world.voiceChannel(String(value.dropFirst())) { return .string("\(channel)") }
                if let number = Int64(value) { return .int(number) }
                if value == "true" || value == "false" { return .bool(value == "true") }
                return .string(value)
            })
            let shown = options.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")
            let answer = try await member(user).run(command, options.isEmpty ? nil : json)
            return ["\(user) › /\(command)\(shown.isEmpty ? "" : " " + shown)", "   ↳ \(answer)"]
        case .text(let user, let message):
            try await member(user).say(message)
            return ["\(user) › \(message)"]
        case .press(let user, let action, let channel):
            let answer = try await member(user).press(action, forSessionIn: channel)
            return ["\(user) presses [\(action)] on the player of 🔊 \(channel)", "   ↳ \(answer)"]
        case .pressLobby(let user, let action, let value):
            let answer = try await member(user).pressLobby(action, choosing: value)
            let shown = value.map { "picks [\($0)]" } ?? "presses [\(action)]"
            return ["\(user) \(shown) on the lobby", "   ↳ \(answer)"]
        case .advance(let milliseconds):
            await world.lavalink.advance(byMilliseconds: milliseconds)
            return ["⏩ playback time moves on \(milliseconds / 1000) s"]
        case .wait(let milliseconds):
            try await Task.sleep(for: .milliseconds(milliseconds))
            return ["⏳ \(milliseconds / 1000) s pass"]
        case .note(let text):
            return ["— \(text)"]
        }
    }

    /// Mentions as a Discord client shows them (`#Lounge`, `@alice`), and continuation lines of a
    /// multi-line answer indented under it.
    func readable(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "\n", with: "\n              ")
        for channel in world.voiceChannels { result = result.replacingOccurrences(of: "<#\(channel.id)>", with: "#\(channel.name)") }
        result = result.replacingOccurrences(of: "<#\(world.textChannel)>", with: "#general")
        for role in [world.playersRole, world.moderatorRole, world.botRole] {
            result = result.replacingOccurrences(of: "<@&\(role)>", with: "@\(world.name(ofRole: role) ?? "role")")
        }
        for user in world.users { result = result.replacingOccurrences(of: "<@\(user.id)>", with: "@\(user.name)") }
        return result
    }

    private func member(_ name: String) throws -> SandboxMember {
        guard let member = SandboxMember(name, in: world) else { throw SandboxError("no member named \(name)") }
        return member
    }

    /// What bots did since activity id `after`, as members would notice it.
    private func changes(after: Int) async -> ([String], Int) {
        let entries = await world.discord.activity(after: after)
        var lines: [String] = []
        for entry in entries {
            let bot = world.name(ofUser: entry.applicationID) ?? "a bot"
            let details = entry.details
            switch entry.kind {
            case "voice_joined":
                let channel = details["channel_id"]?.snowflakeValue.flatMap(world.name(ofVoiceChannel:)) ?? "?"
                lines.append("🎧 \(bot) joined 🔊 \(channel)")
            case "voice_left":
                let channel = details["channel_id"]?.snowflakeValue.flatMap(world.name(ofVoiceChannel:)) ?? "?"
                lines.append("👋 \(bot) left 🔊 \(channel)")
            case "member_moved":
                let user = details["user_id"]?.snowflakeValue.flatMap(world.name(ofUser:)) ?? "someone"
                var channel = "?"
                if let id = details["to_channel_id"]?.snowflakeValue { channel = await channelName(id) }
                lines.append("🚚 \(bot) moved \(user) to 🔊 \(channel)")
            case "channel_created":
                lines.append("➕ \(bot) created 🔊 \(details["name"]?.stringValue ?? "a channel") (limit \(details["user_limit"]?.intValue ?? 0))")
            case "role_added", "role_removed":
                let user = details["user_id"]?.snowflakeValue.flatMap(world.name(ofUser:)) ?? "someone"
                let role = details["role_id"]?.snowflakeValue.flatMap(world.name(ofRole:)) ?? "a role"
                lines.append(entry.kind == "role_added" ? "🏷️ \(bot) gave \(user) @\(role)"
                                                         : "🏷️ \(bot) took @\(role) from \(user)")
            case "channel_deleted":
                lines.append("➖ \(bot) deleted 🔊 \(details["name"]?.stringValue ?? "a channel")")
            case "message_created", "message_edited":
                guard let message = Self.render(details) else { continue }
                lines.append("#general \(bot)\(entry.kind == "message_edited" ? " (edited)" : ""): \(message)")
            default:
                continue
            }
        }
        return (lines, entries.last?.id ?? after)
    }

    /// A voice channel's name: the world's own, or one a bot created during the scenario.
    private func channelName(_ id: UInt64) async -> String {
        if let name = world.name(ofVoiceChannel: id) { return name }
        let channels = await world.discord.guildSnapshot(world.guild)["channels"]?.arrayValue ?? []
        return channels.first { $0["id"]?.snowflakeValue == id }?["name"]?.stringValue ?? "channel \(id)"
    }

    static func render(_ details: EmulatorJSON) -> String? {
        let content = details["content"]?.stringValue ?? ""
        let embed = details["embeds"]?.arrayValue?.first.map { embed in
            [embed["title"]?.stringValue, embed["description"]?.stringValue, embed["footer"]?["text"]?.stringValue]
                .compactMap { $0 }.joined(separator: " | ")
        }
        let text = [content, embed ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text.replacingOccurrences(of: "\n", with: " | ")
    }
}
