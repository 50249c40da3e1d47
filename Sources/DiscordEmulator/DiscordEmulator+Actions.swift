/// User actions, reading what bots did, and faults, from Swift (same as the control API).
extension DiscordEmulator {
    /// A user runs a registered slash command. `name` may include subcommands (`"music play"`);
    /// `options` is `{name: value}` (typed by the registered definition) or Discord's option array.
    public func invokeSlashCommand(
        _ name: String, application applicationID: UInt64, channel channelID: UInt64, user userID: UInt64,
        options: EmulatorJSON? = nil, locale: String? = nil
    ) async throws(DiscordEmulatorError) -> EmulatedInteraction {
        try await state.invokeCommand(applicationID: applicationID, channelID: channelID, userID: userID, name: name,
                                      options: options, locale: locale)
    }

    /// A user types into an autocomplete option (`focused` names it).
    public func autocomplete(
        _ name: String, focused: String, application applicationID: UInt64, channel channelID: UInt64,
        user userID: UInt64, options: EmulatorJSON? = nil, locale: String? = nil
    ) async throws(DiscordEmulatorError) -> EmulatedInteraction {
        try await state.invokeCommand(applicationID: applicationID, channelID: channelID, userID: userID, name: name,
                                      options: options, locale: locale, focused: focused)
    }

    /// A user clicks the button with `customID` on a bot's message.
    public func pressButton(
        _ customID: String, on messageID: UInt64, by userID: UInt64, locale: String? = nil
    ) async throws(DiscordEmulatorError) -> EmulatedInteraction {
        try await state.useComponent(messageID: messageID, userID: userID, customID: customID, values: nil, locale: locale)
    }

    /// A user picks values in the select menu with `customID` on a bot's message.
    public func chooseSelectOptions(
        _ values: [String], in customID: String, on messageID: UInt64, by userID: UInt64, locale: String? = nil
    ) async throws(DiscordEmulatorError) -> EmulatedInteraction {
        try await state.useComponent(messageID: messageID, userID: userID, customID: customID,
                                     values: values.map { .string($0) }, locale: locale)
    }

    /// A user submits a modal; `values` maps text input custom ids to the text typed.
    public func submitModal(
        _ customID: String, values: [String: String], application applicationID: UInt64, channel channelID: UInt64,
        user userID: UInt64, locale: String? = nil
    ) async throws(DiscordEmulatorError) -> EmulatedInteraction {
        try await state.submitModal(applicationID: applicationID, channelID: channelID, userID: userID,
                                    customID: customID, values: values.mapValues { .string($0) }, locale: locale)
    }

    /// Whether the bot acknowledged the interaction yet: a cheap check for load generators that
    /// wait for each answer (the record with timestamps is `interactionRecord`).
    public func isAcknowledged(_ interactionID: UInt64) async -> Bool {
        await state.interactions[interactionID]?.callbackType != nil
    }

    /// Whether the member has seen the bot's answer: a reply, or a deferred one since edited,
    /// followed up or deleted (what a person waits for before typing the next command).
    public func isAnswered(_ interactionID: UInt64) async -> Bool {
        guard let record = await state.interactions[interactionID], let type = record.callbackType else { return false }
        return type == 5 || type == 6 ? record.responses.count > 1 : true
    }

    /// An interaction with every response, edit and followup the bot made (control API shape).
    public func interactionRecord(_ interactionID: UInt64) async -> EmulatorJSON? {
        await state.interactions[interactionID]?.json
    }

    /// A user writes a message in a channel; bots get MESSAGE_CREATE. Returns the message id.
    public func sendMessage(_ content: String, in channelID: UInt64, as userID: UInt64) async throws(DiscordEmulatorError) -> UInt64 {
        try await state.userMessage(channelID: channelID, userID: userID, content: content).id
    }

    /// Messages in a channel, oldest first (ephemeral ones included, flagged 64).
    public func messages(in channelID: UInt64) async -> [EmulatorJSON] {
        await state.controlMessages(channelID)
    }

    /// Cuts a bot's gateway connections without a close frame. Returns how many were cut.
    @discardableResult
    public func dropConnections(of applicationID: UInt64) async -> Int {
        await state.dropConnections(applicationID: applicationID)
    }

    /// Sends INVALID_SESSION to a bot; `resumable: false` also ends its sessions.
    @discardableResult
    public func invalidateSessions(of applicationID: UInt64, resumable: Bool) async -> Int {
        await state.invalidateSessions(applicationID: applicationID, resumable: resumable)
    }

    /// Sends RECONNECT (op 7) to a bot's connections.
    @discardableResult
    public func requestReconnect(of applicationID: UInt64) async -> Int {
        await state.requestReconnect(applicationID: applicationID)
    }

    /// Stops (or resumes) answering a bot's heartbeats, making its connections zombies.
    public func setHeartbeatAcks(of applicationID: UInt64, enabled: Bool) async {
        await state.setHeartbeatAcks(applicationID: applicationID, enabled: enabled)
    }

    /// Closes a bot's gateway connections with `code` (4000 resumable, 4009, 4004 fatal, …).
    @discardableResult
    public func closeConnections(of applicationID: UInt64, code: UInt16) async -> Int {
        await state.closeConnections(applicationID: applicationID, code: code)
    }

    /// Sends a server heartbeat request (op 1) to a bot's connections.
    @discardableResult
    public func requestHeartbeat(of applicationID: UInt64) async -> Int {
        await state.requestHeartbeat(applicationID: applicationID)
    }

    /// The next `count` REST requests whose path contains `path` (or whose route template is
    /// `path`, e.g. `/channels/{channel_id}/messages`) fail with `status` (429 gets Discord's
    /// rate-limit headers and body with `retryAfter`).
    public func failRequests(
        path: String, method: String? = nil, status: Int, count: Int = 1, retryAfter: Double = 1, global: Bool = false
    ) async {
        await state.addRouteFault(.init(method: method?.uppercased(), path: path, status: status, remaining: count,
                                        retryAfter: retryAfter, global: global))
    }

    /// Delays the next `count` REST responses (whose path contains `path`, or all) by `duration`.
    public func delayResponses(by duration: Duration, path: String? = nil, count: Int = 1) async {
        await state.addDelay(.init(path: path, duration: duration, remaining: count))
    }

    /// Delayed responses not yet begun: a test knows its delayed request has arrived (and is being
    /// held) once this drops.
    public func pendingResponseDelays() async -> Int { await state.pendingDelays() }

    public func clearFaults() async { await state.clearFaults() }

    /// Gateway sessions: `{session_id, application_id, shard, intents, seq, connected, resumable}`.
    public func gatewaySessions() async -> [EmulatorJSON] { await state.sessionsJSON() }

    /// Moves emulated time forward (interaction deadlines, token lifetimes, rate-limit windows).
    public func advanceClock(by duration: Duration) { clock.advance(by: duration) }
}

extension EmulatorState {
    func controlMessages(_ channelID: UInt64) -> [JSON] {
        world.messages.values.filter { $0.channelID == channelID }.sorted { $0.id < $1.id }.map { world.messageJSON($0) }
    }

    func addRouteFault(_ fault: FaultPlan.RouteFault) { faults.routeFaults.append(fault) }
    func addDelay(_ delay: FaultPlan.Delay) { faults.delays.append(delay) }
    func clearFaults() { faults = FaultPlan() }
    func pendingDelays() -> Int { faults.delays.reduce(0) { $0 + $1.remaining } }
}
