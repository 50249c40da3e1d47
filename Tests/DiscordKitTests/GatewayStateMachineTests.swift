@testable import DiscordKit
import Testing

@Suite("Gateway state machine")
struct GatewayStateMachineTests {
    let url = "wss://gateway.discord.gg"

    func machine(jitter: Double = 0.25) -> GatewayStateMachine {
        GatewayStateMachine(gatewayURL: url, jitter: { jitter }, invalidSessionDelay: { .seconds(3) })
    }

    func decoded(_ json: String) throws -> GatewayMessage { try GatewayFrameDecoder().decode(json) }

    /// HELLO, IDENTIFY, READY on a fresh machine at time zero.
    func ready(_ machine: inout GatewayStateMachine) throws {
        machine.connectionOpened(now: .zero)
        #expect(machine.receive(try decoded(DocumentationFixtures.hello), now: .zero) == [.identify])
        let actions = machine.receive(try decoded(DocumentationFixtures.ready), now: .zero)
        #expect(actions.count == 1)
        #expect(machine.phase == .connected)
    }

    @Test("HELLO schedules the first heartbeat after interval × jitter, then every interval")
    func heartbeatTiming() throws {
        var machine = machine(jitter: 0.25)
        try ready(&machine)
        #expect(machine.nextHeartbeatAt == .milliseconds(11250))
        #expect(machine.tick(now: .seconds(11)) == [])
        #expect(machine.tick(now: .milliseconds(11250)) == [.sendHeartbeat(sequence: 1)])
        #expect(machine.receive(.heartbeatAck, now: .milliseconds(11300)) == [])
        #expect(machine.latency == .milliseconds(50))
        #expect(machine.nextHeartbeatAt == .milliseconds(56250))
        _ = machine.receive(.dispatch(sequence: 7, event: .resumed), now: .seconds(20))
        #expect(machine.tick(now: .milliseconds(56250)) == [.sendHeartbeat(sequence: 7)])
    }

    @Test("a heartbeat request (op 1) is answered at once with the last sequence")
    func heartbeatRequest() throws {
        var machine = machine()
        try ready(&machine)
        #expect(machine.receive(try decoded(#"{"op": 1, "d": null}"#), now: .seconds(1)) == [.sendHeartbeat(sequence: 1)])
    }

