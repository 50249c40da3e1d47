import AnankorCore
import Foundation
import Testing

@Suite("Music session: routing and the stored record")
struct SessionRecordRoutingTests {
    typealias F = SessionFixture

    func binding(_ channel: UInt64, _ worker: WorkerID) -> Binding {
        Binding(session: SessionKey(guild: F.guild, channel: ChannelID(channel)), worker: worker, boundAt: F.start)
    }

    @Test("routing prefers the channel's last worker, then the least loaded, never one busy in the guild")
    func choice() {
        let loads = [RoutingCandidate(worker: F.w1, load: 4), RoutingCandidate(worker: F.w2, load: 1),
                     RoutingCandidate(worker: F.w3, load: 1)]
        #expect(SessionRouting.choose(for: F.key, in: RoutingSnapshot(live: loads)) == .success(F.w2))
        #expect(SessionRouting.choose(for: F.key, in: RoutingSnapshot(live: loads, affinity: F.w1)) == .success(F.w1))
        let busy = RoutingSnapshot(live: loads, bindings: [binding(77, F.w2)], affinity: F.w2)
        #expect(SessionRouting.choose(for: F.key, in: busy) == .success(F.w3))
        #expect(SessionRouting.choose(for: F.key, in: busy, excluding: [F.w3]) == .success(F.w1))
    }

    @Test("routing refusals name the busy channels")
    func refusals() {
        let live = [RoutingCandidate(worker: F.w1)]
        let full = RoutingSnapshot(live: live, bindings: [binding(78, F.w2), binding(77, F.w3)], cap: 2)
        #expect(SessionRouting.choose(for: F.key, in: full) == .failure(.capReached(cap: 2, busy: [ChannelID(77), ChannelID(78)])))
        let taken = RoutingSnapshot(live: live, bindings: [binding(77, F.w1)])
        #expect(SessionRouting.choose(for: F.key, in: taken) == .failure(.noFreeWorker(busy: [ChannelID(77)])))
        let own = RoutingSnapshot(live: live, bindings: [Binding(session: F.key, worker: F.w1, boundAt: F.start)], cap: 1)
        #expect(SessionRouting.choose(for: F.key, in: own) == .success(F.w1), "the session's own binding does not count")
    }

    @Test("the record round-trips through JSON with short keys")
    func coding() throws {
        var driver = SessionDriver.playing()
        driver.command(2, .volume(70))
        driver.command(3, .loop(.queue))
        let data = try JSONEncoder().encode(driver.record)
        let decoded = try JSONDecoder().decode(SessionRecord.self, from: data)
        #expect(decoded == driver.record)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["v"] as? Int == driver.record.version)
        #expect(object.keys.allSatisfy { $0.count <= 3 }, "keys: \(object.keys.sorted())")
    }

    @Test("a worker that keeps failing to play rejoins and retries, then is given up with the crash notice")
    func playFailures() throws {
        var driver = SessionDriver.playing()
        func playJob(_ effects: [SessionEffect]) -> SessionJobID? {
            effects.sent.first { if case .play = $0.job { true } else { false } }?.id
        }
        var play = try #require(playJob(driver.command(2, .skip(to: nil))))
        for attempt in 1...SessionPolicy().playFailureLimit {
            let failed = driver.report(.jobFailed(play, reason: "no node"))
            if attempt == SessionPolicy().playFailureLimit {
                #expect(failed.notices == [.playbackCrashed])
                #expect(failed.destroyed == [F.w1])
                break
            }
            let rejoin = try #require(failed.sent.first, "attempt \(attempt) rejoins")
            #expect(rejoin.job == .connect(textChannel: F.text))
            play = try #require(playJob(driver.report(.jobAcked(rejoin.id))), "and plays again once in voice")
        }
        #expect(driver.record.binding == nil)
        #expect(driver.record.entries.map(\.track.title) == ["b", "c"])
    }
}
