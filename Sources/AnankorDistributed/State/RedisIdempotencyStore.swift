import AnankorCore
import Foundation
import RedisKit

/// Idempotency claims in Redis: one key per claim, `state|token|updatedMs|expiresMs|base64(result)`,
/// changed only by the Lua scripts below, so concurrent claimants see exactly one winner. Used in
/// distributed mode for interactions and jobs, whose claims live minutes to an hour: a DynamoDB
/// round trip (two per interaction and per job) was the largest cost of a command
/// (docs/performance.md). Durable claims (reminders, kept a week) stay in the `Ledger`.
public final class RedisIdempotencyStore: IdempotencyStore {
    let redis: any RedisCommandSender
    let prefix: String
    /// Redis keeps a record this much past its logical end, so a lapsed lease is still seen as a
    /// takeover rather than a fresh claim.
    static let graceMs: Int64 = 60_000

    public init(redis: any RedisCommandSender, prefix: String = "anankor:") {
        self.redis = redis
        self.prefix = prefix
    }

    func key(_ key: IdempotencyKey) -> String { "\(prefix)claim:\(key.rawValue)" }

    public func claim(_ key: IdempotencyKey, lease: Duration, now: Date) async throws(LedgerError) -> IdempotencyClaim {
        try LedgerError.validate(duration: lease, name: "lease")
        let token = ClaimToken.random()
        let reply = try await run("claim \(key)", Self.claimScript, key: self.key(key),
                                  [token.rawValue, now.epochMilliseconds, lease.wholeMilliseconds, Self.graceMs])
        let fields = reply.elements
        switch fields.first?.string {
        case "claimed":
            return .claimed(token, takeover: fields.count > 1 && fields[1].int == 1)
        case "in_progress" where fields.count == 2:
            guard let expires = fields[1].int else { break }
            return .inProgress(expiresAt: Date(epochMilliseconds: expires))
        case "complete" where fields.count == 3:
            guard let completed = fields[1].int, let encoded = fields[2].string,
                let result = encoded.isEmpty ? Data() : Data(base64Encoded: encoded)
            else { break }
            return .completed(result: Array(result), completedAt: Date(epochMilliseconds: completed))
        default:
            break
        }
        throw LedgerError(.unavailable, "unexpected Redis reply for the claim on \(key)")
    }

    public func complete(
        _ key: IdempotencyKey, token: ClaimToken, result: [UInt8], retention: Duration, now: Date
    ) async throws(LedgerError) {
        try LedgerError.validate(duration: retention, name: "retention")
        guard result.count <= IdempotencyKey.maxResultBytes else {
            throw LedgerError(.invalidInput, "a result holds at most \(IdempotencyKey.maxResultBytes) bytes, got \(result.count)")
        }
        let reply = try await run("complete \(key)", Self.completeScript, key: self.key(key),
                                  [token.rawValue, now.epochMilliseconds, retention.wholeMilliseconds,
                                   Data(result).base64EncodedString()])
        guard reply.int == 1 else {
            throw LedgerError(.claimLost, "the claim on \(key) is no longer held; another claimant took it over")
        }
    }

    public func release(_ key: IdempotencyKey, token: ClaimToken) async throws(LedgerError) {
        _ = try await run("release \(key)", Self.releaseScript, key: self.key(key), [token.rawValue])
    }

    private func run(_ operation: String, _ script: RedisScript, key: String, _ arguments: [any RedisArgument],
                     function: String = #function) async throws(LedgerError) -> RESPValue
    {
        StoreRoundTrips.redis.count(function)
        do {
            return try await redis.eval(script, keys: [key], arguments: arguments)
        } catch {
            throw LedgerError(.unavailable, "Redis \(operation) failed", underlying: error)
        }
    }

    // MARK: - Scripts (KEYS[1]: the claim's key)

    /// ARGV: token, nowMs, leaseMs, graceMs → {'claimed', takeover} | {'in_progress', expMs} |
    /// {'complete', completedMs, base64}.
    static let claimScript = RedisScript("""
        local now = tonumber(ARGV[2])
        local takeover = 0
        local value = redis.call('GET', KEYS[1])
        if value then
          local state, token, updated, expires, result = string.match(value, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
          if tonumber(expires) > now then
            if state == 'complete' then return {'complete', tonumber(updated), result} end
            return {'in_progress', tonumber(expires)}
          end
          if state == 'in_progress' then takeover = 1 end
        end
        local expires = now + tonumber(ARGV[3])
        redis.call('SET', KEYS[1], 'in_progress|' .. ARGV[1] .. '|' .. now .. '|' .. expires .. '|',
                   'PX', tonumber(ARGV[3]) + tonumber(ARGV[4]))
        return {'claimed', takeover}
        """)

    /// ARGV: token, nowMs, retentionMs, base64 result → 1, or 0 when the claim is not held.
    static let completeScript = RedisScript("""
        local value = redis.call('GET', KEYS[1])
        if not value then return 0 end
        local state, token = string.match(value, '^([^|]*)|([^|]*)|')
        if state ~= 'in_progress' or token ~= ARGV[1] then return 0 end
        local now = tonumber(ARGV[2])
        redis.call('SET', KEYS[1], 'complete|' .. ARGV[1] .. '|' .. now .. '|' .. (now + tonumber(ARGV[3])) .. '|' .. ARGV[4],
                   'PX', tonumber(ARGV[3]))
        return 1
        """)

    /// ARGV: token → 1 when released.
    static let releaseScript = RedisScript("""
        local value = redis.call('GET', KEYS[1])
        if not value then return 0 end
        local state, token = string.match(value, '^([^|]*)|([^|]*)|')
        if state ~= 'in_progress' or token ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1
        """)
}
