import AnankorCore
@testable import AnankorMaster
import DiscordKit
import Foundation
import Synchronization
import Testing

/// The worker bots' roles, fetched once and kept in step with the gateway.
@Suite("Worker bot roles for voice permissions")
struct WorkerRolesTests {
    let guild = GuildID(100)
    let worker = WorkerID(300)

    final class Fetches: Sendable {
        let calls = Mutex(0)
        let roles = Mutex<[Snowflake<Role>]?>([Snowflake(200)])
    }

    func make(_ fetches: Fetches, now: @escaping @Sendable () -> Date) -> WorkerRoles {
        WorkerRoles(lifetime: .seconds(300), now: now) { _, _ in
            fetches.calls.withLock { $0 += 1 }
            guard let roles = fetches.roles.withLock({ $0 }) else { throw CancellationError() }
            return roles
        }
    }

    @Test func fetchedOnceThenKeptUntilTheLifetimeEnds() async {
        let fetches = Fetches()
        let clock = Mutex(Date(timeIntervalSince1970: 1_000))
        let roles = make(fetches) { clock.withLock { $0 } }
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(200)])
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(200)])
        #expect(fetches.calls.withLock { $0 } == 1, "the second look is cached")
        fetches.roles.withLock { $0 = [Snowflake(201)] }
        clock.withLock { $0 = $0.addingTimeInterval(301) }
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(201)], "fetched again after the lifetime")
    }

    func decode<T: Decodable>(_ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }

    @Test func aMemberUpdateReplacesTheRolesAndARemovalForgetsThem() async throws {
        let fetches = Fetches()
        let roles = make(fetches) { Date(timeIntervalSince1970: 1_000) }
        _ = await roles.roles(of: worker, in: guild)
        roles.apply(.guildMemberUpdate(try decode(#"{"guild_id":"100","user":{"id":"300","username":"worker"},"roles":["202"]}"#)))
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(202)])
        #expect(fetches.calls.withLock { $0 } == 1)
        roles.apply(.guildMemberRemove(try decode(#"{"guild_id":"100","user":{"id":"300","username":"worker"}}"#)))
        _ = await roles.roles(of: worker, in: guild)
        #expect(fetches.calls.withLock { $0 } == 2, "fetched again after the removal")
    }

    @Test func aFailedFetchIsUnknownNotEmpty() async {
        let fetches = Fetches()
        fetches.roles.withLock { $0 = nil }
        let roles = make(fetches) { Date(timeIntervalSince1970: 1_000) }
        #expect(await roles.roles(of: worker, in: guild) == nil)
    }

    @Test func theStatusNeedsSetVoiceChannelStatusOrManageChannels() {
        let cache = GuildCache()
        let guild = Snowflake<Guild>(100)
        let plain = Role(id: Snowflake(200), name: "Music", permissions: [.viewChannel, .connect, .speak])
        let status = Role(id: Snowflake(201), name: "Status", permissions: [.viewChannel, .setVoiceChannelStatus])
        let manage = Role(id: Snowflake(202), name: "Manage", permissions: [.viewChannel, .manageChannels])
        cache.apply(.guildCreate(Guild(id: guild, ownerID: Snowflake(1), roles: [
            Role(id: guild.cast(), name: "@everyone", permissions: []), plain, status, manage,
        ], channels: [Channel(id: Snowflake(400), type: .guildVoice, guildID: guild)])))
        let bot = Snowflake<User>(300)
        #expect(VoicePermissions.mayShowStatus(bot: bot, roles: [plain.id], channel: Snowflake(400), in: guild, cache: cache) == false)
        #expect(VoicePermissions.mayShowStatus(bot: bot, roles: [plain.id, status.id], channel: Snowflake(400), in: guild, cache: cache) == true)
        #expect(VoicePermissions.mayShowStatus(bot: bot, roles: [manage.id], channel: Snowflake(400), in: guild, cache: cache) == true)
        #expect(VoicePermissions.mayShowStatus(bot: bot, roles: [status.id], channel: Snowflake(401), in: guild, cache: cache) == nil,
                "an uncached channel cannot be told")
    }
}
