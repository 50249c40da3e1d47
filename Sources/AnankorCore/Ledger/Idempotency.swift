import Foundation

/// What is processed at most once: an interaction id, a job id, … namespaced so that ids from
/// different sources never collide (`interaction:123`, `job:abc`).
public struct IdempotencyKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Keys are 1...256 bytes of UTF-8.
    public static let maxBytes = 256
    /// The largest result `complete` stores.
    public static let maxResultBytes = 32 * 1024

    /// `nil` when `rawValue` is empty or longer than `maxBytes`.
    public init?(_ rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maxBytes else { return nil }
        self.rawValue = rawValue
    }

    /// The key for a Discord interaction id.
    public static func interaction(_ id: String) -> IdempotencyKey? { IdempotencyKey("interaction:\(id)") }

    /// The key for a job envelope id.
    public static func job(_ id: String) -> IdempotencyKey? { IdempotencyKey("job:\(id)") }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = IdempotencyKey(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "idempotency key must be 1...256 bytes"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Proof of holding a claim; `complete` and `release` only act with the current token, so a
/// claimant whose claim was taken over cannot overwrite the new holder's outcome.
public struct ClaimToken: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A fresh random token.
    public static func random() -> ClaimToken { ClaimToken(rawValue: UUID().uuidString.lowercased()) }

    public var description: String { rawValue }
}

/// The answer to `Ledger.claim`.
public enum IdempotencyClaim: Sendable, Hashable {
    /// The caller holds the claim and should do the work, then `complete` (or `release`).
    /// `takeover` is true when an earlier claimant's lease had expired.
    case claimed(ClaimToken, takeover: Bool)
    /// Someone else is processing it and their lease has not expired.
    case inProgress(expiresAt: Date)
    /// Already done; `result` is what the first processing stored.
    case completed(result: [UInt8], completedAt: Date)

    public var token: ClaimToken? {
        if case .claimed(let token, _) = self { return token }
        return nil
    }
}

/// The stored state of one key, as both adapters keep it.
public struct IdempotencyRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case inProgress = "in_progress"
        case complete
    }

    public var key: IdempotencyKey
    public var state: State
    public var token: ClaimToken
    public var result: [UInt8]
    /// When the current claim was taken, or when it completed.
    public var updatedAt: Date
    /// In progress: when the lease ends and the claim may be taken over. Complete: when the record
    /// is forgotten.
    public var expiresAt: Date

    public init(
        key: IdempotencyKey, state: State, token: ClaimToken, result: [UInt8] = [], updatedAt: Date,
        expiresAt: Date
    ) {
        self.key = key
        self.state = state
        self.token = token
        self.result = result
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
    }

    /// What a new `claim` at `now` finds in this record, or `nil` when the record is over and the
    /// caller may claim afresh (a completed record past its retention) or take over (a lapsed lease).
    public func blockingClaim(at now: Date) -> IdempotencyClaim? {
        guard expiresAt > now else { return nil }
        switch state {
        case .inProgress: return .inProgress(expiresAt: expiresAt)
        case .complete: return .completed(result: result, completedAt: updatedAt)
        }
    }
}

extension Date {
    /// `self` moved forward by `duration`.
    public func adding(_ duration: Duration) -> Date { addingTimeInterval(duration.timeInterval) }
}

extension LedgerError {
    /// Checks a lease or retention duration: positive and at most a year.
    public static func validate(duration: Duration, name: String) throws(LedgerError) {
        guard duration > .zero, duration <= .seconds(366 * 24 * 3600) else {
            throw LedgerError(.invalidInput, "\(name) must be positive and at most a year, got \(duration)")
        }
    }

    public static func validate(result: [UInt8]) throws(LedgerError) {
        guard result.count <= IdempotencyKey.maxResultBytes else {
            throw LedgerError(
                .invalidInput, "idempotency result is \(result.count) bytes; the limit is \(IdempotencyKey.maxResultBytes)")
        }
    }
}