    @Test("no ACK before the next heartbeat: zombie, close with a resumable code, resume on the resume URL")
    func zombieResumes() throws {
        var machine = machine(jitter: 0)
        try ready(&machine)
        #expect(machine.tick(now: .zero) == [.sendHeartbeat(sequence: 1)])
        _ = machine.receive(.dispatch(sequence: 5, event: .other(name: "TYPING_START", data: .null)), now: .seconds(1))
        #expect(machine.tick(now: .seconds(45)) == [.close(code: GatewayStateMachine.reconnectCloseCode)])
        #expect(GatewayStateMachine.reconnectCloseCode != 1000 && GatewayStateMachine.reconnectCloseCode != 1001)
        let plan = machine.connectionClosed(closeCode: Int(GatewayStateMachine.reconnectCloseCode))
        #expect(plan == .reconnect(url: "wss://gateway-us-east1-b.discord.gg", resume: true, after: .zero))
        machine.connectionOpened(now: .seconds(46))
        #expect(machine.receive(.hello(heartbeatInterval: .seconds(45)), now: .seconds(46))
            == [.resume(sessionID: "session-abc", sequence: 5)])
        #expect(machine.phase == .resuming)
        _ = machine.receive(.dispatch(sequence: 6, event: .other(name: "MESSAGE_UPDATE", data: .null)), now: .seconds(46))
        _ = machine.receive(.dispatch(sequence: 7, event: .resumed), now: .seconds(46))
        #expect(machine.phase == .connected && machine.sequence == 7)
    }

    @Test("RECONNECT (op 7) closes and resumes at once")
    func reconnectOpcode() throws {
        var machine = machine()
        try ready(&machine)
        #expect(machine.receive(try decoded(#"{"op": 7, "d": null}"#), now: .seconds(1)) == [.close(code: 4900)])
        #expect(machine.connectionClosed(closeCode: 1000) == .reconnect(url: "wss://gateway-us-east1-b.discord.gg", resume: true, after: .zero))
    }

    @Test("INVALID_SESSION resumable resumes after the wait; not resumable identifies anew on the original URL")
    func invalidSession() throws {
        var machine = machine()
        try ready(&machine)
        #expect(machine.receive(try decoded(#"{"op": 9, "d": true}"#), now: .seconds(1)) == [.close(code: 4900)])
        #expect(machine.connectionClosed(closeCode: nil) == .reconnect(url: "wss://gateway-us-east1-b.discord.gg", resume: true, after: .seconds(3)))
        machine.connectionOpened(now: .seconds(5))
        _ = machine.receive(.hello(heartbeatInterval: .seconds(45)), now: .seconds(5))
        #expect(machine.receive(try decoded(#"{"op": 9, "d": false}"#), now: .seconds(5)) == [.close(code: 4900)])
        #expect(machine.connectionClosed(closeCode: nil) == .reconnect(url: url, resume: false, after: .seconds(3)))
        #expect(machine.sessionID == nil && machine.sequence == nil)
        machine.connectionOpened(now: .seconds(9))
        #expect(machine.receive(.hello(heartbeatInterval: .seconds(45)), now: .seconds(9)) == [.identify])
    }

    @Test("fatal close codes stop with a clear error instead of reconnecting", arguments: [4004, 4010, 4011, 4012, 4013, 4014])
    func fatalCloseCodes(code: Int) throws {
        var machine = machine()
        try ready(&machine)
        guard case .stop(let error) = machine.connectionClosed(closeCode: code) else {
            Issue.record("close code \(code) must not reconnect")
            return
        }
        #expect(error.closeCode == code)
        #expect(!error.message.isEmpty)
        if code == 4004 { #expect(error.code == .authenticationFailed) }
        if code == 4014 { #expect(error.code == .disallowedIntents) }
    }

    @Test("resumable close codes resume; 4007 and 4009 start a new session")
    func resumableCloseCodes() throws {
        for code in [4000, 4001, 4002, 4003, 4005, 4008] {
            var machine = machine()
            try ready(&machine)
            guard case .reconnect(_, let resume, _) = machine.connectionClosed(closeCode: code) else {
                Issue.record("close code \(code) should reconnect")
                continue
            }
            #expect(resume, "close code \(code) keeps the session")
        }
        for code in [4007, 4009] {
            var machine = machine()
            try ready(&machine)
            #expect(machine.connectionClosed(closeCode: code) == .reconnect(url: url, resume: false, after: .zero))
        }
    }

    @Test("connections that keep failing back off instead of looping hot")
    func backoff() {
        var machine = machine()
        var delays: [Duration] = []
        for _ in 0..<5 {
            machine.connectionOpened(now: .zero)
            if case .reconnect(_, _, let after) = machine.connectionClosed(closeCode: nil) { delays.append(after) }
        }
        #expect(delays == [.zero, .seconds(1), .seconds(2), .seconds(4), .seconds(8)])
    }

    @Test("identify and resume payloads carry token, intents, shard and sequence")
    func commandPayloads() throws {
        let token = BotToken("tok")
        let identify = try GatewayCommand.identify(.init(
            intents: [.guilds, .guildVoiceStates], shard: [1, 4], properties: ["os": "linux"],
            presence: PresenceUpdate(activities: [.init(name: "music", type: 2)]), largeThreshold: 250))
            .encoded(token: token)
        let decodedIdentify = try decode(JSONValue.self, identify)
        #expect(decodedIdentify["op"] == .number(2))
        #expect(decodedIdentify["d"]?["token"] == .string("tok"))
        #expect(decodedIdentify["d"]?["intents"] == .number(129))
        #expect(decodedIdentify["d"]?["shard"] == .array([.number(1), .number(4)]))
        #expect(decodedIdentify["d"]?["presence"]?["activities"]?[0]?["name"] == .string("music"))
        let resume = try decode(JSONValue.self, try GatewayCommand.resume(sessionID: "s", sequence: 42).encoded(token: token))
        #expect(resume["op"] == .number(6) && resume["d"]?["seq"] == .number(42) && resume["d"]?["session_id"] == .string("s"))
        let heartbeat = try GatewayCommand.heartbeat(sequence: nil).encoded(token: token)
        #expect(heartbeat == #"{"op":1,"d":null}"#)
        let leave = try decode(JSONValue.self, try GatewayCommand.voiceStateUpdate(
            VoiceStateUpdate(guildID: Snowflake(1), channelID: nil)).encoded(token: token))
        #expect(leave["op"] == .number(4) && leave["d"]?["channel_id"] == .null && leave["d"]?["guild_id"] == .string("1"))
    }

    @Test("dispatches decode to typed events; others stay raw")
    func dispatchDecoding() throws {
        guard case .dispatch(let seq, .guildCreate(let guild)) = try decoded(DocumentationFixtures.guildCreate) else {
            Issue.record("expected GUILD_CREATE")
            return
        }
        #expect(seq == 2)
        #expect(guild.channels?.count == 2 && guild.voiceStates?.count == 1 && guild.roles?.count == 2)
        guard case .dispatch(_, .other(let name, let data)) = try decoded(#"{"op":0,"s":3,"t":"TYPING_START","d":{"x":1}}"#) else {
            Issue.record("expected a raw event")
            return
        }
        #expect(name == "TYPING_START" && data["x"] == .number(1))
        // A typed event whose payload is malformed still arrives (raw) and keeps its sequence.
        guard case .dispatch(let badSeq, .other(let badName, _)) = try decoded(#"{"op":0,"s":4,"t":"VOICE_STATE_UPDATE","d":{"nope":true}}"#) else {
            Issue.record("expected a raw fallback")
            return
        }
        #expect(badSeq == 4 && badName == "VOICE_STATE_UPDATE")
        #expect(try decoded(#"{"op": 42, "d": {}}"#) == .unknown(opcode: 42))
    }
}
