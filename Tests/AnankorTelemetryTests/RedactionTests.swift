import Foundation
import Logging
import Synchronization
import Testing

@testable import AnankorTelemetry

/// Collects the lines a handler writes.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var sink: LogLineHandler.Sink { { line in self.storage.withLock { $0.append(line) } } }
}

@Suite("Secrets never reach the logs")
struct RedactionTests {
    // Shaped like a real bot token, but made up.
    let botToken = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz012345"
    let lavalinkPassword = "youshallnotpass"

    func logger(_ collector: LineCollector, format: LogLineHandler.Format = .json) -> Logger {
        let redactor = SecretRedactor(secrets: [botToken, lavalinkPassword])
        return Logger(label: "anankor.test") { label in
            LogLineHandler(label: label, format: format, level: .trace, redactor: redactor, now: { 1_700_000_000.25 },
                           sink: collector.sink)
        }
    }

    @Test(arguments: LogLineHandler.Format.allCases)
    func registeredSecretsAreReplacedEverywhere(format: LogLineHandler.Format) {
        let collector = LineCollector()
        var log = logger(collector, format: format)
        log[metadataKey: "node"] = "ws://lavalink:2333?auth=\(lavalinkPassword)"
        struct LoginFailed: Error, CustomStringConvertible {
            var description: String
        }
        log.error(
            "login failed for \(botToken)",
            error: LoginFailed(description: "401 for token \(botToken)"),
            metadata: ["detail": .dictionary(["header": "\(lavalinkPassword)"])])
        let line = try! #require(collector.lines.first)
        #expect(!line.contains(botToken))
        #expect(!line.contains(lavalinkPassword))
        #expect(line.contains("[redacted]"))
        #expect(line.contains("login failed for"))
    }

    @Test func sensitiveKeysAreDroppedWhateverTheirValue() throws {
        let collector = LineCollector()
        logger(collector).info("connecting", metadata: ["redis.password": "hunter2", "aws.secret_access_key": "x",
                                                        "guild.id": "42"])
        let line = try #require(collector.lines.first)
        #expect(!line.contains("hunter2"))
        #expect(line.contains("\"guild.id\":\"42\""))
    }

    @Test func unregisteredTokenShapesAreCaughtToo() {
        // A token someone pasted into a command option, never configured here.
        let pasted = "OTk5ODg4Nzc3NjY2NTU1NDQ0.Xy12ab.ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ-_"
        let redactor = SecretRedactor()
        #expect(redactor.redact("option value \(pasted) here") == "option value [redacted] here")
        #expect(redactor.redact("Authorization: Bot abc.def") == "Authorization: Bot [redacted]")
        // Ordinary dotted text stays.
        #expect(redactor.redact("lavalink.example.org:2333 v4.2.2") == "lavalink.example.org:2333 v4.2.2")
    }

    @Test func jsonLinesParseAndCarryTheFields() throws {
        let collector = LineCollector()
        logger(collector).warning("queue \"full\"\n", metadata: ["session.key": "1/2"])
        let line = try #require(collector.lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["msg"] as? String == "queue \"full\"\n")
        #expect(object["session.key"] as? String == "1/2")
        #expect(object["logger"] as? String == "anankor.test")
        #expect(object["ts"] as? Double == 1_700_000_000.25)
    }

    @Test func plainLinesAreReadable() throws {
        let collector = LineCollector()
        logger(collector, format: .plain).info("worker online", metadata: ["worker.id": "7"])
        // A calendar time in UTC, not epoch seconds: what an operator can read at a glance.
        #expect(collector.lines == ["2023-11-14T22:13:20.250Z INFO anankor.test: worker online worker.id=7"])
    }

    @Test func shortValuesAreNotTreatedAsSecrets() {
        var redactor = SecretRedactor()
        redactor.register("abc")
        #expect(redactor.redact("abc def") == "abc def")
    }
}
