import Foundation
import LavalinkEmulator
import ServiceLifecycle
import Testing

@testable import LavalinkKit

@Suite("LavalinkKit against the Lavalink emulator: node and REST")
struct NodeIntegrationTests {
    @Test func connectsAndEnablesResuming() async throws {
        try await withEmulator() { emulator in
            let node = Emulated.node("a", emulator)
            try await withNode(node) { log in
                try await waitFor("ready", in: log) { if case .ready(_, resumed: false) = $0 { true } else { false } }
                let sessionId = try await node.requireSession()
                let sessions = await emulator.sessions()
                let session = try #require(sessions.first { $0.sessionId == sessionId })
                #expect(session.clientName == "LavalinkKitTests/1.0")
                #expect(session.resuming)
                #expect(session.timeoutSeconds == 60)
                #expect(try await node.rest.version() == "4.2.2")
                #expect(try await node.rest.info().version.minor == 2)
                #expect(try await node.rest.stats().frameStats == nil)
            }
        }
    }

    @Test func oldNodeIsRefusedWithAClearMessage() async throws {
        try await withEmulator(version: "4.1.1") { emulator in
            let node = Emulated.node("old", emulator)
            let error = try await #require(throws: LavalinkError.self) { try await node.run() }
            #expect(error.code == .unsupportedVersion)
            #expect(error.message.contains("4.1.1") && error.message.contains("4.2"))
            #expect(await node.status == .refused)
        }
    }

    @Test func wrongPasswordIsRefusedWithoutRevealingIt() async throws {
        try await withEmulator() { emulator in
            let node = LavalinkKit.LavalinkNode(
                configuration: Emulated.nodeConfiguration("a", emulator, password: "wrong-pass-7c1"),
                httpClient: Emulated.httpClient, logger: Emulated.logger
            )
            let error = try await #require(throws: LavalinkError.self) { try await node.run() }
            #expect(error.code == .unauthorized)
            #expect(!"\(error)".contains("wrong-pass-7c1"))
            #expect(!"\(error)".contains(emulator.password))
        }
    }

    @Test func loadResultsAndTrackDecoding() async throws {
        try await withEmulator() { emulator in
            let rest = LavalinkREST(
                endpoint: Emulated.nodeConfiguration("a", emulator).endpoint, nodeName: "a", httpClient: Emulated.httpClient
            )

            guard case .track(let track) = try await rest.loadTracks("dQw4w9WgXcQ") else {
                Issue.record("expected a track"); return
            }
            #expect(track.info.identifier == "dQw4w9WgXcQ")
            guard case .playlist(let playlist) = try await rest.loadTracks("emulator:playlist:mix?tracks=4") else {
                Issue.record("expected a playlist"); return
            }
            #expect(playlist.tracks.count == 4)
            guard case .search(let results) = try await rest.loadTracks("ytsearch:never gonna give you up") else {
                Issue.record("expected search results"); return
            }
            #expect(results.count == 5)
            #expect(try await rest.loadTracks("ytsearch:emulator:empty") == .empty)
            guard case .error(let exception) = try await rest.loadTracks("emulator:load-error") else {
                Issue.record("expected a load error"); return
            }
            #expect(exception.severity == .common)

            // The encoded form round-trips through the node and through the client-side reader.
            #expect(try await rest.decodeTrack(track.encoded).info == track.info)
            #expect(try await rest.decodeTracks(results.map(\.encoded)).map(\.info) == results.map(\.info))
            let local = try EncodedTrack.decode(track.encoded)
            #expect(local.title == track.info.title && local.length == track.info.length && local.uri == track.info.uri)
        }
    }

    @Test func lavalinkErrorBodyBecomesATypedError() async throws {
        try await withEmulator() { emulator in
            let rest = LavalinkREST(
                endpoint: Emulated.nodeConfiguration("a", emulator).endpoint, nodeName: "a", httpClient: Emulated.httpClient
            )
            let error = try await #require(throws: LavalinkError.self) {
                try await rest.updatePlayer(sessionId: "no-such-session", guildId: "1", PlayerUpdate(volume: 50))
            }
            #expect(error.code == .server)
            #expect(error.status == 404)
            #expect(error.serverBody?.message == "Session not found")
            #expect(error.serverBody?.path.hasPrefix("/v4/sessions/no-such-session") == true)
        }
    }

    @Test func droppedSocketResumesAndKeepsPlayers() async throws {
        try await withEmulator { emulator in
            let node = Emulated.node("a", emulator)
            try await withPool([node]) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                let sessionId = try await node.requireSession()
                let track = try #require(try await pool.loadTracks("emulator:track:keep?length=60000").tracks.first)
                try await pool.update(guildId: "100", PlayerUpdate(track: .encoded(track.encoded), voice: Emulated.voice))
                await emulator.advance(byMilliseconds: 20_000)

                let mark = await log.events.count
                await node.reconnect()
                try await waitFor("resumed ready", in: log, from: mark) {
                    if case .node("a", .ready(sessionId, resumed: true)) = $0 { return true }
                    return false
                }
                let player = try #require(await emulator.player(guildId: "100"))
                #expect(player.encodedTrack == track.encoded)
                #expect(player.position == 20_000)
                #expect(await pool.snapshot(guildId: "100")?.node == "a")
                #expect(!(await log.events).contains { if case .playerMoved = $0 { true } else { false } })
            }
        }
    }
}


@Suite("LavalinkKit node and pool edge cases")
struct NodeEdgeCaseTests {
    @Test func waitingForAConnectionEndsWhenCancelled() async throws {
        let node = LavalinkKit.LavalinkNode(
            configuration: LavalinkKit.NodeConfiguration(
                name: "never", endpoint: NodeEndpoint(host: "127.0.0.1", port: 9, password: "x"), userId: "1"
            ),
            logger: Emulated.logger
        )
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await node.waitUntilConnected() }
            group.cancelAll()
            await group.waitForAll()
        }
        #expect(await node.status == .connecting)
    }

    @Test func poolSkipsARefusedNode() async throws {
        try await withEmulator(version: "4.0.8") { old in
            try await withEmulator { good in
                try await withPool([Emulated.node("old", old), Emulated.node("good", good)]) { pool, log in
                    let refused = try await waitFor("refusal", in: log) {
                        if case .nodeRefused("old", _) = $0 { true } else { false }
                    }
                    guard case .nodeRefused(_, let message) = refused else { return }
                    #expect(message.contains("4.2"))
                    try await waitFor("ready", in: log) { $0.isReady("good") }
                    try await pool.update(guildId: "1", PlayerUpdate(voice: Emulated.voice))
                    #expect(await good.players().count == 1)
                    #expect(await old.sessions().isEmpty)
                }
            }
        }
    }

    @Test func poolStopsOnGracefulShutdown() async throws {
        try await withEmulator { emulator in
            let node = Emulated.node("a", emulator)
            let pool = LavalinkNodePool(nodes: [node], logger: Emulated.logger)
            let services = ServiceGroup(configuration: .init(services: [pool], logger: Emulated.logger))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await services.run() }
                await node.waitUntilConnected()
                #expect(await node.status.isAvailable)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
            }
            #expect(await node.status == .stopped)
            try await eventually("session dropped by the node") {
                await emulator.sessions().allSatisfy { !$0.connected }
            }
        }
    }
}
