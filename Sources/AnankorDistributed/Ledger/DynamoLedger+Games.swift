import AnankorCore
import DynamoKit
import Foundation

/// Game sessions. In the guild's partition: the summary (sk `GAME#<endedAtMs, 15 digits>#<id>`,
/// so sort order is end-time order) and a marker (sk `GAMEID#<id>`) that makes the id unique.
/// One participation item per player (pk `GAMESESSION#<guild>#<id>`, sk `USER#<user>`) is
/// indexed by `gsi1pk = USER#<user>`, `gsi1sk = GUILD#<guild>#GAME#<endedAtMs>#<id>`.
/// All of them are written in one transaction.
extension DynamoLedger {
    @discardableResult
    public func recordGameSession(_ summary: GameSessionSummary) async throws(LedgerError) -> Bool {
        try summary.validate()
        let guildPK = Self.guildPK(summary.guild)
        var marker = Self.key(guildPK, "GAMEID#\(summary.id)")
        marker["kind"] = "gameSessionID"
        marker["endedAtMs"] = .number(summary.endedAt.epochMilliseconds)

        var item = Self.key(guildPK, Self.gameSK(summary.cursor))
        item["kind"] = "gameSession"
        item["summary"] = try Self.encode(summary, what: "game session summary")

        var actions: [TransactWriteItem] = [
            .put(tableName: tableName, item: marker, condition: "attribute_not_exists(pk)"),
            .put(tableName: tableName, item: item),
        ]
        let millis = Self.paddedMillis(summary.endedAt.epochMilliseconds)
        for participation in summary.participations {
            var row = Self.key("GAMESESSION#\(summary.guild)#\(summary.id)", Self.userPK(participation.user))
            row["kind"] = "gameParticipation"
            row["gsi1pk"] = .s(Self.userPK(participation.user))
            row["gsi1sk"] = .s("GUILD#\(summary.guild)#GAME#\(millis)#\(summary.id)")
            row["participation"] = try Self.encode(participation, what: "game participation")
            actions.append(.put(tableName: tableName, item: row))
        }
        do throws(DynamoError) {
            try await dynamo().transactWrite(actions)
            return true
        } catch where error.code == .transactionCanceled
            && error.cancellationReasons.first?.code == "ConditionalCheckFailed"
        {
            return false
        } catch {
            throw LedgerError(.unavailable, "DynamoDB record game session failed: \(error.message)", underlying: error)
        }
    }

    public func gameSessions(
        guild: GuildID, limit: Int, after cursor: GameSessionCursor?
    ) async throws(LedgerError) -> GameSessionPage {
        guard GameSessionPage.limits.contains(limit) else {
            throw LedgerError(.invalidInput, "page size must be \(GameSessionPage.limits), got \(limit)")
        }
        let guildPK = Self.guildPK(guild)
        var query = QueryInput(
            tableName: tableName, keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
            attributes: ExpressionAttributes(values: [":pk": .s(guildPK), ":prefix": "GAME#"]), limit: limit + 1,
            scanIndexForward: false, exclusiveStartKey: cursor.map { Self.key(guildPK, Self.gameSK($0)) },
            consistentRead: true)
        // One item more than asked tells whether another page exists; a 1 MB page may stop short.
        var items: [Item] = []
        while items.count <= limit {
            let page = query
            let output = try await perform("list game sessions") { () async throws(DynamoError) -> QueryOutput in
                try await dynamo().query(page)
            }
            items += output.items
            guard let next = output.lastEvaluatedKey, !next.isEmpty else { break }
            query.exclusiveStartKey = next
            query.limit = limit + 1 - items.count
        }
        var summaries: [GameSessionSummary] = []
        for item in items.prefix(limit) {
            summaries.append(try Self.decode(GameSessionSummary.self, item["summary"], what: "game session summary"))
        }
        return GameSessionPage(summaries: summaries, next: items.count > limit ? summaries.last?.cursor : nil)
    }

    public func gameStats(user: UserID, guild: GuildID?) async throws(LedgerError) -> UserGameStats {
        var values: Item = [":user": .s(Self.userPK(user))]
        var condition = "gsi1pk = :user"
        if let guild {
            condition += " AND begins_with(gsi1sk, :guild)"
            values[":guild"] = .s("GUILD#\(guild)#")
        }
        let items = try await perform("read game stats") { () async throws(DynamoError) -> [Item] in
            try await queryAllPages(QueryInput(
                tableName: tableName, indexName: Self.userIndex, keyCondition: condition,
                attributes: ExpressionAttributes(values: values)))
        }
        var participations: [GameParticipation] = []
        for item in items {
            participations.append(try Self.decode(GameParticipation.self, item["participation"], what: "game participation"))
        }
        return UserGameStats.tally(user: user, participations)
    }
}
