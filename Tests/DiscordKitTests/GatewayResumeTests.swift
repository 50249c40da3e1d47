import DiscordEmulator
@testable import DiscordKit
import Testing

/// Resuming a session saved by another shard (another process, after a takeover).
@Suite("Gateway: resuming a saved session", .serialized)
struct GatewayResumeTests {
    @Test("a machine given a saved session resumes it first, and identifies after op 9 false")
    func stateMachine() throws {
        let saved = GatewayResumeState(sessionID: "abc", sequence: 41, resumeURL: "wss://resume.example")
        var machine = GatewayStateMachine(gatewayURL: "wss://gateway.example", jitter: { 0 },
                                          invalidSessionDelay: { .seconds(2) }, resume: saved)
        #expect(machine.resumeState == saved)
        #expect(machine.initialPlan == .reconnect(url: "wss://resume.example", resume: true, after: .zero))
        machine.connectionOpened(now: .zero)
        #expect(machine.receive(.hello(heartbeatInterval: .seconds(40)), now: .zero) == [.resume(sessionID: "abc", sequence: 41)])
        #expect(machine.receive(.invalidSession(resumable: false), now: .zero) == [.close(code: GatewayStateMachine.reconnectCloseCode)])
        #expect(machine.connectionClosed(closeCode: nil) == .reconnect(url: "wss://gateway.example", resume: false, after: .seconds(2)))
        #expect(machine.resumeState == nil)
        let fresh = GatewayStateMachine(gatewayURL: "wss://gateway.example")
        #expect(fresh.initialPlan == .reconnect(url: "wss://gateway.example", resume: false, after: .zero))
    }

    @Test("a shard started with another shard's saved session resumes it and gets the missed events")
    func resumeSavedSession() async throws {
        try await EmulatedWorld.with { world in
            let first = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false), shardCount: 1))
            let saved = try await world.withGateway(first) { log in
                try await log.wait(for: "READY", isReady)
                try await log.wait(for: "GUILD_CREATE") { if case .guildCreate = $0.event { true } else { false } }
                try await eventually("a resume state with a sequence") { first.resumeStates[0]?.sequence != nil }
                #expect(first.isConnected)
                return try #require(first.resumeStates[0])
            }
            // Happens while nobody is connected: the session buffers it.
            try await world.emulator.setVoiceChannel(of: world.user, in: world.guildID, to: world.voiceChannel)
            let second = ShardedGateway(configuration: .init(
                shard: world.shardConfiguration(compression: true), shardCount: 1, resumeStates: [0: saved]))
            try await world.withGateway(second) { log in
                try await log.wait(for: "RESUMED", isResumed)
                try await log.wait(for: "the missed VOICE_STATE_UPDATE") {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.user) } else { false }
                }
                #expect(log.count(where: isReady) == 0, "resumed, not identified")
                #expect(second.shards.first?.sessionID == saved.sessionID)
                #expect(second.isConnected)
                let sessions = await world.emulator.gatewaySessions()
                #expect(sessions.count == 1)
            }
        }
    }

    @Test("a saved session the gateway no longer knows falls back to IDENTIFY")
    func unknownSessionIdentifies() async throws {
        try await EmulatedWorld.with { world in
            let stale = GatewayResumeState(sessionID: "no-such-session", sequence: 12, resumeURL: nil)
            let gateway = ShardedGateway(configuration: .init(
                shard: world.shardConfiguration(), shardCount: 1, resumeStates: [0: stale]))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY after the refused RESUME", isReady)
                #expect(log.count(where: isResumed) == 0)
                let session = try #require(gateway.shards.first?.sessionID)
                #expect(session != stale.sessionID)
                #expect(gateway.resumeStates[0]?.sessionID == session)
            }
        }
    }
}
