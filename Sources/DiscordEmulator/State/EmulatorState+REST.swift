import Foundation

/// REST v10: authentication, injected faults, rate limits, then the route's handler.
extension EmulatorState {
    struct RESTCall {
        let match: RESTMatch
        let request: APIRequest
        /// The bot's application, for bot-authenticated routes.
        let applicationID: UInt64

        var body: JSON { request.body ?? .object([:]) }
        func id(_ name: String) throws(DiscordEmulatorError) -> UInt64 { try match.id(name) }
    }

    func responseDelay(path: String) -> Duration? { faults.takeDelay(path: path) }

    func handleREST(_ request: APIRequest) -> APIResponse {
        let now = clock.elapsed
        if invalidRequests.isBanned(now: now), let until = invalidRequests.bannedUntil {
            var banned = APIResponse(status: 429, body: nil)
            banned.cloudflareBody = "error code: 1015"
            banned.headers = [("Retry-After", String(Int((until - now).seconds.rounded(.up))))]
            return banned
        }
        let response = routeREST(request)
        let scope = response.headers.first { $0.0 == "X-RateLimit-Scope" }?.1
        if invalidRequests.record(
            status: response.status, scope: scope, now: now, limit: configuration.invalidRequestLimit,
            window: configuration.invalidRequestWindow, ban: configuration.invalidRequestBan
        ) {
            logger.warning("invalid-request limit reached: REST refused for a while, as Discord's Cloudflare does",
                           metadata: ["limit": "\(configuration.invalidRequestLimit)"])
        }
        return response
    }

    private func routeREST(_ request: APIRequest) -> APIResponse {
        let match: RESTMatch
        switch RESTRoute.find(method: request.method, segments: request.segments) {
        case .success(let found): match = found
        case .failure(let error): return .error(error)
        }
        var applicationID: UInt64 = 0
        let caller: String
        switch match.route.auth {
        case .none:
            caller = "anonymous"
        case .pathToken:
            caller = "interaction"
        case .bot:
            guard let authorization = request.authorization, authorization.hasPrefix("Bot "),
                let application = world.application(token: String(authorization.dropFirst(4)))
            else { return .error(.unauthorized) }
            applicationID = application.id
            caller = String(application.id)
        }
        if let fault = faults.takeFault(method: request.method, path: request.path, template: match.route.template) {
            return faultResponse(fault, route: match.route)
        }
        let outcome = rateLimiter.take(
            caller: caller, route: match.route, majorParameter: match.majorParameter,
            globalLimit: configuration.globalRateLimit, now: clock.elapsed
        )
        let headers = rateLimitHeaders(outcome, route: match.route)
        guard outcome.allowed else {
            return tooManyRequests(retryAfter: outcome.resetAfter.seconds, global: outcome.global,
                                   scope: outcome.global ? "global" : "user", headers: headers)
        }
        var response: APIResponse
        if request.bodyIsMalformed {
            response = .error(.discord(400, 50109, "The request body contains invalid JSON."))
        } else {
            do {
                response = try perform(RESTCall(match: match, request: request, applicationID: applicationID))
            } catch {
                response = .error(error)
            }
        }
        response.headers.append(contentsOf: headers)
        return response
    }

    private func rateLimitHeaders(_ outcome: RateLimiter.Outcome, route: RESTRoute) -> [(String, String)] {
        let resetAfter = max(0, outcome.resetAfter.seconds)
        let reset = clock.wallClock.timeIntervalSince1970 + resetAfter
        return [
            ("X-RateLimit-Limit", String(outcome.limit)),
            ("X-RateLimit-Remaining", String(outcome.remaining)),
            ("X-RateLimit-Reset", String(format: "%.3f", reset)),
            ("X-RateLimit-Reset-After", String(format: "%.3f", resetAfter)),
            ("X-RateLimit-Bucket", route.bucketHash),
        ]
    }

    private func tooManyRequests(
        retryAfter: Double, global: Bool, scope: String, headers: [(String, String)]
    ) -> APIResponse {
        var response = APIResponse.json(
            ["message": "You are being rate limited.", "retry_after": .double((retryAfter * 1000).rounded() / 1000),
             "global": .bool(global), "code": 0],
            status: 429
        )
        response.headers = headers + [
            ("Retry-After", String(Int(retryAfter.rounded(.up)))), ("X-RateLimit-Scope", scope),
        ]
        if global { response.headers.append(("X-RateLimit-Global", "true")) }
        return response
    }

