/// The playground's view of the emulated Discord: what a member's client would show — channels,
/// who is in voice, messages with their components, the registered commands — in one JSON value
/// that the page renders and the live stream sends again whenever it changes.
extension EmulatorState {
    /// Messages per text channel the view carries (the newest ones).
    static let playgroundMessageLimit = 100

    func setPlaygroundHost(_ host: any PlaygroundHost) { playground.host = host }

    var playgroundHost: (any PlaygroundHost)? { playground.host }

    func playgroundDiscordView() -> JSON {
        [
            "guilds": .array(world.guilds.keys.sorted().compactMap { playgroundGuild($0) }),
            "applications": .array(world.applications.values.sorted { $0.id < $1.id }.map { playgroundApplication($0) }),
            "unanswered": .array(unansweredInteractions()),
        ]
    }

    private func playgroundGuild(_ guildID: UInt64) -> JSON? {
        guard let guild = world.guilds[guildID] else { return nil }
        let channels = guild.channels.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
        var messages: [String: JSON] = [:]
        for channel in channels where !channel.isVoice && channel.type != 4 {
            let list = world.messages.values.filter { $0.channelID == channel.id }.sorted { $0.id < $1.id }
                .suffix(Self.playgroundMessageLimit)
            messages[String(channel.id)] = .array(list.map { playgroundMessage($0) })
        }
        let members: [JSON] = guild.members.values.sorted { $0.userID < $1.userID }.map { member -> JSON in
            let user = world.users[member.userID]
            let voice = guild.voiceStates[member.userID]
            return [
                "id": .id(member.userID), "username": .string(user?.username ?? "unknown-user"),
                "display_name": .string(member.nick ?? user?.globalName ?? user?.username ?? "unknown-user"),
                "bot": .bool(user?.bot ?? false), "locale": .string(user?.locale ?? "en-US"),
                "voice_channel_id": .id(voice?.channelID), "self_mute": .bool(voice?.selfMute ?? false),
                "self_deaf": .bool(voice?.selfDeaf ?? false), "roles": .ids(member.roleIDs),
            ]
        }
        return [
            "id": .id(guild.id), "name": .string(guild.name), "preferred_locale": .string(guild.preferredLocale),
            "channels": .array(channels.map { channel -> JSON in
                [
                    "id": .id(channel.id), "name": .string(channel.name), "type": .int(Int64(channel.type)),
                    "parent_id": .id(channel.parentID), "user_limit": .int(Int64(channel.userLimit)),
                    "topic": channel.topic.map { .string($0) } ?? .null,
                ]
            }),
            "roles": .array(guild.roles.values.sorted { $0.position > $1.position }.map { role -> JSON in
                ["id": .id(role.id), "name": .string(role.name)]
            }),
            "members": .array(members),
            "messages": .object(messages),
        ]
    }

    /// A message as the API shows it, plus who it answers: the member who ran the command or
    /// pressed the button (only they see an ephemeral one).
    private func playgroundMessage(_ message: MessageRecord) -> JSON {
        var json = world.messageJSON(message)
        if let interactionID = message.interactionID, let interaction = interactions[interactionID] {
            json["playground_interaction"] = [
                "id": .id(interaction.id), "type": .int(Int64(interaction.type)), "user_id": .id(interaction.userID),
                "name": interaction.data["name"] ?? .null,
            ]
        }
        return json
    }

    private func playgroundApplication(_ application: ApplicationRecord) -> JSON {
        let connected = sessions.values.contains { $0.applicationID == application.id && $0.connectionID != nil }
        var commands = application.globalCommands
        for (guildID, list) in application.guildCommands.sorted(by: { $0.key < $1.key }) {
            commands += list.map { command -> JSON in
                var command = command
                command["guild_id"] = .id(guildID)
                return command
            }
        }
        return [
            "id": .id(application.id), "name": .string(application.name), "user_id": .id(application.botUserID),
            "connected": .bool(connected), "commands": .array(commands),
        ]
    }

    /// Commands and component presses the bot let pass its deadline unanswered: Discord tells
    /// the member "The application did not respond", and so does the playground.
    private func unansweredInteractions() -> [JSON] {
        let deadline = configuration.interactionResponseDeadline
        let now = clock.elapsed
        return interactions.values
            .filter { ($0.type == 2 || $0.type == 3) && $0.callbackType == nil && now - $0.createdAt > deadline }
            .sorted { $0.id < $1.id }.suffix(20)
            .map { interaction -> JSON in
                [
                    "id": .id(interaction.id), "application_id": .id(interaction.applicationID),
                    "channel_id": .id(interaction.channelID), "user_id": .id(interaction.userID),
                    "type": .int(Int64(interaction.type)), "name": interaction.data["name"] ?? .null,
                ]
            }
    }

    /// The locale a member's client reports in interactions from now on.
    func setPlaygroundLocale(userID: UInt64, locale: String) throws(DiscordEmulatorError) {
        guard world.users[userID] != nil else { throw .unknownUser }
        world.users[userID]?.locale = locale
    }

    /// The choices a bot answered an autocomplete interaction with (callback type 8), once it did.
    func autocompleteChoices(_ interactionID: UInt64) -> JSON? {
        guard let record = interactions[interactionID], record.callbackType != nil else { return nil }
        let callback = record.responses.first { $0["kind"]?.stringValue == "callback" }?["body"]
        return callback?["data"]?["choices"] ?? .array([])
    }
}
