/// Payload examples from Discord's documentation (discord/discord-api-docs, `developers/**`),
/// kept as the docs print them, plus the gateway envelopes around them.
enum DocumentationFixtures {
    /// `developers/interactions/receiving-and-responding.mdx`, "Example interaction" (with the
    /// application_id and version every interaction carries).
    static let slashCommandInteraction = #"""
    {
        "type": 2,
        "token": "A_UNIQUE_TOKEN",
        "member": {
            "user": {
                "id": "53908232506183680",
                "username": "Mason",
                "avatar": "a_d5efa99b3eeaa7dd43acca82f5692432",
                "discriminator": "1337",
                "public_flags": 131141
            },
            "roles": ["539082325061836999"],
            "premium_since": null,
            "permissions": "2147483647",
            "pending": false,
            "nick": null,
            "mute": false,
            "joined_at": "2017-03-13T19:19:14.040000+00:00",
            "is_pending": false,
            "deaf": false
        },
        "id": "786008729715212338",
        "application_id": "786008729715212339",
        "version": 1,
        "guild_id": "290926798626357999",
        "app_permissions": "442368",
        "guild_locale": "en-US",
        "locale": "en-US",
        "data": {
            "options": [{
                "type": 3,
                "name": "cardname",
                "value": "The Gitrog Monster"
            }],
            "type": 1,
            "name": "cardsearch",
            "id": "771825006014889984"
        },
        "channel_id": "645027906669510667"
    }
    """#

    /// `developers/resources/voice.mdx`, "Example Voice State".
    static let voiceState = #"""
    {
      "channel_id": "157733188964188161",
      "user_id": "80351110224678912",
      "session_id": "90326bd25d71d39b9ef95b299e3872ff",
      "deaf": false,
      "mute": false,
      "self_deaf": false,
      "self_mute": true,
      "suppress": false,
      "request_to_speak_timestamp": "2021-03-31T18:45:31.297561+00:00"
    }
    """#

    /// `developers/events/gateway-events.mdx`, "Example Voice Server Update Payload".
    static let voiceServerUpdate = #"""
    {
      "token": "my_token",
      "guild_id": "41771983423143937",
      "endpoint": "sweetwater-12345.discord.media:2048"
    }
    """#

    /// `developers/topics/permissions.mdx`, "Example Role".
    static let role = #"""
    {
      "id": "41771983423143936",
      "name": "WE DEM BOYZZ!!!!!!",
      "color": 3447003,
      "colors": {
        "primary_color": 3447003,
        "secondary_color": null,
        "tertiary_color": null
      },
      "hoist": true,
      "icon": "cf3ced8600b777c9486c7d1b20a2bc6a",
      "unicode_emoji": null,
      "position": 1,
      "permissions": "66321471",
      "managed": false,
      "mentionable": false,
      "flags": 0
    }
    """#

    /// `developers/resources/channel.mdx`, "Example Guild Voice Channel".
    static let voiceChannel = #"""
    {
      "id": "155101607195836416",
      "last_message_id": "174629835082649376",
      "type": 2,
      "name": "ROCKET CHEESE",
      "position": 5,
      "parent_id": null,
      "bitrate": 64000,
      "user_limit": 0,
      "rtc_region": null,
      "guild_id": "41771983423143937",
      "permission_overwrites": [],
      "rate_limit_per_user": 0,
      "nsfw": false
    }
    """#

    /// `developers/resources/channel.mdx`, "Example Guild Text Channel".
    static let textChannel = #"""
    {
      "id": "41771983423143937",
      "guild_id": "41771983423143937",
      "name": "general",
      "type": 0,
      "position": 6,
      "permission_overwrites": [],
      "rate_limit_per_user": 2,
      "nsfw": true,
      "topic": "24/7 chat about how to gank Mike #2",
      "last_message_id": "155117677105512449",
      "parent_id": "399942396007890945",
      "default_auto_archive_duration": 60
    }
    """#

    /// `developers/resources/user.mdx`, "Example User".
    static let user = #"""
    {
      "id": "80351110224678912",
      "username": "Nelly",
      "discriminator": "1337",
      "avatar": "8342729096ea3675442027381ff50dfe",
      "verified": true,
      "email": "nelly@discord.com",
      "flags": 64,
      "banner": "06c16474723fe537c283b8efa61a30c8",
      "accent_color": 16711680,
      "premium_type": 1,
      "public_flags": 64,
      "avatar_decoration_data": {
        "sku_id": "1144058844004233369",
        "asset": "a_fed43ab12698df65902ba06727e20c0e"
      }
    }
    """#

    /// `developers/events/gateway.mdx`, "Example Get Gateway Bot Response".
    static let gatewayBot = #"""
    {
      "url": "wss://gateway.discord.gg/",
      "shards": 9,
      "session_start_limit": {
        "total": 1000,
        "remaining": 999,
        "reset_after": 14400000,
        "max_concurrency": 1
      }
    }
    """#

    /// `developers/reference.mdx`, "Array Error" example of Discord's error messages.
    static let invalidFormBody = #"""
    {
      "code": 50035,
      "errors": {
        "activities": {
          "0": {
            "platform": {
              "_errors": [
                {
                  "code": "BASE_TYPE_CHOICES",
                  "message": "Value must be one of ('desktop', 'android', 'ios')."
                }
              ]
            },
            "type": {
              "_errors": [
                {
                  "code": "BASE_TYPE_CHOICES",
                  "message": "Value must be one of (0, 1, 2, 3, 4, 5)."
                }
              ]
            }
          }
        }
      },
      "message": "Invalid Form Body"
    }
    """#

    /// `developers/components/reference.mdx`: an action row with a button, and a string select.
    static let messageWithComponents = #"""
    {
      "id": "1", "channel_id": "2",
      "content": "This is a message with components",
      "components": [
        {"type": 1, "components": [{"type": 2, "label": "Click me!", "style": 1, "custom_id": "click_one"}]},
        {"type": 1, "components": [{
          "type": 3, "custom_id": "class_select_1",
          "options": [
            {"label": "Rogue", "value": "rogue", "description": "Sneak n stab", "emoji": {"name": "rogue", "id": "625891304148303894"}},
            {"label": "Mage", "value": "mage", "description": "Turn 'em into a sheep", "emoji": {"name": "mage", "id": "625891304081063986"}}
          ],
          "placeholder": "Choose a class", "min_values": 1, "max_values": 3
        }]}
      ]
    }
    """#

    /// `developers/events/gateway-events.mdx`, "Example Hello".
    static let hello = #"{"op": 10, "d": {"heartbeat_interval": 45000}}"#

    static func dispatch(_ name: String, seq: Int, _ data: String) -> String {
        #"{"op": 0, "s": \#(seq), "t": "\#(name)", "d": \#(data)}"#
    }

    static let ready = dispatch("READY", seq: 1, #"""
    {"v": 10, "user": {"id": "1000", "username": "Anankor", "discriminator": "0", "avatar": null, "bot": true},
     "guilds": [{"id": "41771983423143937", "unavailable": true}],
     "session_id": "session-abc", "resume_gateway_url": "wss://gateway-us-east1-b.discord.gg",
     "shard": [0, 1], "application": {"id": "1000", "flags": 0}, "_trace": ["x"]}
    """#)

    static let guildCreate = dispatch("GUILD_CREATE", seq: 2, #"""
    {"id": "41771983423143937", "name": "Discord Developers", "owner_id": "80351110224678912",
     "preferred_locale": "en-US", "member_count": 3, "large": false, "unavailable": false,
     "roles": [
       {"id": "41771983423143937", "name": "@everyone", "position": 0, "permissions": "1049600", "color": 0},
       \#(role)
     ],
     "channels": [\#(textChannel), \#(voiceChannel)],
     "members": [{"user": {"id": "1000", "username": "Anankor", "bot": true}, "roles": ["41771983423143936"], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": false, "mute": false, "flags": 0}],
     "voice_states": [\#(voiceState)],
     "threads": [], "presences": [], "stage_instances": [], "some_future_field": {"x": 1}}
    """#)
}
