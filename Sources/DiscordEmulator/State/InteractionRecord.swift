/// One interaction a user caused, and everything the bot answered.
struct InteractionRecord: Sendable {
    let id: UInt64
    let token: String
    let applicationID: UInt64
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    let type: Int
    let guildID: UInt64?
    let channelID: UInt64
    let userID: UInt64
    let createdAt: Duration
    /// Wall-clock creation time (Unix ms), for latency measurements against the other emulator.
    var createdAtUnixMs: Double = 0
    let data: JSON
    /// The message a component sits on.
    let messageID: UInt64?
    var callbackType: Int?
    /// For a modal submit: the interaction whose modal reply (type 9) the user submitted.
    var openedBy: UInt64?
    var originalMessageID: UInt64?
    var followupIDs: [UInt64] = []
    /// Every callback, edit and followup body, in order, for the control API.
    var responses: [JSON] = []

    var json: JSON {
        [
            "id": .id(id), "application_id": .id(applicationID), "type": .int(Int64(type)), "guild_id": .id(guildID),
            "channel_id": .id(channelID), "user_id": .id(userID), "data": data,
            "created_at_unix_ms": .double(createdAtUnixMs),
            "acknowledged": .bool(callbackType != nil), "callback_type": callbackType.map { .int(Int64($0)) } ?? .null,
            "original_message_id": .id(originalMessageID), "followup_message_ids": .ids(followupIDs),
            "responses": .array(responses),
        ]
    }
}

/// A user action that becomes an interaction.
struct InteractionRequest: Sendable {
    var applicationID: UInt64
    var guildID: UInt64?
    var channelID: UInt64
    var userID: UInt64
    var type: Int
    var data: JSON
    var messageID: UInt64?
    var locale: String?
    var openedBy: UInt64?
}
