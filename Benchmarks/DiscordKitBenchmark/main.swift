// Prints gateway dispatch decode rates and the guild cache's memory per 10k guilds.
// Run: swift run -c release DiscordKitBenchmark
import DiscordKit
import Foundation
import NIOCore

/// A GUILD_CREATE shaped like a mid-sized community guild: 20 roles, 30 channels (a third with
/// overwrites), 10 members (bot + users in voice) and 6 voice states.
func guildCreate(id: UInt64, seq: Int) -> String {
    let roles = (0..<20).map { index in
        let roleID = index == 0 ? id : id + 1000 + UInt64(index)
        return #"{"id":"\#(roleID)","name":"role \#(index)","color":3447003,"hoist":false,"icon":null,"unicode_emoji":null,"position":\#(index),"permissions":"\#(1049600 + index)","managed":false,"mentionable":false,"flags":0}"#
    }
    let channels = (0..<30).map { index in
        let overwrites = index % 3 == 0
            ? #"[{"id":"\#(id)","type":0,"allow":"0","deny":"1024"},{"id":"\#(id + 1001)","type":0,"allow":"1049600","deny":"0"}]"#
            : "[]"
        let type = index % 4 == 0 ? 2 : 0
        return #"{"id":"\#(id + 2000 + UInt64(index))","type":\#(type),"name":"channel-\#(index)","position":\#(index),"parent_id":null,"permission_overwrites":\#(overwrites),"topic":null,"nsfw":false,"rate_limit_per_user":0,"bitrate":64000,"user_limit":0,"rtc_region":null,"last_message_id":null}"#
    }
    let members = (0..<10).map { index in
        #"{"user":{"id":"\#(index == 0 ? 1 : id + 3000 + UInt64(index))","username":"user\#(index)","discriminator":"0","global_name":null,"avatar":null,"bot":\#(index == 0)},"roles":["\#(id + 1001)"],"joined_at":"2024-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0,"pending":false}"#
    }
    let voice = (1..<7).map { index in
        #"{"channel_id":"\#(id + 2000)","user_id":"\#(id + 3000 + UInt64(index))","session_id":"90326bd25d71d39b9ef95b299e3872ff","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,"self_video":false,"suppress":false,"request_to_speak_timestamp":null}"#
    }
    return #"{"op":0,"s":\#(seq),"t":"GUILD_CREATE","d":{"id":"\#(id)","name":"Guild \#(id)","icon":null,"owner_id":"\#(id + 3001)","preferred_locale":"en-US","member_count":1500,"large":true,"unavailable":false,"roles":[\#(roles.joined(separator: ","))],"channels":[\#(channels.joined(separator: ","))],"members":[\#(members.joined(separator: ","))],"voice_states":[\#(voice.joined(separator: ","))],"threads":[],"presences":[],"emojis":[],"stickers":[],"features":["COMMUNITY"]}}"#
}

let voiceStateUpdate = #"{"op":0,"s":42,"t":"VOICE_STATE_UPDATE","d":{"guild_id":"41771983423143937","channel_id":"157733188964188161","user_id":"80351110224678912","member":{"user":{"id":"80351110224678912","username":"Nelly","discriminator":"0","avatar":null},"roles":["41771983423143936"],"joined_at":"2015-04-26T06:26:56.936000+00:00","deaf":false,"mute":false,"flags":0},"session_id":"90326bd25d71d39b9ef95b299e3872ff","deaf":false,"mute":false,"self_deaf":false,"self_mute":true,"self_video":false,"suppress":false,"request_to_speak_timestamp":null}}"#

let interactionCreate = #"{"op":0,"s":43,"t":"INTERACTION_CREATE","d":{"type":2,"token":"A_UNIQUE_TOKEN","member":{"user":{"id":"53908232506183680","username":"Mason","avatar":"a_d5efa99b3eeaa7dd43acca82f5692432","discriminator":"1337","public_flags":131141},"roles":["539082325061836999"],"premium_since":null,"permissions":"2147483647","pending":false,"nick":null,"mute":false,"joined_at":"2017-03-13T19:19:14.040000+00:00","deaf":false},"id":"786008729715212338","application_id":"786008729715212339","version":1,"guild_id":"290926798626357999","app_permissions":"442368","guild_locale":"en-US","locale":"en-US","entitlements":[],"authorizing_integration_owners":{"0":"290926798626357999"},"context":0,"attachment_size_limit":26214400,"channel":{"id":"645027906669510667","type":0,"guild_id":"290926798626357999","name":"general"},"data":{"options":[{"type":3,"name":"query","value":"never gonna give you up"}],"type":1,"name":"play","id":"771825006014889984"},"channel_id":"645027906669510667"}}"#

func decodeRate(_ name: String, _ frame: String, iterations: Int) throws {
    let decoder = GatewayFrameDecoder()
    let buffer = ByteBuffer(string: frame)
    let clock = ContinuousClock()
    var typed = 0
    let elapsed = try clock.measure {
        for _ in 0..<iterations {
            if case .dispatch(_, let event) = try decoder.decode(buffer), event.name == name { typed += 1 }
        }
    }
    let rate = Double(iterations) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    precondition(typed == iterations, "\(name) did not decode to its typed event")
    let label = name.padding(toLength: 20, withPad: " ", startingAt: 0)
    print("  \(label)" + String(format: "%10.0f events/s  (%d bytes/frame)", rate, buffer.readableBytes))
}

func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

print("DiscordKit benchmark")
print("Gateway dispatch decode (frame bytes → typed event):")
try decodeRate("GUILD_CREATE", guildCreate(id: 41771983423143937, seq: 1), iterations: 2_000)
try decodeRate("VOICE_STATE_UPDATE", voiceStateUpdate, iterations: 50_000)
try decodeRate("INTERACTION_CREATE", interactionCreate, iterations: 30_000)

print("Guild cache (10,000 guilds: 20 roles, 30 channels, 6 voice states each):")
let cache = GuildCache()
if case .dispatch(_, let ready) = try GatewayFrameDecoder().decode(
    #"{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1","username":"bot","bot":true},"guilds":[],"session_id":"s","resume_gateway_url":"wss://x"}}"#)
{
    cache.apply(ready)
}
let decoder = GatewayFrameDecoder()
// Warm the allocator with one decode so its arenas are not counted as cache.
_ = try decoder.decode(ByteBuffer(string: guildCreate(id: 1 << 40, seq: 0)))
let before = residentBytes()
for index in 0..<10_000 {
    let id = (UInt64(index + 1) << 22) | 0x1_0000_0000_0000
    if case .dispatch(_, let event) = try decoder.decode(ByteBuffer(string: guildCreate(id: id, seq: index))) {
        cache.apply(event)
    }
}
let after = residentBytes()
precondition(cache.guildCount == 10_000)
print(String(format: "  estimated size       %8.1f MB per 10k guilds", Double(cache.estimatedBytes) / 1_048_576))
print(String(format: "  resident growth      %8.1f MB per 10k guilds (RSS delta, includes allocator slack)",
             Double(after - before) / 1_048_576))
print("  target: ≤ 25 MB per 10k guilds")
