import AnankorCore
import Foundation
import GRDB

extension SQLiteLedger {
    public func claim(_ key: IdempotencyKey, lease: Duration, now: Date) async throws(LedgerError) -> IdempotencyClaim {
        try LedgerError.validate(duration: lease, name: "claim lease")
        return try await write("claim") { db in
            let existing = try Self.record(key, db)
            if let existing, let blocking = existing.blockingClaim(at: now) { return blocking }
            let token = ClaimToken.random()
            // Every interaction claims before its first answer: the statement is parsed once.
            try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO ledger_idempotency (key, state, token, result, updated_at, expires_at)
                    VALUES (?, 'in_progress', ?, x'', ?, ?)
                    """)
                .execute(arguments: [key.rawValue, token.rawValue, now.epochMilliseconds, now.adding(lease).epochMilliseconds])
            return .claimed(token, takeover: existing?.state == .inProgress)
        }
    }

    public func complete(
        _ key: IdempotencyKey, token: ClaimToken, result: [UInt8], retention: Duration, now: Date
    ) async throws(LedgerError) {
        try LedgerError.validate(duration: retention, name: "retention")
        try LedgerError.validate(result: result)
        try await write("complete") { db in
            try db.execute(
                sql: """
                    UPDATE ledger_idempotency SET state = 'complete', result = ?, updated_at = ?, expires_at = ?
                    WHERE key = ? AND token = ? AND state = 'in_progress'
                    """,
                arguments: [
                    Data(result), now.epochMilliseconds, now.adding(retention).epochMilliseconds, key.rawValue,
                    token.rawValue,
                ])
            guard db.changesCount == 1 else {
                throw LedgerError(.claimLost, "the claim on \(key) is no longer held; another claimant took it over")
            }
        }
    }

    public func release(_ key: IdempotencyKey, token: ClaimToken) async throws(LedgerError) {
        try await write("release") { db in
            try db.execute(
                sql: "DELETE FROM ledger_idempotency WHERE key = ? AND token = ? AND state = 'in_progress'",
                arguments: [key.rawValue, token.rawValue])
        }
    }

    /// Deletes records whose lease or retention ended before `now` (SQLite has no TTL); returns
    /// how many. Expired records are already ignored by `claim`, so this only reclaims space.
    @discardableResult
    public func purgeExpiredClaims(now: Date) async throws(LedgerError) -> Int {
        try await write("purge") { db in
            try db.execute(
                sql: "DELETE FROM ledger_idempotency WHERE expires_at <= ?", arguments: [now.epochMilliseconds])
            return db.changesCount
        }
    }

    static func record(_ key: IdempotencyKey, _ db: Database) throws -> IdempotencyRecord? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT state, token, result, updated_at, expires_at FROM ledger_idempotency WHERE key = ?"),
                arguments: [key.rawValue])
        else { return nil }
        guard let state = IdempotencyRecord.State(rawValue: row["state"]) else {
            throw LedgerError(.corruptRecord, "idempotency record \(key) has an unknown state")
        }
        let result: Data = row["result"] ?? Data()
        return IdempotencyRecord(
            key: key, state: state, token: ClaimToken(rawValue: row["token"]), result: Array(result),
            updatedAt: Date(epochMilliseconds: row["updated_at"]), expiresAt: Date(epochMilliseconds: row["expires_at"]))
    }
}
