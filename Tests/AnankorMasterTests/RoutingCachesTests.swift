import AnankorCore
@testable import AnankorMaster
import Foundation
import Testing

/// What the master keeps between store reads to route and answer commands must never be more
/// hopeful than the store: a worker that died or stopped is not routed to.
@Suite("Routing caches: live workers and issued jobs")
struct RoutingCachesTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func status(_ id: UInt64, expiresIn seconds: TimeInterval) -> WorkerStatus {
        WorkerStatus(worker: WorkerID(id), fencingToken: FencingToken(1), load: 0, lastSeen: start,
                     expiresAt: start.addingTimeInterval(seconds))
    }

    @Test("a worker whose heartbeat expired after the pass read it is not routed to")
    func expiredHeartbeat() {
        let view = LiveWorkerView()
        view.remember([status(1, expiresIn: 10), status(2, expiresIn: 0.5)], at: start)
        #expect(view.live(at: start, maxAge: 2)?.map(\.worker) == [WorkerID(1), WorkerID(2)])
        // Worker 2 died: it never renewed, so its heartbeat lapses before the next pass.
        #expect(view.live(at: start.addingTimeInterval(0.6), maxAge: 2)?.map(\.worker) == [WorkerID(1)])
    }

    @Test("a worker that announced it is stopping is not routed to, before the next pass")
    func offline() {
        let view = LiveWorkerView()
        view.remember([status(1, expiresIn: 10), status(2, expiresIn: 10)], at: start)
        view.forget(WorkerID(1))
        #expect(view.live(at: start.addingTimeInterval(0.1), maxAge: 2)?.map(\.worker) == [WorkerID(2)])
    }

    @Test("a reading older than the bound (the passes stopped: the store is down) is not used")
    func stale() {
        let view = LiveWorkerView()
        #expect(view.live(at: start, maxAge: 2) == nil, "nothing read yet")
        view.remember([status(1, expiresIn: 60)], at: start)
        #expect(view.live(at: start.addingTimeInterval(2), maxAge: 2) == nil)
        #expect(view.live(at: start.addingTimeInterval(-1), maxAge: 2) == nil, "a clock that went back")
    }

    @Test("an answer to a job this copy of the record issued and no longer waits for needs no read")
    func issuedJobs() {
        let session = SessionKey(guild: GuildID(1), channel: ChannelID(10))
        var record = SessionRecord(session: session, now: start, incarnation: 7)
        record.counter = 300
        let recent = EnvelopeID(sessionJob: SessionJobID(session: session, incarnation: 7, number: 290))
        let older = EnvelopeID(sessionJob: SessionJobID(session: session, incarnation: 7, number: 20))
        let earlierLife = EnvelopeID(sessionJob: SessionJobID(session: session, incarnation: 6, number: 299))
        let later = EnvelopeID(sessionJob: SessionJobID(session: session, incarnation: 7, number: 301))
        #expect(WorkerEventHandler.issued(recent, by: record))
        #expect(!WorkerEventHandler.issued(older, by: record), "beyond the window: read the store")
        #expect(!WorkerEventHandler.issued(earlierLife, by: record))
        #expect(!WorkerEventHandler.issued(later, by: record), "sent by another master after this copy")
    }
}
