import AnankorCore
import Foundation
import Testing

extension LedgerContractTests {
    @Suite struct Idempotency {
        let key = IdempotencyKey.interaction("1234567890")!

        @Test("concurrent claims of one key have exactly one winner", arguments: IdempotencyAdapter.allCases)
        func concurrentClaimsHaveOneWinner(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let key = key
                let outcomes = try await withThrowingTaskGroup(of: IdempotencyClaim.self) { group in
                    for _ in 0..<16 {
                        group.addTask { try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.compactMap(\.token)
                #expect(winners.count == 1)
                #expect(outcomes.filter { $0 == .inProgress(expiresAt: LedgerTime.at(30)) }.count == 15)
            }
        }

        @Test("a redelivery after completion gets the stored result", arguments: IdempotencyAdapter.allCases)
        func redeliveryIsRecognized(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let token = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)).token)
                try await ledger.complete(key, token: token, result: Array("reply-42".utf8), retention: .seconds(3600), now: LedgerTime.at(5))
                let again = try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(60))
                #expect(again == .completed(result: Array("reply-42".utf8), completedAt: LedgerTime.at(5)))
                let other = try await ledger.claim(IdempotencyKey.job("1234567890")!, lease: .seconds(30), now: LedgerTime.at(60))
                #expect(other.token != nil, "keys in other namespaces are independent")
            }
        }

        @Test("an expired in-progress claim is taken over; the old holder cannot complete", arguments: IdempotencyAdapter.allCases)
        func expiredClaimIsTakenOver(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let first = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)).token)
                #expect(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(29)) == .inProgress(expiresAt: LedgerTime.at(30)))

                let takeover = try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(31))
                guard case .claimed(let second, takeover: true) = takeover else {
                    Issue.record("expected a takeover, got \(takeover)")
                    return
                }
                #expect(second != first)
                let lost = await #expect(throws: LedgerError.self) {
                    try await ledger.complete(key, token: first, result: [1], retention: .seconds(60), now: LedgerTime.at(32))
                }
                #expect(lost?.code == .claimLost)
                try await ledger.complete(key, token: second, result: [2], retention: .seconds(60), now: LedgerTime.at(33))
                #expect(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(40)) == .completed(result: [2], completedAt: LedgerTime.at(33)))
            }
        }

        @Test("release lets a retry claim at once; a stale release does nothing", arguments: IdempotencyAdapter.allCases)
        func releaseAllowsRetry(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let first = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)).token)
                try await ledger.release(key, token: first)
                let second = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(1)).token)
                try await ledger.release(key, token: first)
                #expect(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(2)) == .inProgress(expiresAt: LedgerTime.at(31)))
                try await ledger.complete(key, token: second, result: [], retention: .seconds(60), now: LedgerTime.at(3))
                try await ledger.release(key, token: second)
                #expect(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(4)) == .completed(result: [], completedAt: LedgerTime.at(3)),
                        "a completed record is not released")
            }
        }

        @Test("a completed record is forgotten after its retention", arguments: IdempotencyAdapter.allCases)
        func completedRecordExpires(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let token = try #require(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(0)).token)
                try await ledger.complete(key, token: token, result: [9], retention: .seconds(100), now: LedgerTime.at(10))
                #expect(try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(109)).token == nil)
                let fresh = try await ledger.claim(key, lease: .seconds(30), now: LedgerTime.at(110))
                guard case .claimed(_, takeover: false) = fresh else {
                    Issue.record("expected a fresh claim, got \(fresh)")
                    return
                }
            }
        }

        @Test("bad durations and oversized results are refused", arguments: IdempotencyAdapter.allCases)
        func invalidInputIsRefused(_ adapter: IdempotencyAdapter) async throws {
            try await adapter.withStore { ledger in
                let zero = await #expect(throws: LedgerError.self) { try await ledger.claim(key, lease: .zero, now: LedgerTime.at(0)) }
                #expect(zero?.code == .invalidInput)
                let token = try #require(try await ledger.claim(key, lease: .seconds(5), now: LedgerTime.at(0)).token)
                let big = await #expect(throws: LedgerError.self) {
                    try await ledger.complete(
                        key, token: token, result: Array(repeating: 0, count: IdempotencyKey.maxResultBytes + 1),
                        retention: .seconds(5), now: LedgerTime.at(1))
                }
                #expect(big?.code == .invalidInput)
                #expect(IdempotencyKey("") == nil)
                #expect(IdempotencyKey(String(repeating: "k", count: 257)) == nil)
            }
        }
    }
}
