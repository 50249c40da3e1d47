import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket

/// The checks Lavalink makes on `/v4/websocket` before upgrading.
enum WebSocketHandshake {
    struct Accepted {
        var userId: String
        var clientName: String
        var sessionId: String?
    }

    static func validate(_ headers: HTTPFields, password: String) -> Result<Accepted, LavalinkHTTPError> {
        guard let given = headers[.authorization], given == password else {
            return .failure(LavalinkHTTPError(status: 401, message: "Unauthorized"))
        }
        guard let userId = headers[.userId]?.trimmingCharacters(in: .whitespaces), let id = UInt64(userId), id != 0 else {
            return .failure(.badRequest("Missing or invalid User-Id header"))
        }
        let sessionId = headers[.sessionId].flatMap { $0.isEmpty ? nil : $0 }
        return .success(Accepted(userId: String(id), clientName: headers[.clientName] ?? "unknown", sessionId: sessionId))
    }
}

extension Router where Context == LavalinkWebSocketRequestContext {
    /// `/v4/websocket`: the node's messages to one client. Clients send nothing in v4; pings
    /// are answered by the websocket layer.
    func addLavalinkWebSocket(node: LavalinkNode) {
        let password = node.configuration.password
        ws("/v4/websocket") { request, context in
            let accepted: WebSocketHandshake.Accepted
            switch WebSocketHandshake.validate(request.headers, password: password) {
            case .success(let value):
                accepted = value
            case .failure(let error):
                if error.status == 401 { await UnauthorizedUpgradeStatus.install(on: context.channel) }
                return .dontUpgrade
            }
            let resumed = await node.canResume(accepted.sessionId)
            return .upgrade([.sessionResumed: resumed ? "true" : "false", .lavalinkApiVersion: "4"])
        } onUpgrade: { inbound, outbound, context in
            guard case .success(let accepted) = WebSocketHandshake.validate(context.request.headers, password: password) else {
                return
            }
            let connection = await node.connect(
                userId: accepted.userId, clientName: accepted.clientName, requestedSessionId: accepted.sessionId)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in connection.messages {
                        switch message {
                        case .text(let text):
                            do { try await outbound.write(.text(text)) } catch { return }
                        case .close:
                            try? await outbound.close(.goingAway, reason: "Lavalink node shutting down")
                            return
                        }
                    }
                }
                group.addTask {
                    do {
                        for try await _ in inbound {}
                    } catch {}
                }
                await group.next()
                group.cancelAll()
                // The reader waits on the socket and does not see task cancellation: once the
                // writer ends (node killed, server shutting down) the channel must be closed, or
                // the reader — and the server's shutdown with it — waits for the client forever.
                try? await context.requestContext.channel.close()
            }
            await node.disconnect(sessionId: connection.sessionId, connectionId: connection.connectionId)
        }
    }
}
