public import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one line per event: JSON for log collectors (production),
/// `time level label: message key=value` for a terminal. Every message, metadata value and error
/// description passes through the `SecretRedactor`; values under sensitive keys are dropped whole.
public struct LogLineHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case json
        case plain
    }

    /// Where finished lines go; stdout in production, a collector in tests.
    public typealias Sink = @Sendable (String) -> Void

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    private let label: String
    private let format: Format
    private let redactor: SecretRedactor
    private let sink: Sink
    private let now: @Sendable () -> Double

    public init(
        label: String,
        format: Format,
        level: Logger.Level = .info,
        redactor: SecretRedactor,
        metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> Double = LogLineHandler.wallClockSeconds,
        sink: @escaping Sink = LogLineHandler.standardOutput
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.redactor = redactor
        self.metadataProvider = metadataProvider
        self.now = now
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = .string(String(describing: error)) }
        let fields = merged.sorted { $0.key < $1.key }.map { key, value in
            (key, SecretRedactor.isSensitiveKey(key) ? SecretRedactor.placeholder : redactor.redact(Self.render(value)))
        }
        let message = redactor.redact(event.message.description)
        switch format {
        case .json: sink(jsonLine(event.level, message, fields))
        case .plain: sink(plainLine(event.level, message, fields))
        }
    }

    private func jsonLine(_ level: Logger.Level, _ message: String, _ fields: [(String, String)]) -> String {
        var line = "{\"ts\":\(Self.formatSeconds(now())),\"level\":\"\(level.rawValue)\""
        line += ",\"logger\":" + JSONText.quoted(label) + ",\"msg\":" + JSONText.quoted(message)
        for (key, value) in fields where !Self.reservedJSONKeys.contains(key) {
            line += "," + JSONText.quoted(key) + ":" + JSONText.quoted(value)
        }
        return line + "}"
    }

    /// The line's own fields; metadata may not overwrite them.
    private static let reservedJSONKeys: Set<String> = ["ts", "level", "logger", "msg"]

    private func plainLine(_ level: Logger.Level, _ message: String, _ fields: [(String, String)]) -> String {
        var line = "\(Self.formatTimestamp(now())) \(level.rawValue.uppercased()) \(label): \(message)"
        for (key, value) in fields { line += " \(key)=\(value)" }
        return line
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { key, value in
                "\(key)=\(SecretRedactor.isSensitiveKey(key) ? SecretRedactor.placeholder : render(value))"
            }.joined(separator: ",") + "}"
        }
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let fraction = millis % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(millis / 1000).\(padded)"
    }

    /// `2026-12-06T12:07:32.123Z`: what a person reads in a terminal (JSON keeps epoch seconds
    /// for collectors).
    static func formatTimestamp(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded(.down))
        var whole = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis % 1000), 3))Z"
    }

    public static let wallClockSeconds: @Sendable () -> Double = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public static let standardOutput: Sink = { line in
        // One write per line keeps lines whole when several threads log at once.
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// JSON string quoting without Foundation's encoder (one allocation per field on the log path).
enum JSONText {
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
