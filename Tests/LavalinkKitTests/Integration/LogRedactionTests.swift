import Logging
import Synchronization
import Testing

@testable import LavalinkKit

/// Keeps every log line (message and metadata) a logger produced.
final class RecordingLogHandler: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

@Suite("Secrets stay out of logs")
struct LogRedactionTests {
    @Test func passwordAndVoiceTokenNeverLogged() async throws {
        let handler = RecordingLogHandler()
        var logger = Logger(label: "redaction") { _ in handler }
        logger.logLevel = .trace
        try await withEmulator { emulator in
            // A refused password, then a full session with a player.
            let wrong = LavalinkKit.LavalinkNode(
                configuration: Emulated.nodeConfiguration("a", emulator, password: "wrong-secret-31"),
                httpClient: Emulated.httpClient, logger: logger
            )
            _ = try? await wrong.run()
            let node = LavalinkKit.LavalinkNode(
                configuration: Emulated.nodeConfiguration("a", emulator), httpClient: Emulated.httpClient, logger: logger
            )
            try await withPool([node], logger: logger) { pool, log in
                try await waitFor("ready", in: log) { $0.isReady("a") }
                try await pool.update(guildId: "1", PlayerUpdate(voice: LavalinkKit.VoiceState(
                    token: "voice-secret-77", endpoint: "e.discord.media", sessionId: "s", channelId: "5"
                )))
                await node.reconnect()
                try await waitFor("resumed", in: log) { if case .node(_, .ready(_, true)) = $0 { true } else { false } }
            }
        }
        let text = handler.text
        #expect(!text.isEmpty)
        #expect(!text.contains("wrong-secret-31"))
        #expect(!text.contains("test-password-9f2"))
        #expect(!text.contains("voice-secret-77"))
    }
}
