/// The typed calls Anankor uses.
extension DiscordREST {
    // MARK: Gateway, user, application

    public func getGatewayBot() async throws -> GatewayBot {
        try await request(RESTRoute(.get, "/gateway/bot", template: "/gateway/bot"))
    }

    public func getCurrentUser() async throws -> User {
        try await request(RESTRoute(.get, "/users/@me", template: "/users/@me"))
    }

    public func getCurrentApplication() async throws -> Application {
        try await request(RESTRoute(.get, "/applications/@me", template: "/applications/@me"))
    }

    // MARK: Commands

    public func bulkOverwriteGlobalCommands(applicationID: Snowflake<Application>, _ commands: [ApplicationCommand])
        async throws -> [ApplicationCommand]
    {
        try await request(RESTRoute(.put, "/applications/\(applicationID)/commands",
                                    template: "/applications/:application/commands"), body: commands)
    }

    public func bulkOverwriteGuildCommands(applicationID: Snowflake<Application>, guildID: Snowflake<Guild>,
                                           _ commands: [ApplicationCommand]) async throws -> [ApplicationCommand]
    {
        try await request(RESTRoute(.put, "/applications/\(applicationID)/guilds/\(guildID)/commands",
                                    template: "/applications/:application/guilds/:guild/commands",
                                    major: "guild:\(guildID)"), body: commands)
    }

    public func getGlobalCommands(applicationID: Snowflake<Application>, withLocalizations: Bool = true)
        async throws -> [ApplicationCommand]
    {
        try await request(RESTRoute(.get, "/applications/\(applicationID)/commands",
                                    template: "/applications/:application/commands",
                                    query: [("with_localizations", withLocalizations ? "true" : "false")]))
    }

    // MARK: Interactions

    /// Answers an interaction (within 3 s of it). With `withResponse` Discord returns the created
    /// interaction callback and message; otherwise 204 and this returns nil.
    @discardableResult
    public func createInteractionResponse(interactionID: Snowflake<Interaction>, token: InteractionToken,
                                          _ response: InteractionResponse, withResponse: Bool = false)
        async throws -> InteractionCallbackResponse?
    {
        let route = RESTRoute(.post, "/interactions/\(interactionID)/\(token.value)/callback",
                              template: "/interactions/:interaction/:token/callback",
                              major: RESTRoute.webhookMajor(interactionID.rawValue, token: token.value),
                              query: withResponse ? [("with_response", "true")] : [],
                              countsTowardGlobal: false, authenticated: false)
        func send() async throws -> InteractionCallbackResponse? {
            if withResponse { return try await request(route, body: response) }
            try await requestNoContent(route, body: response)
            return nil
        }
        do {
            return try await send()
        } catch let error as DiscordRESTError where error.kind == .transport {
            // No answer: whether Discord got it is unknown (most often a pooled connection the
            // server closed just as the request went out). Without an answer the member sees
            // "The application did not respond", so it is sent once more at once; if the first
            // did arrive, Discord refuses the second as already acknowledged (40060): done.
            do {
                return try await send()
            } catch let again as DiscordRESTError where again.code == Self.interactionAlreadyAcknowledged {
                return nil
            }
        }
    }

    /// Discord's JSON error code for a second answer to one interaction.
    static let interactionAlreadyAcknowledged = 40060

    public func getOriginalResponse(applicationID: Snowflake<Application>, token: InteractionToken) async throws -> Message {
        try await request(webhookRoute(.get, applicationID, token, "/messages/@original"))
    }

    @discardableResult
    public func editOriginalResponse(applicationID: Snowflake<Application>, token: InteractionToken, _ edit: MessageEdit)
        async throws -> Message
    {
        try await request(webhookRoute(.patch, applicationID, token, "/messages/@original"), body: edit)
    }

    public func deleteOriginalResponse(applicationID: Snowflake<Application>, token: InteractionToken) async throws {
        try await requestNoContent(webhookRoute(.delete, applicationID, token, "/messages/@original"))
    }

    /// A followup message; `flags: .ephemeral` hides it from others.
    @discardableResult
    public func createFollowup(applicationID: Snowflake<Application>, token: InteractionToken, _ message: MessageCreate)
        async throws -> Message
    {
        try await request(webhookRoute(.post, applicationID, token, ""), body: message)
    }

