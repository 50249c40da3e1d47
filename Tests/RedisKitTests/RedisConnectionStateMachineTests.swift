import NIOCore
import Testing
@testable import RedisKit

@Suite struct RedisConnectionStateMachineTests {
    typealias Machine = RedisConnectionStateMachine<Int>

    @Test func repliesGoToRequestsInTheOrderTheyWereWritten() {
        var machine = Machine()
        for id in 1...3 { _ = machine.write(id, deadline: nil) }
        var order: [Int] = []
        for reply in [RESPValue.integer(10), .simpleError(ByteBuffer(string: "ERR x")), .integer(30)] {
            switch machine.read(reply) {
            case .succeed(let id, _), .failWithServerError(let id, _): order.append(id)
            default: Issue.record("unexpected action")
            }
        }
        #expect(order == [1, 2, 3])
    }

    @Test func anErrorReplyFailsOnlyItsOwnRequest() {
        var machine = Machine()
        _ = machine.write(1, deadline: nil)
        _ = machine.write(2, deadline: nil)
        guard case .failWithServerError(1, _) = machine.read(.simpleError(ByteBuffer(string: "WRONGTYPE"))) else {
            Issue.record("the error should fail request 1")
            return
        }
        guard case .succeed(2, .integer(5)) = machine.read(.integer(5)) else {
            Issue.record("request 2 should still succeed")
            return
        }
    }

    @Test func aReplyNobodyAskedForClosesTheConnection() {
        var machine = Machine()
        guard case .close(let error, let failing) = machine.read(.integer(1)) else {
            Issue.record("expected close")
            return
        }
        #expect(error.code == .protocolViolation)
        #expect(failing.isEmpty)
        guard case .fail(7, let later) = machine.write(7, deadline: nil) else {
            Issue.record("writes after close must fail at once")
            return
        }
        #expect(later.code == .protocolViolation)
    }

    @Test func pushMessagesDoNotConsumeARequest() {
        var machine = Machine()
        _ = machine.write(1, deadline: nil)
        guard case .push = machine.read(.push([.bulk("invalidate")])) else {
            Issue.record("push expected")
            return
        }
        guard case .succeed(1, _) = machine.read(.integer(1)) else {
            Issue.record("the request is still waiting for its reply")
            return
        }
    }

    @Test func onASubscriberConnectionRESP2MessagesArePushes() {
        var machine = Machine(isSubscriber: true)
        let message = RESPValue.array([.bulk("message"), .bulk("news"), .bulk("hi")])
        guard case .push(message) = machine.read(message) else {
            Issue.record("a RESP2 message is a push on a subscriber connection")
            return
        }
    }

    @Test func closingFailsEveryPendingRequestOnce() {
        var machine = Machine()
        for id in 1...3 { _ = machine.write(id, deadline: nil) }
        #expect(machine.closed(RedisError(.connectionClosed, "gone")) == [1, 2, 3])
        #expect(machine.closed(RedisError(.connectionClosed, "gone")) == [])
    }

    @Test func aLateReplyTimesTheConnectionOutAndOnlyThen() {
        var machine = Machine()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        guard case .write(let armed?) = machine.write(1, deadline: start + .seconds(5)) else {
            Issue.record("the first deadline arms the timer")
            return
        }
        #expect(armed == start + .seconds(5))
        guard case .write(nil) = machine.write(2, deadline: start + .seconds(6)) else {
            Issue.record("a later deadline does not re-arm")
            return
        }
        _ = machine.read(.integer(1))
        guard case .rearm(let next) = machine.timerFired(now: start + .seconds(5)) else {
            Issue.record("request 2 is not due yet")
            return
        }
        #expect(next == start + .seconds(6))
        guard case .close(let error, let failing) = machine.timerFired(now: start + .seconds(6)) else {
            Issue.record("request 2 is overdue")
            return
        }
        #expect(error.code == .timeout)
        #expect(failing == [2])
    }

    @Test func blockingRequestsWithoutDeadlineNeverTimeOut() {
        var machine = Machine()
        guard case .write(nil) = machine.write(1, deadline: nil) else {
            Issue.record("no deadline, no timer")
            return
        }
        guard case .none = machine.timerFired(now: .uptimeNanoseconds(.max / 2)) else {
            Issue.record("nothing to time out")
            return
        }
    }
}

@Suite struct ReconnectBackoffTests {
    @Test func failuresOpenAGrowingWindowOfFastFailuresAndSuccessResetsIt() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .milliseconds(300))
        let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
        #expect(backoff.gate(now: t0) == nil)
        backoff.failed(RedisError(.connectionUnavailable, "refused"), now: t0)
        #expect(backoff.gate(now: t0 + .milliseconds(99))?.code == .connectionUnavailable)
        #expect(backoff.gate(now: t0 + .milliseconds(100)) == nil)
        backoff.failed(RedisError(.connectionUnavailable, "refused"), now: t0 + .milliseconds(100))
        #expect(backoff.gate(now: t0 + .milliseconds(299)) != nil)
        #expect(backoff.gate(now: t0 + .milliseconds(300)) == nil)
        backoff.failed(RedisError(.connectionUnavailable, "refused"), now: t0)
        backoff.failed(RedisError(.connectionUnavailable, "refused"), now: t0)
        #expect(backoff.nextDelay == .milliseconds(300), "capped at the maximum")
        backoff.succeeded()
        #expect(backoff.gate(now: t0) == nil)
        #expect(backoff.nextDelay == .milliseconds(100))
    }
}

@Suite struct RedisConfigurationTests {
    @Test func parsesRedisURLs() throws {
        let plain = try RedisConfiguration(url: "redis://127.0.0.1:6380/3")
        #expect(plain.host == "127.0.0.1")
        #expect(plain.port == 6380)
        #expect(plain.database == 3)
        #expect(plain.tls == nil)
        #expect(plain.password == nil)

        let secure = try RedisConfiguration(url: "rediss://alice:p%40ss%3Aword@cache.example.org")
        #expect(secure.tls != nil)
        #expect(secure.port == 6379)
        #expect(secure.username == "alice")
        #expect(secure.password == "p@ss:word")

        let passwordOnly = try RedisConfiguration(url: "redis://:secret@localhost/0")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "secret")
    }

    @Test(arguments: ["http://localhost", "redis://", "redis://host/notanumber", "redis://host:99999", "not a url"])
    func rejectsUnusableURLs(url: String) {
        #expect { try RedisConfiguration(url: url) } throws: { ($0 as? RedisError)?.code == .invalidConfiguration }
    }

    @Test func neverShowsThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://alice:hunter2@localhost:6379/1")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description == "redis://alice:***@localhost:6379/1")
        #expect(!"\(configuration)".contains("hunter2"))
    }
}
