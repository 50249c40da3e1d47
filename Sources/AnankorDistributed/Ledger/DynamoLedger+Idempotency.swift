import AnankorCore
import DynamoKit
import Foundation

/// Idempotency records: pk `IDEMPOTENCY#<key>`, sk `IDEMPOTENCY`; `expiresAtMs` decides, the
/// `ttl` attribute (seconds, one day later) only lets DynamoDB delete what is long over.
extension DynamoLedger {
    static func idempotencyKey(_ key: IdempotencyKey) -> Item { Self.key("IDEMPOTENCY#\(key.rawValue)", "IDEMPOTENCY") }

    /// DynamoDB deletes expired items lazily (within days); the grace keeps a record until its
    /// own expiry has certainly been observed.
    static func ttlSeconds(_ expiresAt: Date) -> AttributeValue {
        .number(Int64(expiresAt.timeIntervalSince1970.rounded(.up)) + 86_400)
    }

    public func claim(_ key: IdempotencyKey, lease: Duration, now: Date) async throws(LedgerError) -> IdempotencyClaim {
        try LedgerError.validate(duration: lease, name: "claim lease")
        // A lost race can find a record that lapsed a moment later; a few rounds settle it.
        for _ in 0..<5 {
            let token = ClaimToken.random()
            let expiresAt = now.adding(lease)
            var item = Self.idempotencyKey(key)
            item["kind"] = "idempotency"
            item["state"] = .s(IdempotencyRecord.State.inProgress.rawValue)
            item["token"] = .s(token.rawValue)
            item["updatedAtMs"] = .number(now.epochMilliseconds)
            item["expiresAtMs"] = .number(expiresAt.epochMilliseconds)
            item[Self.ttlAttribute] = Self.ttlSeconds(expiresAt)
            do throws(DynamoError) {
                let old = try await dynamo().putItem(PutItemInput(
                    tableName: tableName, item: item, condition: "attribute_not_exists(pk) OR expiresAtMs <= :now",
                    attributes: ExpressionAttributes(values: [":now": .number(now.epochMilliseconds)]),
                    returnValues: .allOld))
                let takeover = old?["state"]?.stringValue == IdempotencyRecord.State.inProgress.rawValue
                return .claimed(token, takeover: takeover)
            } catch where error.code == .conditionalCheckFailed {
                if let record = try await record(key), let blocking = record.blockingClaim(at: now) {
                    return blocking
                }
            } catch {
                throw LedgerError(.unavailable, "DynamoDB claim failed: \(error.message)", underlying: error)
            }
        }
        throw LedgerError(.conflict, "claim on \(key) kept changing hands; try again")
    }

    public func complete(
        _ key: IdempotencyKey, token: ClaimToken, result: [UInt8], retention: Duration, now: Date
    ) async throws(LedgerError) {
        try LedgerError.validate(duration: retention, name: "retention")
        try LedgerError.validate(result: result)
        let expiresAt = now.adding(retention)
        do throws(DynamoError) {
            try await dynamo().updateItem(UpdateItemInput(
                tableName: tableName, key: Self.idempotencyKey(key),
                update: "SET #state = :complete, #result = :result, updatedAtMs = :now, expiresAtMs = :expires, #ttl = :ttl",
                condition: "#token = :token AND #state = :inProgress",
                attributes: ExpressionAttributes(
                    names: ["#state": "state", "#result": "result", "#ttl": Self.ttlAttribute, "#token": "token"],
                    values: [
                        ":complete": .s(IdempotencyRecord.State.complete.rawValue),
                        ":inProgress": .s(IdempotencyRecord.State.inProgress.rawValue), ":result": .b(result),
                        ":now": .number(now.epochMilliseconds), ":expires": .number(expiresAt.epochMilliseconds),
                        ":ttl": Self.ttlSeconds(expiresAt), ":token": .s(token.rawValue),
                    ])))
        } catch where error.code == .conditionalCheckFailed {
            throw LedgerError(.claimLost, "the claim on \(key) is no longer held; another claimant took it over")
        } catch {
            throw LedgerError(.unavailable, "DynamoDB complete failed: \(error.message)", underlying: error)
        }
    }

    public func release(_ key: IdempotencyKey, token: ClaimToken) async throws(LedgerError) {
        do throws(DynamoError) {
            try await dynamo().deleteItem(DeleteItemInput(
                tableName: tableName, key: Self.idempotencyKey(key), condition: "#token = :token AND #state = :inProgress",
                attributes: ExpressionAttributes(
                    names: ["#token": "token", "#state": "state"],
                    values: [":token": .s(token.rawValue), ":inProgress": .s(IdempotencyRecord.State.inProgress.rawValue)])))
        } catch where error.code == .conditionalCheckFailed {
            // Not ours any more (taken over or completed): nothing to release.
        } catch {
            throw LedgerError(.unavailable, "DynamoDB release failed: \(error.message)", underlying: error)
        }
    }

    func record(_ key: IdempotencyKey) async throws(LedgerError) -> IdempotencyRecord? {
        guard
            let item = try await perform("read claim", { () async throws(DynamoError) -> Item? in
                try await dynamo().getItem(GetItemInput(tableName: tableName, key: Self.idempotencyKey(key)))
            })
        else { return nil }
        guard let state = IdempotencyRecord.State(rawValue: try item.ledgerString("state")) else {
            throw LedgerError(.corruptRecord, "idempotency record \(key) has an unknown state")
        }
        var result: [UInt8] = []
        if case .b(let bytes) = item["result"] { result = bytes }
        return IdempotencyRecord(
            key: key, state: state, token: ClaimToken(rawValue: try item.ledgerString("token")), result: result,
            updatedAt: Date(epochMilliseconds: try item.ledgerInt64("updatedAtMs")),
            expiresAt: Date(epochMilliseconds: try item.ledgerInt64("expiresAtMs")))
    }
}
