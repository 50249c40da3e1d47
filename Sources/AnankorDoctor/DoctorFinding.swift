/// One line of `anankor doctor`: what was checked, how it went, and what to do about it.
public struct DoctorFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Status: Sendable, Equatable {
        case ok
        /// Works, but something is off or was not checked.
        case warning
        /// Anankor will not work until this is fixed.
        case problem
    }

    public var check: String
    public var status: Status
    public var detail: String
    /// What the operator should do; nil when nothing.
    public var fix: String?

    public init(_ check: String, _ status: Status, _ detail: String, fix: String? = nil) {
        self.check = check
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    public var description: String {
        let mark = switch status {
        case .ok: "ok     "
        case .warning: "warning"
        case .problem: "PROBLEM"
        }
        return "\(mark) \(check): \(detail)" + (fix.map { "\n        fix: \($0)" } ?? "")
    }
}
