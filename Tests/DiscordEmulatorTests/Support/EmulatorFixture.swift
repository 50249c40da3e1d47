import AsyncHTTPClient
import DiscordEmulator
import Foundation
import NIOCore
import NIOHTTP1

/// A started emulator with a small world: one bot in one guild with a text and a voice channel
/// and one user.
struct EmulatorFixture {
    let emulator: DiscordEmulator
    let bot: EmulatedBot
    let guildID: UInt64
    let textChannelID: UInt64
    let voiceChannelID: UInt64
    let userID: UInt64

    /// The emulator's time stands still unless a test advances it: the 3-second interaction
    /// deadline, token lifetimes, rate-limit windows and zombie detection then depend on the test,
    /// never on how busy the machine is.
    static var frozenClock: DiscordEmulatorConfiguration {
        var configuration = DiscordEmulatorConfiguration()
        configuration.clockFollowsRealTime = false
        return configuration
    }

    static func with(
        configuration: DiscordEmulatorConfiguration = Self.frozenClock,
        _ body: (EmulatorFixture) async throws -> Void
    ) async throws {
        let emulator = DiscordEmulator(configuration: configuration)
        try await emulator.start()
        do {
            let bot = await emulator.createBot(name: "Anankor")
            let userID = await emulator.createUser(username: "alice")
            let guildID = try await emulator.createGuild(name: "Test Guild", ownerID: userID)
            let text = try await emulator.createChannel(in: guildID, name: "general")
            let voice = try await emulator.createChannel(in: guildID, name: "Lobby", type: .voice, userLimit: 2)
            try await emulator.addMember(bot.userID, to: guildID)
            try await body(EmulatorFixture(
                emulator: emulator, bot: bot, guildID: guildID, textChannelID: text, voiceChannelID: voice,
                userID: userID
            ))
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    func gateway(compress: Bool = false) -> GatewayTestClient {
        GatewayTestClient(url: emulator.gatewayURL, compress: compress)
    }

    struct HTTPResult {
        let status: Int
        let headers: HTTPHeaders
        let json: EmulatorJSON?
    }

    /// A REST call as the bot (`token: nil` sends no Authorization).
    func rest(_ method: HTTPMethod, _ path: String, body: EmulatorJSON? = nil, token: String?? = .none) async throws -> HTTPResult {
        let auth: String? = switch token {
        case .none: bot.token
        case .some(let value): value
        }
        return try await Self.http(method, emulator.restURL + path, body: body, authorization: auth.map { "Bot " + $0 })
    }

    /// A control API call.
    func control(_ method: HTTPMethod, _ path: String, body: EmulatorJSON? = nil) async throws -> HTTPResult {
        try await Self.http(method, emulator.controlURL + path, body: body, authorization: nil)
    }

    static func http(_ method: HTTPMethod, _ url: String, body: EmulatorJSON?, authorization: String?) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.encoded()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        let json = bytes.readableBytes == 0 ? nil : EmulatorJSON.parse(Array(bytes.readableBytesView))
        return HTTPResult(status: Int(response.status.code), headers: response.headers, json: json)
    }
}
