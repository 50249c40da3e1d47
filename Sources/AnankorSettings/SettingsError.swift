/// A configuration problem, reported to the operator as one line that names the key and says
/// what is expected. The offending value is shown only for keys that are not secret.
public struct SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case missing
        case malformed(found: String?)
        case unreadableFile(reason: String)
        /// The value is wrong in a way best said in words (an entry of a list, a JSON syntax
        /// error); `detail` never carries a secret.
        case invalid(detail: String)
    }

    public var key: String
    public var problem: Problem
    public var expected: String

    public init(key: String, problem: Problem, expected: String) {
        self.key = key
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        switch problem {
        case .missing:
            "\(key) is not set: \(expected)"
        case .malformed(let found?):
            "\(key) has the value \"\(found.prefix(80))\", expected \(expected)"
        case .malformed(nil):
            "\(key) is malformed, expected \(expected)"
        case .unreadableFile(let reason):
            "\(key) names a file that cannot be read (\(reason)), expected \(expected)"
        case .invalid(let detail):
            "\(key): \(detail), expected \(expected)"
        }
    }
}