    @discardableResult
    public func editFollowup(applicationID: Snowflake<Application>, token: InteractionToken,
                             messageID: Snowflake<Message>, _ edit: MessageEdit) async throws -> Message
    {
        try await request(webhookRoute(.patch, applicationID, token, "/messages/\(messageID)", template: "/messages/:message"),
                          body: edit)
    }

    public func deleteFollowup(applicationID: Snowflake<Application>, token: InteractionToken,
                               messageID: Snowflake<Message>) async throws
    {
        try await requestNoContent(webhookRoute(.delete, applicationID, token, "/messages/\(messageID)",
                                                template: "/messages/:message"))
    }

    private func webhookRoute(_ verb: HTTPVerb, _ applicationID: Snowflake<Application>, _ token: InteractionToken,
                              _ suffix: String, template: String? = nil, query: [(String, String)] = []) -> RESTRoute
    {
        RESTRoute(verb, "/webhooks/\(applicationID)/\(token.value)\(suffix)",
                  template: "/webhooks/:application/:token\(template ?? suffix)",
                  major: RESTRoute.webhookMajor(applicationID.rawValue, token: token.value), query: query,
                  countsTowardGlobal: false, authenticated: false)
    }

    // MARK: Messages

    @discardableResult
    public func createMessage(channelID: Snowflake<Channel>, _ message: MessageCreate) async throws -> Message {
        try await request(RESTRoute(.post, "/channels/\(channelID)/messages", template: "/channels/:channel/messages",
                                    major: "channel:\(channelID)"), body: message)
    }

    @discardableResult
    public func editMessage(channelID: Snowflake<Channel>, messageID: Snowflake<Message>, _ edit: MessageEdit)
        async throws -> Message
    {
        try await request(RESTRoute(.patch, "/channels/\(channelID)/messages/\(messageID)",
                                    template: "/channels/:channel/messages/:message", major: "channel:\(channelID)"),
                          body: edit)
    }

    public func deleteMessage(channelID: Snowflake<Channel>, messageID: Snowflake<Message>) async throws {
        try await requestNoContent(RESTRoute(.delete, "/channels/\(channelID)/messages/\(messageID)",
                                             template: "/channels/:channel/messages/:message",
                                             major: "channel:\(channelID)"))
    }

    // MARK: Guild members and roles

    @discardableResult
    public func modifyGuildMember(guildID: Snowflake<Guild>, userID: Snowflake<User>, _ change: GuildMemberModify)
        async throws -> GuildMember
    {
        try await request(RESTRoute(.patch, "/guilds/\(guildID)/members/\(userID)",
                                    template: "/guilds/:guild/members/:user", major: "guild:\(guildID)"),
                          body: change)
    }

    /// Moves a member who is in voice to another voice channel (needs MOVE_MEMBERS, and CONNECT there).
    @discardableResult
    public func moveMember(guildID: Snowflake<Guild>, userID: Snowflake<User>, to channelID: Snowflake<Channel>)
        async throws -> GuildMember
    {
        try await modifyGuildMember(guildID: guildID, userID: userID, GuildMemberModify(voiceChannel: .move(channelID)))
    }

    /// Disconnects a member from voice (needs MOVE_MEMBERS).
    @discardableResult
    public func disconnectMember(guildID: Snowflake<Guild>, userID: Snowflake<User>) async throws -> GuildMember {
        try await modifyGuildMember(guildID: guildID, userID: userID, GuildMemberModify(voiceChannel: .disconnect))
    }

    public func addMemberRole(guildID: Snowflake<Guild>, userID: Snowflake<User>, roleID: Snowflake<Role>) async throws {
        try await requestNoContent(RESTRoute(.put, "/guilds/\(guildID)/members/\(userID)/roles/\(roleID)",
                                             template: "/guilds/:guild/members/:user/roles/:role",
                                             major: "guild:\(guildID)"))
    }

    public func removeMemberRole(guildID: Snowflake<Guild>, userID: Snowflake<User>, roleID: Snowflake<Role>) async throws {
        try await requestNoContent(RESTRoute(.delete, "/guilds/\(guildID)/members/\(userID)/roles/\(roleID)",
                                             template: "/guilds/:guild/members/:user/roles/:role",
                                             major: "guild:\(guildID)"))
    }

