import AsyncHTTPClient
import Foundation
import HTTPTypes
import LavalinkEmulator
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import Testing
import WSClient

struct TestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Messages one websocket received, in order.
final class MessageLog: Sendable {
    private let messages = Mutex<[JSONValue]>([])

    func append(_ message: JSONValue) { messages.withLock { $0.append(message) } }
    var all: [JSONValue] { messages.withLock { $0 } }
    var count: Int { messages.withLock { $0.count } }

    /// The first message at or after `index` matching `predicate`, waiting up to `timeout`.
    func first(
        from index: Int = 0, timeout: Duration = .seconds(15), _ what: String = "message",
        where predicate: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let snapshot = all
            if index < snapshot.count, let match = snapshot[index...].first(where: predicate) { return match }
            guard ContinuousClock.now < deadline else {
                throw TestTimeout(description: "no \(what) within \(timeout); got \(snapshot.map(\.text))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func event(_ type: String, from index: Int = 0) async throws -> JSONValue {
        try await first(from: index, type) { $0["op"] == "event" && $0["type"]?.stringValue == type }
    }

    func events(from index: Int = 0) -> [JSONValue] {
        Array(all.dropFirst(index)).filter { $0["op"] == "event" }
    }
}

/// A raw websocket client of the emulator (WSClient), as a Lavalink client library would open it.
final class RawLavalinkSocket: Sendable {
    let log = MessageLog()
    private let stop = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let stopped = Mutex(false)
    private let task: Mutex<Task<Void, any Error>?> = Mutex(nil)

    /// Opens the socket and waits for `ready`.
    static func connect(
        _ emulator: LavalinkEmulator, userId: String = "170939974227541168", sessionId: String? = nil
    ) async throws -> (socket: RawLavalinkSocket, ready: JSONValue) {
        let socket = RawLavalinkSocket()
        var headers: HTTPFields = [
            .authorization: emulator.password,
            HTTPField.Name("User-Id")!: userId,
            HTTPField.Name("Client-Name")!: "anankor-tests/1.0",
        ]
        if let sessionId { headers[HTTPField.Name("Session-Id")!] = sessionId }
        let url = emulator.websocketURL
        let log = socket.log
        let task = Task {
            _ = try await WebSocketClient.connect(
                url: url, configuration: .init(additionalHeaders: headers), logger: Logger(label: "test.ws")
            ) { inbound, _, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                if case .text(let text) = message, let value = try? JSONValue.parse(text) { log.append(value) }
                            }
                        } catch {}
                    }
                    group.addTask { await socket.waitForStop() }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
        socket.task.withLock { $0 = task }
        let ready = try await socket.log.first(timeout: .seconds(30), "ready") { $0["op"] == "ready" }
        return (socket, ready)
    }

    private func waitForStop() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = stopped.withLock { stopped in
                    if stopped || Task.isCancelled { return true }
                    stop.withLock { $0 = continuation }
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.signalStop()
        }
    }

    private func signalStop() {
        let waiter = stopped.withLock { stopped in
            stopped = true
            return stop.withLock { current in
                defer { current = nil }
                return current
            }
        }
        waiter?.resume()
    }

    /// Drops the connection from the client side and waits until it is closed.
    func close() async {
        signalStop()
        let task = self.task.withLock { $0 }
        _ = try? await task?.value
    }

    /// Waits until the server closed the socket.
    func waitUntilClosed(timeout: Duration = .seconds(30)) async throws {
        let task = self.task.withLock { $0 }
        let closed = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await task?.value; return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !closed { throw TestTimeout(description: "socket still open after \(timeout)") }
    }
}

/// Opens a websocket and returns it with the REST path of `guild`'s player in its session.
func connectPlayer(
    _ emulator: LavalinkEmulator, guild: String, userId: String = "170939974227541168"
) async throws -> (socket: RawLavalinkSocket, path: String) {
    let (socket, ready) = try await RawLavalinkSocket.connect(emulator, userId: userId)
    let sessionId = try #require(ready["sessionId"]?.stringValue)
    return (socket, "/v4/sessions/\(sessionId)/players/\(guild)")
}

