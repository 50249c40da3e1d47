import AnankorCore
import DynamoKit
import Foundation

/// Guild settings (sk `SETTINGS`), voice-channel settings (sk `VOICE#<channel>`) and affinity
/// (sk `AFFINITY#<channel>`), all in the guild's partition `GUILD#<guild>`.
extension DynamoLedger {
    public func guildSettings(_ guild: GuildID) async throws(LedgerError) -> GuildSettings {
        let key = Self.key(Self.guildPK(guild), "SETTINGS")
        guard
            let item = try await perform("read guild settings", { () async throws(DynamoError) -> Item? in
                try await dynamo().getItem(GetItemInput(tableName: tableName, key: key))
            })
        else { return GuildSettings(guild: guild) }
        return try Self.decode(GuildSettings.self, item["settings"], what: "guild settings")
    }

    /// One `BatchGetItem`: both items live in the guild's partition.
    public func settings(of session: SessionKey) async throws(LedgerError) -> (guild: GuildSettings, channel: VoiceChannelSettings) {
        let guildKey = Self.key(Self.guildPK(session.guild), "SETTINGS")
        let channelKey = Self.key(Self.guildPK(session.guild), "VOICE#\(session.channel)")
        let items = try await perform("read guild and voice channel settings") { () async throws(DynamoError) -> [Item] in
            try await dynamo().batchGetItems(tableName: tableName, keys: [guildKey, channelKey])
        }
        var guild = GuildSettings(guild: session.guild)
        var channel = VoiceChannelSettings(session: session)
        for item in items {
            if item["sk"] == guildKey["sk"] {
                guild = try Self.decode(GuildSettings.self, item["settings"], what: "guild settings")
            } else if item["sk"] == channelKey["sk"] {
                channel = try Self.decode(VoiceChannelSettings.self, item["settings"], what: "voice channel settings")
            }
        }
        return (guild, channel)
    }

    @discardableResult
    public func saveGuildSettings(_ settings: GuildSettings) async throws(LedgerError) -> GuildSettings {
        try settings.validate()
        var saved = settings
        saved.version += 1
        var item = Self.key(Self.guildPK(settings.guild), "SETTINGS")
        item["kind"] = "guildSettings"
        item["version"] = .number(saved.version)
        item["settings"] = try Self.encode(saved, what: "guild settings")
        let condition: String
        var attributes = ExpressionAttributes()
        if settings.version == 0 {
            condition = "attribute_not_exists(pk)"
        } else {
            condition = "#version = :expected"
            attributes = ExpressionAttributes(names: ["#version": "version"], values: [":expected": .number(settings.version)])
        }
        do throws(DynamoError) {
            try await dynamo().putItem(PutItemInput(tableName: tableName, item: item, condition: condition, attributes: attributes))
            return saved
        } catch where error.code == .conditionalCheckFailed {
            throw LedgerError(.conflict, "settings of guild \(settings.guild) changed since they were read")
        } catch {
            throw LedgerError(.unavailable, "DynamoDB save guild settings failed: \(error.message)", underlying: error)
        }
    }

    public func voiceChannelSettings(_ session: SessionKey) async throws(LedgerError) -> VoiceChannelSettings {
        let key = Self.key(Self.guildPK(session.guild), "VOICE#\(session.channel)")
        guard
            let item = try await perform("read voice channel settings", { () async throws(DynamoError) -> Item? in
                try await dynamo().getItem(GetItemInput(tableName: tableName, key: key))
            })
        else { return VoiceChannelSettings(session: session) }
        return try Self.decode(VoiceChannelSettings.self, item["settings"], what: "voice channel settings")
    }

    public func saveVoiceChannelSettings(_ settings: VoiceChannelSettings) async throws(LedgerError) {
        try settings.validate()
        var item = Self.key(Self.guildPK(settings.session.guild), "VOICE#\(settings.session.channel)")
        item["kind"] = "voiceChannelSettings"
        item["settings"] = try Self.encode(settings, what: "voice channel settings")
        try await perform("save voice channel settings") { () async throws(DynamoError) in
            try await dynamo().putItem(PutItemInput(tableName: tableName, item: item))
        }
    }

    public func voiceChannelSettings(in guild: GuildID) async throws(LedgerError) -> [VoiceChannelSettings] {
        let items = try await perform("read voice channel settings of a guild") { () async throws(DynamoError) -> [Item] in
            try await queryAllPages(QueryInput(
                tableName: tableName, keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
                attributes: ExpressionAttributes(values: [":pk": .s(Self.guildPK(guild)), ":prefix": "VOICE#"]),
                consistentRead: true))
        }
        var result: [VoiceChannelSettings] = []
        for item in items {
            let settings = try Self.decode(VoiceChannelSettings.self, item["settings"], what: "voice channel settings")
            if !settings.isDefault { result.append(settings) }
        }
        // Sort keys are strings (`VOICE#9` after `VOICE#10`): order by the channel id itself.
        return result.sorted { $0.session.channel.rawValue < $1.session.channel.rawValue }
    }

    public func affinity(_ session: SessionKey) async throws(LedgerError) -> WorkerAffinity? {
        let key = Self.key(Self.guildPK(session.guild), "AFFINITY#\(session.channel)")
        guard
            let item = try await perform("read affinity", { () async throws(DynamoError) -> Item? in
                try await dynamo().getItem(GetItemInput(tableName: tableName, key: key))
            })
        else { return nil }
        guard let worker = WorkerID(try item.ledgerString("worker")) else {
            throw LedgerError(.corruptRecord, "affinity of \(session) holds no worker id")
        }
        return WorkerAffinity(
            session: session, worker: worker, lastUsed: Date(epochMilliseconds: try item.ledgerInt64("lastUsedMs")))
    }

    public func recordAffinity(_ affinity: WorkerAffinity) async throws(LedgerError) {
        var item = Self.key(Self.guildPK(affinity.session.guild), "AFFINITY#\(affinity.session.channel)")
        item["kind"] = "affinity"
        item["worker"] = .s(affinity.worker.description)
        item["lastUsedMs"] = .number(affinity.lastUsed.epochMilliseconds)
        do throws(DynamoError) {
            try await dynamo().putItem(PutItemInput(
                tableName: tableName, item: item, condition: "attribute_not_exists(pk) OR lastUsedMs <= :at",
                attributes: ExpressionAttributes(values: [":at": .number(affinity.lastUsed.epochMilliseconds)])))
        } catch where error.code == .conditionalCheckFailed {
            // A newer affinity is already stored; keep it.
        } catch {
            throw LedgerError(.unavailable, "DynamoDB record affinity failed: \(error.message)", underlying: error)
        }
    }
}
