import Testing

@testable import LavalinkKit

/// The breaker as a pure value: every input carries the time, so the test is the clock.
@Suite("SourceBreaker: consecutive failures open it, a growing backoff, half-open probes close it")
struct SourceBreakerTests {
    let policy = SourceBreakerPolicy(failureThreshold: 3, initialBackoff: .seconds(30), maximumBackoff: .seconds(100),
                                     multiplier: 2, probeTimeout: .seconds(10))

    @Test func consecutiveFailuresOpenItAndASuccessInBetweenResetsTheCount() {
        var breaker = SourceBreaker()
        #expect(breaker.recordFailure(now: .seconds(1), policy: policy) == .none)
        #expect(breaker.recordFailure(now: .seconds(2), policy: policy) == .none)
        #expect(breaker.recordSuccess() == .none)
        #expect(breaker.state == .closed(failures: 0))
        #expect(breaker.recordFailure(now: .seconds(3), policy: policy) == .none)
        #expect(breaker.recordFailure(now: .seconds(4), policy: policy) == .none)
        #expect(breaker.admission(now: .seconds(4), policy: policy) == .allowed)
        #expect(breaker.recordFailure(now: .seconds(5), policy: policy) == .opened(for: .seconds(30)))
        #expect(breaker.state == .open(until: .seconds(35)))
        #expect(breaker.lastOpenedAt == .seconds(5))
    }

    @Test func anOpenBreakerRefusesUntilItsBackoffThenLetsOneProbeThrough() {
        var breaker = opened(at: .seconds(0))
        #expect(breaker.acquire(now: .seconds(29), policy: policy) == .refused(retryIn: .seconds(1)))
        #expect(breaker.acquire(now: .seconds(30), policy: policy) == .probe)
        #expect(breaker.state == .halfOpen(probeSince: .seconds(30)))
        // One probe at a time: the next request waits for its outcome…
        #expect(breaker.acquire(now: .seconds(31), policy: policy) == .refused(retryIn: .seconds(9)))
        // …unless the probe is lost: after the probe timeout another one goes.
        #expect(breaker.acquire(now: .seconds(40), policy: policy) == .probe)
    }

    @Test func aSuccessfulProbeClosesItAndTheBackoffStartsOver() {
        var breaker = opened(at: .seconds(0))
        #expect(breaker.acquire(now: .seconds(30), policy: policy) == .probe)
        #expect(breaker.recordSuccess() == .closed)
        #expect(breaker.state == .closed(failures: 0))
        #expect(breaker.openings == 0)
        #expect(breaker.acquire(now: .seconds(31), policy: policy) == .allowed)
        for second in 32...34 { _ = breaker.recordFailure(now: .seconds(Int64(second)), policy: policy) }
        #expect(breaker.state == .open(until: .seconds(64)), "back to the first backoff")
    }

    @Test func aFailedProbeReopensItForLongerUpToTheCap() {
        var breaker = opened(at: .seconds(0))
        var now: Duration = .seconds(30)
        var backoffs: [Duration] = []
        for _ in 0..<4 {
            #expect(breaker.acquire(now: now, policy: policy) == .probe)
            guard case .opened(let backoff) = breaker.recordFailure(now: now, policy: policy) else {
                Issue.record("a failed probe must reopen the breaker")
                return
            }
            backoffs.append(backoff)
            now += backoff
        }
        #expect(backoffs == [.seconds(60), .seconds(100), .seconds(100), .seconds(100)])
        #expect(breaker.openings == 5)
    }

    @Test func aLateFailureOfARequestAdmittedBeforeTheOpeningChangesNothing() {
        var breaker = opened(at: .seconds(0))
        #expect(breaker.recordFailure(now: .seconds(1), policy: policy) == .none)
        #expect(breaker.state == .open(until: .seconds(30)))
    }

    @Test func backoffGrowsExponentiallyAndIsCapped() {
        let policy = SourceBreakerPolicy(initialBackoff: .seconds(30), maximumBackoff: .seconds(600), multiplier: 2)
        #expect((0..<7).map { policy.backoff(opening: $0) }
            == [.seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(600), .seconds(600)])
        #expect(policy.backoff(opening: 10_000) == .seconds(600))
    }

    private func opened(at time: Duration) -> SourceBreaker {
        var breaker = SourceBreaker()
        for _ in 0..<3 { _ = breaker.recordFailure(now: time, policy: policy) }
        return breaker
    }
}

@Suite("SourceBreakers: which node a request for a source tries first")
struct SourceBreakersOrderTests {
    let policy = SourceBreakerPolicy(failureThreshold: 1, initialBackoff: .seconds(30), maximumBackoff: .seconds(600))

    @Test func closedNodesKeepTheCallersOrderAndOpenOnesGoLast() {
        var breakers = SourceBreakers(policy: policy)
        breakers.recordFailure(node: "a", source: "youtube", now: .seconds(0))
        #expect(breakers.order(["a", "b", "c"], source: "youtube", now: .seconds(1), probesFirst: true) == ["b", "c", "a"])
        // Another source on the same node is unaffected.
        #expect(breakers.order(["a", "b", "c"], source: "soundcloud", now: .seconds(1), probesFirst: true) == ["a", "b", "c"])
    }

