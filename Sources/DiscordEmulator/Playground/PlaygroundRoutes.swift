import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The playground's HTTP side: the page itself (`/playground`, its script and style sheet) and
/// the few control routes it needs beside the rest of the control API (`/_emulator/playground/…`):
/// a view of the state, a live stream of that view (server-sent events), autocomplete answers,
/// a member's locale, and the host's actions.
enum PlaygroundRoutes {
    /// How often the live stream looks for a change; the page itself never polls.
    static let streamInterval: Duration = .milliseconds(200)
    /// A stream ends after this long and the browser's EventSource reconnects at once, so no
    /// response stays open forever.
    static let streamLifetime: Duration = .seconds(300)
    static let keepAliveInterval: Duration = .seconds(15)
    /// How long an autocomplete request waits for the bot, like a client's suggestion popup.
    static let autocompleteWait: Duration = .seconds(3)

    static func register(on router: Router<EmulatorRequestContext>) {
        router.get("/playground") { _, _ in page(PlaygroundPage.html, type: "text/html; charset=utf-8") }
        router.get("/playground/app.js") { _, _ in page(PlaygroundScript.source, type: "text/javascript; charset=utf-8") }
        router.get("/playground/style.css") { _, _ in page(PlaygroundStyle.source, type: "text/css; charset=utf-8") }
    }

    private static func page(_ text: String, type: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = type
        fields[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `/_emulator/playground/…`; `segments` are the path after `playground`.
    static func control(_ request: Request, segments: [String], state: EmulatorState) async throws -> Response {
        switch (request.method, segments.first, segments.count) {
        case (.get, "view", 1):
            return json(await view(state: state))
        case (.get, "events", 1):
            return events(state: state)
        case (.post, "autocomplete", 1):
            let body = try await HTTPSurface.parse(request).body
            return try await autocomplete(ControlBody(body), state: state)
        case (.put, "users", 3) where segments[2] == "locale":
            let body = ControlBody(try await HTTPSurface.parse(request).body)
            do throws(DiscordEmulatorError) {
                guard let userID = UInt64(segments[1]) else { throw .unknownUser }
                let locale = try body.string("locale")
                try await state.setPlaygroundLocale(userID: userID, locale: locale)
                return json(["id": .id(userID), "locale": .string(locale)])
            } catch {
                return HTTPSurface.makeResponse(.error(error))
            }
        case (.post, "host", 2):
            let body = try await HTTPSurface.parse(request).body ?? .object([:])
            guard let host = await state.playgroundHost else {
                return failure(404, "this emulator runs without a sandbox, so it has no \(segments[1]) action")
            }
            do {
                return json(try await host.perform(segments[1], body))
            } catch {
                return failure(400, error.message)
            }
        default:
            return HTTPSurface.makeResponse(.error(.notFound))
        }
    }

    /// The emulator's view plus the host's panels.
    static func view(state: EmulatorState) async -> JSON {
        var view = await state.playgroundDiscordView()
        view["host"] = await state.playgroundHost?.panels() ?? .null
        return view
    }

    /// Server-sent events: one `view` event at once, then one whenever the view changes.
    private static func events(state: EmulatorState) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/event-stream"
        fields[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: fields, body: ResponseBody { writer in
            let clock = ContinuousClock()
            let end = clock.now + streamLifetime
            var lastSent = ""
            var lastWrite = clock.now
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            // Ends on graceful shutdown too: a stream must never hold the server's shutdown.
            while clock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
                let text = await view(state: state).encoded()
                if text != lastSent {
                    try await writer.write(ByteBuffer(string: "event: view\ndata: \(text)\n\n"))
                    lastSent = text
                    lastWrite = clock.now
                } else if clock.now - lastWrite > keepAliveInterval {
                    try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    lastWrite = clock.now
                }
                try await Task.sleep(for: streamInterval)
            }
            try await writer.finish(nil)
        })
    }

    private static func autocomplete(_ body: ControlBody, state: EmulatorState) async throws -> Response {
        let interaction: EmulatedInteraction
        do {
            interaction = try await state.invokeCommand(
                applicationID: try body.id("application_id"), channelID: try body.id("channel_id"),
                userID: try body.id("user_id"), name: try body.string("name"), options: body.json["options"],
                locale: body.optionalString("locale"), focused: try body.string("focused"))
        } catch {
            return HTTPSurface.makeResponse(.error(error))
        }
        let deadline = ContinuousClock.now + autocompleteWait
        while ContinuousClock.now < deadline {
            if let choices = await state.autocompleteChoices(interaction.id) {
                return json(["choices": choices])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return failure(504, "the bot did not answer the autocomplete within 3 s")
    }

    private static func json(_ body: JSON) -> Response {
        HTTPSurface.makeResponse(.json(body))
    }

    private static func failure(_ status: Int, _ message: String) -> Response {
        HTTPSurface.makeResponse(.json(["code": 0, "message": .string(message)], status: status))
    }
}
