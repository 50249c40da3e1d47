import Foundation
public import NIOCore
import NIOFoundationCompat

/// Decoding a gateway frame in one pass: the envelope's `op` and `t` pick the type of `d`.
extension GatewayMessage: Decodable {
    enum EnvelopeKeys: String, CodingKey { case op, d, s, t }

    /// `false` in a decoder's `userInfo`: dispatches DiscordKit does not type arrive as `.other`
    /// without their payload (`GatewayFrameDecoder.otherPayloads`).
    static let otherPayloadsKey = CodingUserInfoKey(rawValue: "discordkit.gateway.otherPayloads")!

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKeys.self)
        let op = try container.decode(Int.self, forKey: .op)
        switch op {
        case 0:
            let name = try container.decodeIfPresent(String.self, forKey: .t) ?? ""
            let sequence = try? container.decodeIfPresent(Int.self, forKey: .s)
            let otherPayloads = decoder.userInfo[Self.otherPayloadsKey] as? Bool ?? true
            self = .dispatch(sequence: sequence, event: try Self.event(name, container, otherPayloads: otherPayloads))
        case 1: self = .heartbeatRequest
        case 7: self = .reconnect
        case 9: self = .invalidSession(resumable: (try? container.decodeIfPresent(Bool.self, forKey: .d)) ?? false)
        case 10:
            struct Hello: Decodable { let heartbeat_interval: Double }
            let hello = try container.decode(Hello.self, forKey: .d)
            // Hostile values are clamped: at least 1 s, at most 10 minutes.
            let milliseconds = min(max(hello.heartbeat_interval.isFinite ? hello.heartbeat_interval : 45000, 1000), 600_000)
            self = .hello(heartbeatInterval: .milliseconds(Int64(milliseconds)))
        case 11: self = .heartbeatAck
        default: self = .unknown(opcode: op)
        }
    }

    private static func event(_ name: String, _ container: KeyedDecodingContainer<EnvelopeKeys>,
                              otherPayloads: Bool) throws -> GatewayEvent {
        func typed<T: Decodable>(_ type: T.Type, _ wrap: (T) -> GatewayEvent) throws -> GatewayEvent {
            do {
                return wrap(try container.decode(T.self, forKey: .d))
            } catch {
                // A payload we cannot type still reaches the consumer, raw, and keeps its sequence.
                return .other(name: name, data: (try? container.decode(JSONValue.self, forKey: .d)) ?? .null)
            }
        }
        switch name {
        case "READY": return try typed(Ready.self, GatewayEvent.ready)
        case "RESUMED": return .resumed
        case "GUILD_CREATE": return try typed(Guild.self, GatewayEvent.guildCreate)
        case "GUILD_UPDATE": return try typed(Guild.self, GatewayEvent.guildUpdate)
        case "GUILD_DELETE": return try typed(UnavailableGuild.self, GatewayEvent.guildDelete)
        case "CHANNEL_CREATE": return try typed(Channel.self, GatewayEvent.channelCreate)
        case "CHANNEL_UPDATE": return try typed(Channel.self, GatewayEvent.channelUpdate)
        case "CHANNEL_DELETE": return try typed(Channel.self, GatewayEvent.channelDelete)
        case "GUILD_MEMBER_ADD": return try typed(GuildMemberEvent.self, GatewayEvent.guildMemberAdd)
        case "GUILD_MEMBER_UPDATE": return try typed(GuildMemberEvent.self, GatewayEvent.guildMemberUpdate)
        case "GUILD_MEMBER_REMOVE": return try typed(GuildMemberRemove.self, GatewayEvent.guildMemberRemove)
        case "GUILD_ROLE_CREATE": return try typed(GuildRoleEvent.self, GatewayEvent.guildRoleCreate)
        case "GUILD_ROLE_UPDATE": return try typed(GuildRoleEvent.self, GatewayEvent.guildRoleUpdate)
        case "GUILD_ROLE_DELETE": return try typed(GuildRoleDelete.self, GatewayEvent.guildRoleDelete)
        case "VOICE_STATE_UPDATE": return try typed(VoiceState.self, GatewayEvent.voiceStateUpdate)
        case "VOICE_SERVER_UPDATE": return try typed(VoiceServerUpdate.self, GatewayEvent.voiceServerUpdate)
        case "INTERACTION_CREATE": return try typed(Interaction.self, GatewayEvent.interactionCreate)
        case "MESSAGE_CREATE": return try typed(Message.self, GatewayEvent.messageCreate)
        case "GUILD_MEMBERS_CHUNK": return try typed(GuildMembersChunk.self, GatewayEvent.guildMembersChunk)
        default:
            guard otherPayloads else { return .other(name: name, data: .null) }
            return .other(name: name, data: (try? container.decode(JSONValue.self, forKey: .d)) ?? .null)
        }
    }
}

/// Turns frame bytes into `GatewayMessage`s, refusing oversized payloads.
public struct GatewayFrameDecoder: Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public var maxPayloadSize: Int
    /// Whether dispatches DiscordKit does not type (`.other`) carry their payload. When false they
    /// still arrive, in order and with their sequence, as `.other(name:data: .null)`: their `d`
    /// is never decoded, which spares a consumer that does not read them (every MESSAGE_UPDATE of
    /// every edited message, typing, presences) building a `JSONValue` tree for each.
    public var otherPayloads: Bool

    public init(maxPayloadSize: Int = 32 << 20, otherPayloads: Bool = true) {
        self.maxPayloadSize = maxPayloadSize
        self.otherPayloads = otherPayloads
    }

    public func decode(_ buffer: ByteBuffer) throws -> GatewayMessage {
        guard buffer.readableBytes <= maxPayloadSize else {
            throw Failure(message: "a gateway payload of \(buffer.readableBytes) bytes exceeds the limit")
        }
        do {
            let decoder = JSONDecoder()
            if !otherPayloads { decoder.userInfo[GatewayMessage.otherPayloadsKey] = false }
            return try decoder.decode(GatewayMessage.self, from: buffer)
        } catch {
            throw Failure(message: "a gateway payload did not decode: \(type(of: error))")
        }
    }

    public func decode(_ text: String) throws -> GatewayMessage {
        try decode(ByteBuffer(string: text))
    }
}
