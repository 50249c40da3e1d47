@testable import DiscordKit
import Testing

/// A consumer that reads no untyped dispatch (`otherPayloads: false`) still gets every dispatch,
/// in order, with its sequence; only `.other`'s payload is left undecoded.
@Suite("Gateway: untyped dispatches without their payload")
struct GatewayOtherPayloadTests {
    static let messageUpdate = #"{"op":0,"s":42,"t":"MESSAGE_UPDATE","d":{"id":"1","channel_id":"2","content":"x","embeds":[{"title":"t"}]}}"#
    static let voiceState = #"{"op":0,"s":43,"t":"VOICE_STATE_UPDATE","d":{"guild_id":"10","channel_id":"20","user_id":"30","session_id":"s","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,"suppress":false}}"#

    @Test("an untyped dispatch arrives with its name and sequence, its payload not decoded")
    func untypedWithoutPayload() throws {
        let skipping = GatewayFrameDecoder(otherPayloads: false)
        #expect(try skipping.decode(Self.messageUpdate) == .dispatch(sequence: 42, event: .other(name: "MESSAGE_UPDATE", data: .null)))
        // The default keeps the payload, as before.
        guard case .dispatch(42, .other("MESSAGE_UPDATE", let data)) = try GatewayFrameDecoder().decode(Self.messageUpdate) else {
            Issue.record("the default decoder changed")
            return
        }
        #expect(data != .null)
    }

    @Test("typed dispatches and the other opcodes decode as without the option")
    func typedUnchanged() throws {
        let skipping = GatewayFrameDecoder(otherPayloads: false)
        let keeping = GatewayFrameDecoder()
        for frame in [Self.voiceState, DocumentationFixtures.ready, DocumentationFixtures.hello, #"{"op":11}"#,
                      #"{"op":0,"s":5,"t":"RESUMED","d":{}}"#, #"{"op":9,"d":true}"#] {
            #expect(try skipping.decode(frame) == keeping.decode(frame))
        }
        guard case .dispatch(43, .voiceStateUpdate(let voice)) = try skipping.decode(Self.voiceState) else {
            Issue.record("VOICE_STATE_UPDATE did not decode as typed")
            return
        }
        #expect(voice.userID.rawValue == 30)
    }

    @Test("the state machine keeps the sequence of a dispatch whose payload was skipped")
    func sequenceKept() throws {
        var machine = GatewayStateMachine(gatewayURL: "wss://gateway.discord.gg", jitter: { 0 },
                                          invalidSessionDelay: { .seconds(3) })
        let decoder = GatewayFrameDecoder(otherPayloads: false)
        machine.connectionOpened(now: .zero)
        _ = machine.receive(try decoder.decode(DocumentationFixtures.hello), now: .zero)
        _ = machine.receive(try decoder.decode(DocumentationFixtures.ready), now: .zero)
        let actions = machine.receive(try decoder.decode(Self.messageUpdate), now: .zero)
        #expect(actions == [.dispatch(.other(name: "MESSAGE_UPDATE", data: .null))])
        #expect(machine.sequence == 42)
    }
}
