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
        /// What the workers reported, and how often it was read.
        let reported = Mutex<[WorkerID: [RoleID]]>([:])
        let reads = Mutex(0)
        /// Loads wait here until opened, so lookups overlap.
        let gate = Mutex<[CheckedContinuation<Void, Never>]?>(nil)

        func hold() { gate.withLock { $0 = [] } }
        func open() { for waiter in gate.withLock({ gate in defer { gate = nil }; return gate ?? [] }) { waiter.resume() } }
        func pass() async {
            await withCheckedContinuation { continuation in
                let held = gate.withLock { gate -> Bool in
                    guard gate != nil else { return false }
                    gate?.append(continuation)
                    return true
                }
                if !held { continuation.resume() }
            }
        }
        var waiting: Int { gate.withLock { $0?.count ?? 0 } }
    }

    func make(_ fetches: Fetches, now: @escaping @Sendable () -> Date) -> WorkerRoles {
        WorkerRoles(lifetime: .seconds(300), reportedLifetime: .seconds(30), now: now, reported: { _ in
            fetches.reads.withLock { $0 += 1 }
            await fetches.pass()
            return fetches.reported.withLock { $0 }
        }) { _, _ in
            fetches.calls.withLock { $0 += 1 }
            await fetches.pass()
            guard let roles = fetches.roles.withLock({ $0 }) else { throw CancellationError() }
            return roles
        }
    }

    @Test func reportedRolesAreReadOncePerGuildForEveryRouteThatNeedsThemMeanwhile() async throws {
        let fetches = Fetches()
        let workers = (0..<25).map { WorkerID(300 + UInt64($0)) }
        fetches.reported.withLock { reported in for worker in workers { reported[worker] = [RoleID(worker.rawValue + 1000)] } }
        let clock = Mutex(Date(timeIntervalSince1970: 1_000))
        let roles = make(fetches) { clock.withLock { $0 } }
        fetches.hold()
        // 25 routes at once, each looking at all 25 bots: one read, no call to Discord.
        let looks = Task {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<25 {
                    for worker in workers {
                        group.addTask { await roles.roles(of: worker, in: guild) == [Snowflake(worker.rawValue + 1000)] }
                    }
                }
                return await group.allSatisfy { $0 }
            }
        }
        try await untilTrue { fetches.waiting == 1 }
        fetches.open()
        #expect(await looks.value)
        #expect(fetches.reads.withLock { $0 } == 1)
        #expect(fetches.calls.withLock { $0 } == 0)
        clock.withLock { $0 = $0.addingTimeInterval(31) }
        _ = await roles.roles(of: workers[0], in: guild)
        #expect(fetches.reads.withLock { $0 } == 2, "read again after the reported lifetime")
    }

    @Test func aWorkerThatReportedNothingIsAskedOfDiscordOnceForOverlappingLooks() async throws {
        let fetches = Fetches()
        let roles = make(fetches) { Date(timeIntervalSince1970: 1_000) }
        _ = await roles.roles(of: WorkerID(999), in: guild)  // the guild's reported roles are read
        fetches.hold()
        let looks = Task {
            await withTaskGroup(of: [Snowflake<Role>]?.self) { group in
                for _ in 0..<10 { group.addTask { await roles.roles(of: worker, in: guild) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await untilTrue { fetches.waiting == 1 }
        fetches.open()
        #expect(await looks.value == Array(repeating: [Snowflake(200)], count: 10))
        #expect(fetches.calls.withLock { $0 } == 2, "the worker 999 and this one, once each")
    }

    @Test func aRefusedJoinMakesTheNextLookAskDiscordInsteadOfTheReport() async {
        let fetches = Fetches()
        fetches.reported.withLock { $0 = [worker: [RoleID(500)]] }
        let roles = make(fetches) { Date(timeIntervalSince1970: 1_000) }
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(500)])
        roles.forget(worker, in: guild)
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(200)], "Discord's answer")
        #expect(await roles.roles(of: worker, in: guild) == [Snowflake(200)], "kept")
        #expect(fetches.calls.withLock { $0 } == 1)
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

    struct NeverHappened: Error {}

    /// Lets the other tasks run until `condition` holds (bounded).
    func untilTrue(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000_000 {
            if condition() { return }
            await Task.yield()
        }
        throw NeverHappened()
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
