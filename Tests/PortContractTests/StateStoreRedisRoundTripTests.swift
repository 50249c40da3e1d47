import AnankorCore
import AnankorDistributed
import Foundation
import RedisKit
import Synchronization
import Testing

/// The Redis session-record store's cost in commands, counted at the client: what the master
/// pays per load, save and index read.
@Suite("Redis session records: one command per call")
struct StateStoreRedisRoundTripTests {
    /// Forwards to a client and logs each command name.
    final class CountingSender: RedisCommandSender {
        let client: RedisClient
        let sent = Mutex<[String]>([])
        init(_ client: RedisClient) { self.client = client }

        func send(_ command: RedisCommand) async throws -> RESPValue {
            sent.withLock { $0.append(command.name) }
            return try await client.send(command)
        }

        func take() -> [String] { sent.withLock { sent in defer { sent = [] }; return sent } }
    }

    @Test func everySessionRecordCallIsOneCommand() async throws {
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        defer { withExtendedLifetime(server) {} }
        let sender = CountingSender(client)
        let store = RedisStateStore(redis: sender)
        let session = Fixed.session(1, 10)

        // The first script call loads the script (EVALSHA, SCRIPT LOAD, EVALSHA); after that one command.
        #expect(try await store.saveSessionRecord(StateStoreSessionRecordContractTests.record(session, version: 1, worker: 3),
                                                  due: Fixed.t0))
        #expect(sender.take() == ["EVALSHA", "SCRIPT", "EVALSHA"])
        let rich = { () -> SessionRecord in
            var record = StateStoreSessionRecordContractTests.richRecord()
            record.session = session
            record.version = 2
            return record
        }()
        #expect(try await store.saveSessionRecord(rich, due: nil))
        #expect(sender.take() == ["EVALSHA"])
        #expect(try await store.sessionRecord(session) == rich)
        #expect(sender.take() == ["HMGET"])
        _ = try await store.boundSessions(in: session.guild)
        _ = try await store.boundSessions(of: WorkerID(42))
        _ = try await store.dueSessions(at: Fixed.t0, limit: 10)
        #expect(sender.take() == ["HGETALL", "HGETALL", "ZRANGEBYSCORE"])
        // The routing read pipelines its three commands (this counting sender sends a pipeline
        // one command at a time; the client flushes them once).
        let routing = try await store.guildSessions(in: session.guild, record: session)
        #expect(routing.record == rich)
        #expect(sender.take() == ["HGETALL", "SMEMBERS", "HMGET"])
        let viaClient = RedisStateStore(redis: client)
        #expect(try await viaClient.guildSessions(in: session.guild, record: session) == routing)
        #expect(try await store.saveSessionRecord(StateStoreSessionRecordContractTests.record(session, version: 2), due: nil)
            == false)
        #expect(try await store.deleteSessionRecord(session, version: 2))
        #expect(sender.take() == ["EVALSHA", "EVALSHA", "SCRIPT", "EVALSHA"])
        await client.close()
    }
}