    @Test func aNodeDueForAProbeGoesFirstForLoadsAndAfterClosedNodesForPlayers() {
        var breakers = SourceBreakers(policy: policy)
        breakers.recordFailure(node: "b", source: "youtube", now: .seconds(0))
        #expect(breakers.order(["a", "b"], source: "youtube", now: .seconds(30), probesFirst: true) == ["b", "a"])
        #expect(breakers.order(["a", "b"], source: "youtube", now: .seconds(30), probesFirst: false) == ["a", "b"])
    }

    @Test func whenAllAreOpenTheLeastRecentlyOpenedIsTriedFirst() {
        var breakers = SourceBreakers(policy: policy)
        breakers.recordFailure(node: "a", source: "youtube", now: .seconds(5))
        breakers.recordFailure(node: "b", source: "youtube", now: .seconds(2))
        breakers.recordFailure(node: "c", source: "youtube", now: .seconds(9))
        #expect(breakers.order(["a", "b", "c"], source: "youtube", now: .seconds(10), probesFirst: true) == ["b", "a", "c"])
    }

    @Test func reportsSayWhatOperatorsNeed() {
        var breakers = SourceBreakers(policy: policy)
        breakers.recordFailure(node: "eu:2333", source: "youtube", now: .seconds(0))
        breakers.recordFailure(node: "us:2333", source: "youtube", now: .seconds(0))
        breakers.recordSuccess(node: "us:2333", source: "youtube")
        let reports = breakers.reports(now: .milliseconds(2_500))
        #expect(reports.map(\.summary) == ["eu:2333 youtube open, probe in 28 s (opening 1)", "us:2333 youtube closed"])
        #expect(reports.map(\.stateName) == ["open", "closed"])
        #expect(breakers.reports(now: .seconds(30)).first?.stateName == "half-open")
    }
}

@Suite("SourceBreakerBoard.load: what counts against a node's source")
struct SourceBreakerBoardLoadTests {
    let policy = SourceBreakerPolicy(failureThreshold: 3, initialBackoff: .seconds(30), maximumBackoff: .seconds(100),
                                     multiplier: 2, probeTimeout: .seconds(10))

    @Test func loadsThatNeverLeftThisClientOpenNothingButUnansweredOnesDo() async throws {
        let board = SourceBreakerBoard(policy: policy, now: { .seconds(1) })
        for _ in 0..<5 {
            await #expect(throws: LavalinkError.self) {
                try await board.load("ytsearch:anything", on: ["a"]) { node in
                    throw LavalinkError(.clientBusy, "GET /v4/loadtracks waited too long for a connection", node: node)
                }
            }
        }
        #expect(board.admission(node: "a", source: "youtube") == .allowed, "five loads stuck in our own pool say nothing of the node")
        for _ in 0..<3 {
            await #expect(throws: LavalinkError.self) {
                try await board.load("ytsearch:anything", on: ["a"]) { node in
                    throw LavalinkError(.transport, "GET /v4/loadtracks failed", node: node)
                }
            }
        }
        #expect(board.admission(node: "a", source: "youtube") == .refused(retryIn: .seconds(30)), "three unanswered loads open it")
    }
}

@Suite("TrackSource: which source a load or a track belongs to")
struct TrackSourceTests {
    @Test func identifiersMapToLavalinksSourceNames() {
        #expect(TrackSource.of(identifier: "ytsearch:never gonna") == "youtube")
        #expect(TrackSource.of(identifier: "ytmsearch:lofi") == "youtube")
        #expect(TrackSource.of(identifier: "scsearch:lofi") == "soundcloud")
        #expect(TrackSource.of(identifier: "spsearch:lofi") == "spotify")
        #expect(TrackSource.of(identifier: "https://www.youtube.com/watch?v=dQw4w9WgXcQ") == "youtube")
        #expect(TrackSource.of(identifier: "https://youtu.be/dQw4w9WgXcQ") == "youtube")
        #expect(TrackSource.of(identifier: "https://soundcloud.com/a/b") == "soundcloud")
        #expect(TrackSource.of(identifier: "https://artist.bandcamp.com/track/x") == "bandcamp")
        #expect(TrackSource.of(identifier: "https://open.spotify.com/track/1") == "spotify")
        #expect(TrackSource.of(identifier: "https://example.com/radio.mp3") == "http")
        #expect(TrackSource.of(identifier: "emulator:track:x") == "emulator")
        #expect(TrackSource.of(identifier: "dQw4w9WgXcQ") == "youtube")
    }

    @Test func unknownPrefixesShareOneNameSoMembersCannotMintLabels() {
        #expect(TrackSource.of(identifier: "whateversearch:x") == "other")
        #expect(TrackSource.of(identifier: "abc123search:y") == "other")
    }
}