/// REST calls with AsyncHTTPClient.
struct RESTResponse {
    var status: Int
    var headers: HTTPHeaders
    var text: String
    var json: JSONValue? { try? JSONValue.parse(text) }
}

enum Credentials {
    case correct, none, wrong(String)
}

func rest(
    _ emulator: LavalinkEmulator, _ method: HTTPMethod, _ path: String, body: JSONValue? = nil,
    credentials: Credentials = .correct
) async throws -> RESTResponse {
    var request = HTTPClientRequest(url: emulator.baseURL + path)
    request.method = method
    switch credentials {
    case .correct: request.headers.add(name: "Authorization", value: emulator.password)
    case .wrong(let value): request.headers.add(name: "Authorization", value: value)
    case .none: break
    }
    if let body {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.text))
    }
    // A connection per request: the emulator closes idle connections after 3 s, and a kept-alive
    // one reused just as it closes fails the request (remoteConnectionClosed) on a loaded machine.
    request.headers.add(name: "Connection", value: "close")
    return try await EmulatorClients.with(emulator) { client in
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 22)
        return RESTResponse(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }
}

/// One HTTP client per running emulator, shut down with it: no connection of it outlives its
/// emulator, so a later test's emulator on the same port never meets a connection of an earlier
/// one (a shared client did, and its requests failed as closed).
enum EmulatorClients {
    private static let clients = Mutex<[ObjectIdentifier: HTTPClient]>([:])

    static func open(for emulator: LavalinkEmulator) {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        clients.withLock { $0[ObjectIdentifier(emulator)] = client }
    }

    static func close(for emulator: LavalinkEmulator) async {
        let client = clients.withLock { $0.removeValue(forKey: ObjectIdentifier(emulator)) }
        try? await client?.shutdown()
    }

    /// The emulator's client, or for an emulator started without `withEmulator`, one for this call.
    static func with<R>(_ emulator: LavalinkEmulator, _ body: (HTTPClient) async throws -> R) async throws -> R {
        if let client = clients.withLock({ $0[ObjectIdentifier(emulator)] }) { return try await body(client) }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// Starts an emulator with a manual clock (unless told otherwise), runs `body`, shuts it down.
/// Voice connections are ready at the virtual instant of their PATCH (on the node's next tick)
/// unless a test asks for a delay, so playback arithmetic counts from the PATCH; the delay itself
/// has its own tests.
func withEmulator<R>(
    speed: Double = 0, node: NodeConfiguration = .init(voiceReadyDelayMs: 0),
    _ body: (LavalinkEmulator) async throws -> R
) async throws -> R {
    var logger = Logger(label: "test.lavalink")
    logger.logLevel = .warning
    let emulator = LavalinkEmulator(configuration: .init(speed: speed, node: node), logger: logger)
    try await emulator.start()
    EmulatorClients.open(for: emulator)
    do {
        let result = try await body(emulator)
        await EmulatorClients.close(for: emulator)
        await emulator.shutdown()
        return result
    } catch {
        await EmulatorClients.close(for: emulator)
        await emulator.shutdown()
        throw error
    }
}

let testVoice: JSONValue = [
    "token": "voice-token", "endpoint": "eu-west1.discord.media:443", "sessionId": "voice-session", "channelId": "555",
]

func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
}

/// Loads `identifier` and returns the first track it yields.
func loadTrack(_ emulator: LavalinkEmulator, _ identifier: String) async throws -> JSONValue {
    let response = try await rest(emulator, .GET, "/v4/loadtracks?identifier=\(percentEncoded(identifier))")
    let result = try #require(response.json)
    let track: JSONValue? =
        switch result["loadType"]?.stringValue {
        case "track": result["data"]
        case "search": result["data"]?.arrayValue?.first
        case "playlist": result["data"]?["tracks"]?.arrayValue?.first
        default: nil
        }
    return try #require(track, "no track for \(identifier): \(response.text)")
}
