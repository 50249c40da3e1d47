@testable import DiscordKit
import Foundation
import Testing

func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

@Suite("Decoding Discord's documented payloads")
struct DecodingTests {
    @Test("a slash command interaction with member, locale, guild_locale and app_permissions")
    func slashCommandInteraction() throws {
        let interaction = try decode(Interaction.self, DocumentationFixtures.slashCommandInteraction)
        #expect(interaction.type == .applicationCommand)
        #expect(interaction.id == Snowflake(786008729715212338))
        #expect(interaction.guildID == Snowflake(290926798626357999))
        #expect(interaction.locale == .englishUS && interaction.guildLocale == .englishUS)
        #expect(interaction.appPermissions == Permissions(rawValue: 442368))
        #expect(interaction.member?.permissions == Permissions(rawValue: 2147483647))
        #expect(interaction.invoker?.username == "Mason")
        #expect(interaction.token.value == "A_UNIQUE_TOKEN")
        guard case .command(let data) = interaction.data else {
            Issue.record("expected command data")
            return
        }
        #expect(data.name == "cardsearch")
        #expect(data.options?.first?.value == .string("The Gitrog Monster"))
        #expect(data.options?.first?.type == .string)
    }

    @Test("subcommands nest options; autocomplete finds the focused one")
    func nestedOptionsAndAutocomplete() throws {
        let json = #"""
        {"id": "1", "application_id": "2", "type": 4, "token": "t", "version": 1, "locale": "de",
         "data": {"id": "3", "name": "music", "type": 1, "options": [
           {"type": 2, "name": "queue", "options": [
             {"type": 1, "name": "add", "options": [
               {"type": 3, "name": "query", "value": "never gon", "focused": true},
               {"type": 4, "name": "position", "value": 2}]}]}]}}
        """#
        let interaction = try decode(Interaction.self, json)
        #expect(interaction.type == .autocomplete)
        #expect(interaction.locale == .german)
        guard case .command(let data) = interaction.data else {
            Issue.record("expected command data")
            return
        }
        #expect(data.focusedOption?.name == "query")
        #expect(data.options?[0].options?[0].options?[1].value == .integer(2))
    }

    @Test("component and modal submit interactions")
    func componentAndModal() throws {
        let component = try decode(Interaction.self, #"""
        {"id": "1", "application_id": "2", "type": 3, "token": "t", "version": 1,
         "data": {"custom_id": "class_select_1", "component_type": 3, "values": ["mage", "rogue"]},
         "message": \#(DocumentationFixtures.messageWithComponents)}
        """#)
        guard case .component(let data) = component.data else {
            Issue.record("expected component data")
            return
        }
        #expect(data.values == ["mage", "rogue"])
        let modal = try decode(Interaction.self, #"""
        {"id": "1", "application_id": "2", "type": 5, "token": "t", "version": 1,
         "data": {"custom_id": "rename", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "name", "value": "Lobby"}]}]}}
        """#)
        guard case .modalSubmit(let submitted) = modal.data else {
            Issue.record("expected modal data")
            return
        }
        #expect(submitted.textInputValues == ["name": "Lobby"])
    }

    @Test("voice state, voice server update, role, channels, user and gateway/bot")
    func resources() throws {
        let voice = try decode(VoiceState.self, DocumentationFixtures.voiceState)
        #expect(voice.channelID == Snowflake(157733188964188161) && voice.selfMute && voice.guildID == nil)
        let server = try decode(VoiceServerUpdate.self, DocumentationFixtures.voiceServerUpdate)
        #expect(server.endpoint == "sweetwater-12345.discord.media:2048")
        let role = try decode(Role.self, DocumentationFixtures.role)
        #expect(role.permissions == Permissions(rawValue: 66321471) && role.position == 1)
        let voiceChannel = try decode(Channel.self, DocumentationFixtures.voiceChannel)
        #expect(voiceChannel.type == .guildVoice && voiceChannel.userLimit == 0 && voiceChannel.type.isVoice)
        let text = try decode(Channel.self, DocumentationFixtures.textChannel)
        #expect(text.type == .guildText && text.parentID == Snowflake(399942396007890945))
        let user = try decode(User.self, DocumentationFixtures.user)
        #expect(user.username == "Nelly")
        let gateway = try decode(GatewayBot.self, DocumentationFixtures.gatewayBot)
        #expect(gateway.shards == 9 && gateway.sessionStartLimit.maxConcurrency == 1)
    }

    @Test("message components: buttons and select menus round-trip")
    func components() throws {
        let message = try decode(Message.self, DocumentationFixtures.messageWithComponents)
        guard case .actionRow(let first) = message.components?[0], case .button(let button) = first.first,
              case .actionRow(let second) = message.components?[1], case .stringSelect(let select) = second.first
        else {
            Issue.record("unexpected components \(String(describing: message.components))")
            return
        }
        #expect(button.customID == "click_one" && button.style == .primary)
        #expect(select.options.map(\.value) == ["rogue", "mage"] && select.maxValues == 3)
        let again = try JSONDecoder().decode(Message.self, from: JSONEncoder().encode(message))
        #expect(again == message)
    }

    @Test("unknown enum values and unknown fields never fail decoding")
    func unknownValues() throws {
        let channel = try decode(Channel.self, #"{"id": "1", "type": 99, "brand_new": [1, 2]}"#)
        #expect(channel.type == .unknown(99))
        #expect(channel.type.rawValue == 99)
        let message = try decode(Message.self, #"{"id": "1", "channel_id": "2", "components": [{"type": 1, "components": [{"type": 42, "label": "?"}]}]}"#)
        guard case .actionRow(let row) = message.components?.first, case .unknown(let type, _) = row.first else {
            Issue.record("expected an unknown component")
            return
        }
        #expect(type == 42)
        let interaction = try decode(Interaction.self, #"{"id": "1", "application_id": "2", "type": 77, "token": "t", "data": {"x": 1}}"#)
        #expect(interaction.type == .unknown(77))
        let option = try decode(InteractionOption.self, #"{"name": "x", "type": 31, "value": "y"}"#)
        #expect(option.type == .unknown(31))
        #expect(ApplicationCommandOption.Kind(rawValue: 10) == .number)
    }

    @Test("snowflakes accept strings and integers, and encode as strings")
    func snowflakes() throws {
        #expect(try decode(Snowflake<Guild>.self, #""41771983423143937""#).rawValue == 41771983423143937)
        #expect(try decode(Snowflake<Guild>.self, "41771983423143937").rawValue == 41771983423143937)
        #expect(String(decoding: try JSONEncoder().encode(Snowflake<Guild>(5)), as: UTF8.self) == #""5""#)
        #expect(throws: DecodingError.self) { try decode(Snowflake<Guild>.self, #""abc""#) }
        #expect(Snowflake<Guild>(41771983423143937).shard(of: 2) == Int((41771983423143937 >> 22) % 2))
    }
}