    private func faultResponse(_ fault: FaultPlan.RouteFault, route: RESTRoute) -> APIResponse {
        if fault.status == 429 {
            let headers: [(String, String)] = [
                ("X-RateLimit-Limit", "1"), ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", String(format: "%.3f", clock.wallClock.timeIntervalSince1970 + fault.retryAfter)),
                ("X-RateLimit-Reset-After", String(format: "%.3f", fault.retryAfter)),
                ("X-RateLimit-Bucket", route.bucketHash),
            ]
            return tooManyRequests(retryAfter: fault.retryAfter, global: fault.global,
                                   scope: fault.global ? "global" : "shared", headers: headers)
        }
        let reasons = [500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                       504: "Gateway Timeout", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"]
        let reason = reasons[fault.status] ?? "Error"
        return .json(["message": .string("\(fault.status): \(reason)"), "code": 0], status: fault.status)
    }

    private func perform(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        switch call.match.route.endpoint {
        case .getGateway:
            return .json(["url": .string(gatewayURL)])
        case .getGatewayBot:
            return .json(gatewayBot(applicationID: call.applicationID))
        case .getCurrentUser:
            return .json(world.currentUserJSON(call.applicationID))
        case .getUser:
            let userID = try call.id("user_id")
            guard world.users[userID] != nil else { throw .unknownUser }
            return .json(world.userJSON(userID))
        case .getCurrentApplication:
            return .json(applicationJSON(call.applicationID))
        case .createDM:
            return try createDM(call)
        case .getGlobalCommands, .overwriteGlobalCommands, .getGuildCommands, .overwriteGuildCommands:
            return try commands(call)
        case .interactionCallback:
            return try interactionCallback(call)
        case .getOriginal, .editOriginal, .deleteOriginal, .createFollowup, .getFollowup, .editFollowup,
            .deleteFollowup:
            return try interactionWebhook(call)
        case .getChannel:
            let (channel, _) = try visibleChannel(call)
            return .json(world.channelJSON(channel))
        case .deleteChannel:
            return try deleteChannel(call)
        case .setVoiceStatus:
            return try setVoiceStatus(call)
        case .getMessages, .getMessage, .createMessage, .editMessage, .deleteMessage:
            return try channelMessages(call)
        case .getGuild:
            return .json(world.guildJSON(try botGuild(call)))
        case .getGuildChannels:
            let guild = try botGuild(call)
            return .json(.array(guild.channels.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
                .map { world.channelJSON($0) }))
        case .getGuildRoles:
            let guild = try botGuild(call)
            return .json(.array(guild.roles.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
                .map(world.roleJSON)))
        case .createGuildChannel:
            return try createGuildChannel(call)
        case .getMember, .listMembers, .modifyMember, .addMemberRole, .removeMemberRole:
            return try members(call)
        }
    }

    func gatewayBot(applicationID: UInt64) -> JSON {
        let guilds = world.guildIDs(ofMember: applicationID).count
        return [
            "url": .string(gatewayURL), "shards": .int(Int64(max(1, configuration.recommendedShards ?? (guilds + 999) / 1000))),
            "session_start_limit": [
                "total": 1000, "remaining": .int(Int64(max(0, 1000 - identifyCount))), "reset_after": 86_400_000,
                "max_concurrency": .int(Int64(configuration.maxConcurrency)),
            ],
        ]
    }

    func applicationJSON(_ applicationID: UInt64) -> JSON {
        let application = world.applications[applicationID]
        return [
            "id": .id(applicationID), "name": .string(application?.name ?? ""),
            "description": .string(application?.description ?? ""), "icon": nil, "bot_public": true,
            "bot_require_code_grant": false, "verify_key": .string(String(repeating: "0", count: 64)),
            "owner": world.userJSON(applicationID), "team": nil, "flags": 0, "summary": "",
            "bot": world.userJSON(applicationID), "tags": [], "rpc_origins": [], "approximate_guild_count":
                .int(Int64(world.guildIDs(ofMember: applicationID).count)),
            "redirect_uris": [], "interactions_endpoint_url": nil,
            "integration_types_config": ["0": [:]], "type": nil, "flags_new": "0",
            "role_connections_verification_url": nil, "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0, "explicit_content_filter": 0, "eligible_oauth2_scopes": [],
        ]
    }

    /// A guild the calling bot is in (10004 unknown, 50001 when it is not a member).
    func botGuild(_ call: RESTCall) throws(DiscordEmulatorError) -> GuildRecord {
        guard let guild = world.guilds[try call.id("guild_id")] else { throw .unknownGuild }
        guard guild.members[call.applicationID] != nil else { throw .missingAccess }
        return guild
    }

    /// A channel the bot can see: guild channel with VIEW_CHANNEL, or a DM it takes part in.
    func visibleChannel(_ call: RESTCall) throws(DiscordEmulatorError) -> (ChannelRecord, GuildRecord?) {
        let channelID = try call.id("channel_id")
        guard let channel = world.channel(channelID) else { throw .unknownChannel }
        guard let guildID = channel.guildID else {
            guard channel.recipientIDs.contains(call.applicationID) else { throw .missingAccess }
            return (channel, nil)
        }
        guard let guild = world.guilds[guildID], guild.members[call.applicationID] != nil else {
            throw .missingAccess
        }
        let permissions = world.permissions(userID: call.applicationID, guild: guild, channelID: channelID)
        guard permissions & EmulatedPermission.viewChannel != 0 else { throw .missingAccess }
        return (channel, guild)
    }
}
