import Foundation

/// Building the world from Swift (the control API offers the same over HTTP).
extension DiscordEmulator {
    /// Creates an application and its bot user. `privilegedIntents` are the privileged intents
    /// the application may request (all by default); asking for others closes with 4014.
    public func createBot(
        name: String, username: String? = nil, token: String? = nil,
        privilegedIntents: UInt64 = (1 << 1) | (1 << 8) | (1 << 15)
    ) async -> EmulatedBot {
        await state.createApplication(name: name, botUsername: username, token: token,
                                      allowedPrivilegedIntents: privilegedIntents)
    }

    public func createUser(username: String, globalName: String? = nil, locale: String = "en-US") async -> UInt64 {
        await state.createUser(username: username, globalName: globalName, locale: locale)
    }

    /// Creates a guild with its @everyone role (id = guild id) and an owner (created when nil).
    public func createGuild(
        name: String, ownerID: UInt64? = nil, preferredLocale: String = "en-US"
    ) async throws(DiscordEmulatorError) -> UInt64 {
        try await state.createGuild(name: name, ownerID: ownerID, preferredLocale: preferredLocale)
    }

    public func createChannel(
        in guildID: UInt64, name: String, type: EmulatedChannelType = .text, parentID: UInt64? = nil,
        userLimit: Int = 0, overwrites: [EmulatedOverwrite] = []
    ) async throws(DiscordEmulatorError) -> UInt64 {
        try await state.createChannel(
            guildID: guildID, name: name, type: type.rawValue, parentID: parentID, userLimit: userLimit,
            overwrites: overwrites.map(\.record)
        ).id
    }

    /// Sets a voice channel's region (`rtc_region`: `us-east`, `rotterdam`, …; nil = automatic):
    /// bots joining it then get a voice server of that region in VOICE_SERVER_UPDATE.
    public func setVoiceRegion(_ region: String?, channel channelID: UInt64, in guildID: UInt64)
        async throws(DiscordEmulatorError)
    {
        try await state.setVoiceRegion(region, channelID: channelID, guildID: guildID)
    }

    public func deleteChannel(_ channelID: UInt64, in guildID: UInt64) async throws(DiscordEmulatorError) {
        guard await state.deleteChannelRecord(guildID: guildID, channelID: channelID) != nil else {
            throw .unknownChannel
        }
    }

    public func createRole(in guildID: UInt64, name: String, permissions: UInt64) async throws(DiscordEmulatorError) -> UInt64 {
        try await state.createRole(guildID: guildID, name: name, permissions: permissions)
    }

    /// Changes a role's permissions (the @everyone role's id is the guild's id).
    public func setPermissions(ofRole roleID: UInt64, in guildID: UInt64, to permissions: UInt64) async throws(DiscordEmulatorError) {
        try await state.setRolePermissions(guildID: guildID, roleID: roleID, permissions: permissions)
    }

    /// Adds a user or a bot (`EmulatedBot.userID`) to a guild, or updates its roles.
    public func addMember(
        _ userID: UInt64, to guildID: UInt64, roles: [UInt64] = [], nick: String? = nil
    ) async throws(DiscordEmulatorError) {
        try await state.addMember(guildID: guildID, userID: userID, roleIDs: roles, nick: nick)
    }

    public func removeMember(_ userID: UInt64, from guildID: UInt64) async throws(DiscordEmulatorError) {
        try await state.removeMember(guildID: guildID, userID: userID)
    }

    /// A user joins (or moves to) a voice channel, or leaves voice with `nil`.
    public func setVoiceChannel(
        of userID: UInt64, in guildID: UInt64, to channelID: UInt64?
    ) async throws(DiscordEmulatorError) {
        try await state.setUserVoice(guildID: guildID, userID: userID, channelID: channelID)
    }

    /// The voice channel a user or bot is in.
    public func voiceChannel(of userID: UInt64, in guildID: UInt64) async -> UInt64? {
        await state.world.guilds[guildID]?.voiceStates[userID]?.channelID
    }

    /// Role ids of a member (nil when not a member).
    /// The status a voice channel shows under its name, as last set through the REST API.
    public func voiceStatus(of channelID: UInt64) async -> String? {
        await state.world.channel(channelID)?.voiceStatus
    }

    public func roles(of userID: UInt64, in guildID: UInt64) async -> [UInt64]? {
        await state.world.guilds[guildID]?.members[userID]?.roleIDs
    }

    /// Adds a world description (the `--world` file format, see docs/emulators/discord.md).
    public func loadWorld(json: String) async throws(DiscordEmulatorError) {
        guard let parsed = EmulatorJSON.parse(json) else {
            throw DiscordEmulatorError(code: .invalidWorld, message: "the world description is not valid JSON")
        }
        do {
            try await state.loadWorld(parsed)
        } catch {
            throw DiscordEmulatorError(code: .invalidWorld, message: "world description rejected: \(error.message)",
                                       underlying: error)
        }
    }

    /// Everything the emulator holds, in the shape of `GET /_emulator/world`.
    public func worldSnapshot() async -> EmulatorJSON { await state.worldSummary() }

    /// A guild with all its channels, roles, members and voice states.
    public func guildSnapshot(_ guildID: UInt64) async -> EmulatorJSON { await state.guildState(guildID) }

    /// What bots did, oldest first; filter by application, kind, and entries after an id.
    public func activity(applicationID: UInt64? = nil, kind: String? = nil, after: Int? = nil) async -> [EmulatedActivity] {
        await state.activity(applicationID: applicationID, kind: kind, afterID: after)
    }
}
