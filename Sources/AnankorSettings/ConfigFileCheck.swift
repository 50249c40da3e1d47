import Foundation

/// Reads `ANANKOR_CONFIG_FILE` once before the configuration provider does, so a missing file or
/// a JSON syntax error is reported in the operator's words (which line, what is wrong) instead of
/// the parser's error domain and code.
enum ConfigFileCheck {
    static let key = "ANANKOR_CONFIG_FILE"
    static let expected = "a readable JSON object whose keys are the variable names"

    static func check(path: String) throws(SettingsError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(path) cannot be read" : "\(path) does not exist"
            throw SettingsError(key: key, problem: .unreadableFile(reason: reason), expected: expected)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SettingsError(key: key, problem: .invalid(detail: "\(path) is not valid JSON (\(syntaxProblem(error, in: data)))"),
                                expected: expected)
        }
        guard let dictionary = object as? [String: Any] else {
            throw SettingsError(key: key, problem: .invalid(detail: "\(path) holds a JSON \(kind(of: object)), not an object"),
                                expected: expected)
        }
        for (name, value) in dictionary where value is [Any] || value is [String: Any] {
            throw SettingsError(key: key, problem: .invalid(detail: "\(path): \(name) holds a nested \(kind(of: value))"),
                                expected: "strings, numbers or booleans as values")
        }
    }

    /// Foundation's message carries the position ("around line 3, column 7"); keep only that
    /// sentence, or fall back to the line where parsing stopped.
    static func syntaxProblem(_ error: any Error, in data: Data) -> String {
        let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        if let debug, !debug.isEmpty {
            var sentence = String(debug.split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespaces)
            // Foundation on Linux counts bytes ("around character 52"); people count lines.
            if let range = sentence.range(of: "around character "),
                let offset = Int(sentence[range.upperBound...].prefix { $0.isNumber })
            {
                let (line, column) = position(of: offset, in: data)
                sentence = sentence[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
                    + " at line \(line), column \(column)"
            }
            return sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence
        }
        return data.isEmpty ? "the file is empty" : "a syntax error"
    }

    /// 1-based line and column of a byte offset.
    static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "array"
        case is [String: Any]: "object"
        case is String: "string"
        case is NSNumber: "number"
        default: "value"
        }
    }
}