    public func getGuildMember(guildID: Snowflake<Guild>, userID: Snowflake<User>) async throws -> GuildMember {
        try await request(RESTRoute(.get, "/guilds/\(guildID)/members/\(userID)", template: "/guilds/:guild/members/:user",
                                    major: "guild:\(guildID)"))
    }

    public func getGuildRoles(guildID: Snowflake<Guild>) async throws -> [Role] {
        try await request(RESTRoute(.get, "/guilds/\(guildID)/roles", template: "/guilds/:guild/roles",
                                    major: "guild:\(guildID)"))
    }

    // MARK: Channels

    public func getGuildChannels(guildID: Snowflake<Guild>) async throws -> [Channel] {
        try await request(RESTRoute(.get, "/guilds/\(guildID)/channels", template: "/guilds/:guild/channels",
                                    major: "guild:\(guildID)"))
    }

    @discardableResult
    public func createGuildChannel(guildID: Snowflake<Guild>, _ channel: ChannelCreate) async throws -> Channel {
        try await request(RESTRoute(.post, "/guilds/\(guildID)/channels", template: "/guilds/:guild/channels",
                                    major: "guild:\(guildID)"), body: channel)
    }

    @discardableResult
    public func deleteChannel(channelID: Snowflake<Channel>) async throws -> Channel {
        try await request(RESTRoute(.delete, "/channels/\(channelID)", template: "/channels/:channel",
                                    major: "channel:\(channelID)"))
    }

    /// Sets the status shown under a voice channel's name (up to 500 characters; nil clears it).
    /// Discord allows it to a member connected to the channel with SET_VOICE_CHANNEL_STATUS, or
    /// to one with MANAGE_CHANNELS.
    public func setVoiceChannelStatus(channelID: Snowflake<Channel>, status: String?) async throws {
        /// `status` is sent as `null` to clear, never left out.
        struct Body: Encodable {
            let status: String?
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(status, forKey: .status)
            }
            enum CodingKeys: String, CodingKey { case status }
        }
        try await requestNoContent(RESTRoute(.put, "/channels/\(channelID)/voice-status",
                                             template: "/channels/:channel/voice-status", major: "channel:\(channelID)"),
                                   body: Body(status: status.map { String($0.prefix(500)) }))
    }

    /// Opens (or returns) the DM channel with a user.
    public func createDM(recipientID: Snowflake<User>) async throws -> Channel {
        struct Body: Encodable {
            let recipient_id: Snowflake<User>
        }
        return try await request(RESTRoute(.post, "/users/@me/channels", template: "/users/@me/channels"),
                                 body: Body(recipient_id: recipientID))
    }
}

/// `PATCH /guilds/{guild.id}/members/{user.id}`. Only set fields are sent.
public struct GuildMemberModify: Encodable, Sendable, Hashable {
    public enum VoiceChannelChange: Sendable, Hashable {
        case move(Snowflake<Channel>)
        /// Sent as `channel_id: null`.
        case disconnect
    }

    public var nick: String?
    public var roles: [Snowflake<Role>]?
    public var mute: Bool?
    public var deaf: Bool?
    public var voiceChannel: VoiceChannelChange?

    public init(nick: String? = nil, roles: [Snowflake<Role>]? = nil, mute: Bool? = nil, deaf: Bool? = nil,
                voiceChannel: VoiceChannelChange? = nil) {
        self.nick = nick
        self.roles = roles
        self.mute = mute
        self.deaf = deaf
        self.voiceChannel = voiceChannel
    }

    enum CodingKeys: String, CodingKey {
        case nick, roles, mute, deaf
        case channelID = "channel_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(nick, forKey: .nick)
        try container.encodeIfPresent(roles, forKey: .roles)
        try container.encodeIfPresent(mute, forKey: .mute)
        try container.encodeIfPresent(deaf, forKey: .deaf)
        switch voiceChannel {
        case .move(let channel): try container.encode(channel, forKey: .channelID)
        case .disconnect: try container.encodeNil(forKey: .channelID)
        case nil: break
        }
    }
}
