/// Every REST route the emulator serves.
enum RESTEndpoint: Sendable {
    case getGateway, getGatewayBot
    case getCurrentUser, getUser, createDM
    case getCurrentApplication
    case getGlobalCommands, overwriteGlobalCommands, getGuildCommands, overwriteGuildCommands
    case interactionCallback
    case getOriginal, editOriginal, deleteOriginal
    case createFollowup, getFollowup, editFollowup, deleteFollowup
    case getChannel, deleteChannel, setVoiceStatus
    case getMessages, getMessage, createMessage, editMessage, deleteMessage
    case getGuild, getGuildChannels, createGuildChannel, getGuildRoles
    case getMember, listMembers, modifyMember, addMemberRole, removeMemberRole
}

extension RESTRoute {
    private static func route(
        _ method: String, _ template: String, _ endpoint: RESTEndpoint, auth: RESTAuth = .bot,
        limit: Int = 10, per window: Duration = .seconds(1)
    ) -> RESTRoute {
        RESTRoute(method: method, template: template, endpoint: endpoint, auth: auth, limit: limit, window: window)
    }

    /// Limits follow the shapes Discord reports (e.g. 5 messages per 5 s per channel).
    static let all: [RESTRoute] = [
        route("GET", "/gateway", .getGateway, auth: .none, limit: 50),
        route("GET", "/gateway/bot", .getGatewayBot, limit: 2),
        route("GET", "/users/@me", .getCurrentUser, limit: 5),
        route("GET", "/users/{user_id}", .getUser, limit: 5),
        route("POST", "/users/@me/channels", .createDM, limit: 5, per: .seconds(5)),
        route("GET", "/applications/@me", .getCurrentApplication, limit: 5),
        route("GET", "/oauth2/applications/@me", .getCurrentApplication, limit: 5),
        route("GET", "/applications/{application_id}/commands", .getGlobalCommands, limit: 5, per: .seconds(5)),
        route("PUT", "/applications/{application_id}/commands", .overwriteGlobalCommands, limit: 5, per: .seconds(20)),
        route("GET", "/applications/{application_id}/guilds/{guild_id}/commands", .getGuildCommands,
              limit: 5, per: .seconds(5)),
        route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", .overwriteGuildCommands,
              limit: 5, per: .seconds(20)),
        route("POST", "/interactions/{interaction_id}/{token}/callback", .interactionCallback, auth: .pathToken,
              limit: 100),
        route("GET", "/webhooks/{webhook_id}/{token}/messages/@original", .getOriginal, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("PATCH", "/webhooks/{webhook_id}/{token}/messages/@original", .editOriginal, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("DELETE", "/webhooks/{webhook_id}/{token}/messages/@original", .deleteOriginal, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("POST", "/webhooks/{webhook_id}/{token}", .createFollowup, auth: .pathToken, limit: 5, per: .seconds(2)),
        route("GET", "/webhooks/{webhook_id}/{token}/messages/{message_id}", .getFollowup, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("PATCH", "/webhooks/{webhook_id}/{token}/messages/{message_id}", .editFollowup, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("DELETE", "/webhooks/{webhook_id}/{token}/messages/{message_id}", .deleteFollowup, auth: .pathToken,
              limit: 5, per: .seconds(2)),
        route("GET", "/channels/{channel_id}", .getChannel, limit: 5),
        route("DELETE", "/channels/{channel_id}", .deleteChannel, limit: 5, per: .seconds(5)),
        route("PUT", "/channels/{channel_id}/voice-status", .setVoiceStatus, limit: 5, per: .seconds(5)),
        route("GET", "/channels/{channel_id}/messages", .getMessages, limit: 5),
        route("GET", "/channels/{channel_id}/messages/{message_id}", .getMessage, limit: 5),
        route("POST", "/channels/{channel_id}/messages", .createMessage, limit: 5, per: .seconds(5)),
        route("PATCH", "/channels/{channel_id}/messages/{message_id}", .editMessage, limit: 5, per: .seconds(5)),
        route("DELETE", "/channels/{channel_id}/messages/{message_id}", .deleteMessage, limit: 5, per: .seconds(5)),
        route("GET", "/guilds/{guild_id}", .getGuild, limit: 5),
        route("GET", "/guilds/{guild_id}/channels", .getGuildChannels, limit: 5),
        route("POST", "/guilds/{guild_id}/channels", .createGuildChannel, limit: 5, per: .seconds(10)),
        route("GET", "/guilds/{guild_id}/roles", .getGuildRoles, limit: 5),
        route("GET", "/guilds/{guild_id}/members", .listMembers, limit: 10, per: .seconds(10)),
        route("GET", "/guilds/{guild_id}/members/{user_id}", .getMember, limit: 5),
        route("PATCH", "/guilds/{guild_id}/members/{user_id}", .modifyMember, limit: 10, per: .seconds(10)),
        route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", .addMemberRole,
              limit: 10, per: .seconds(10)),
        route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", .removeMemberRole,
              limit: 10, per: .seconds(10)),
    ]

    /// The matching route, preferring literal segments (`users/@me` over `users/{user_id}`).
    static func find(method: String, segments: [String]) -> Result<RESTMatch, DiscordEmulatorError> {
        var pathMatched = false
        for route in all {
            if let parameters = route.match(method: method, segments: segments) {
                return .success(RESTMatch(route: route, parameters: parameters))
            }
            if route.match(method: route.method, segments: segments) != nil { pathMatched = true }
        }
        return .failure(pathMatched ? .methodNotAllowed : .notFound)
    }
}
