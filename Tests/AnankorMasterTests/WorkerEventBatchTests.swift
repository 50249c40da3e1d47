import AnankorCore
@testable import AnankorMaster
import Testing

@Suite("Worker events: in order per session, sessions side by side")
struct WorkerEventBatchTests {
    let lounge = SessionKey(guild: GuildID(1), channel: ChannelID(10))
    let gaming = SessionKey(guild: GuildID(1), channel: ChannelID(20))

    @Test func eventsOfOneSessionKeepTheirOrderInOneLane() {
        let items: [(String, SessionKey?)] = [("a1", lounge), ("b1", gaming), ("a2", lounge), ("b2", gaming)]
        let segments = WorkerEventBatch.segments(items) { $0.1 }
        #expect(segments.count == 1)
        #expect(segments[0].map { $0.map(\.0) } == [["a1", "a2"], ["b1", "b2"]])
    }

    @Test func aWorkerEventWaitsForEverythingBeforeItAndHoldsBackWhatFollows() {
        let items: [(String, SessionKey?)] = [("a1", lounge), ("offline", nil), ("a2", lounge), ("b1", gaming)]
        let segments = WorkerEventBatch.segments(items) { $0.1 }
        #expect(segments.map { $0.map { $0.map(\.0) } } == [[["a1"]], [["offline"]], [["a2"], ["b1"]]])
    }
}
